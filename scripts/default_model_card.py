"""Evaluate the trained default-model runs, write the model card and its figures, and save the model into the package.

The card has one producer, `diffusets_nb.model_folder.model_card`, called by `save_pretrained`: this script gives it the
model's description (`scripts/model_card_template.md` filled in with the figures measured here) and the figure files;
the prose lives in model_card.md only, and config.json keeps its first paragraph as a one-line summary.

Run by `scripts/train_default.sh` after training; by hand (`--base default`: keep the shipped VAE, card its new denoiser stages):
    python scripts/default_model_card.py --runs data/runs/default --cache data/cache/default --out diffusets_nb/assets/default
"""
import argparse, json, shutil, subprocess, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from scipy.stats import binomtest
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt, seaborn as sns
from diffusets_nb.core import LEADS
from diffusets_nb.data import ECGCache
from diffusets_nb.train import load_trained, reconstruct, r2_per_lead, r2_pooled, T_BUCKETS
from diffusets_nb.pipeline import DiffuSETS, run_summary
from diffusets_nb.model_folder import model_dir, encoder_for_id
from diffusets_nb.evaluation import heldout_conditions, generate_and_measure, adherence
from diffusets_nb.plot import plot_ecgs, save_figure

ROOT = Path(__file__).resolve().parents[1]
PATIENT_STAGES = 2   # the last two denoiser runs, the patient-pathway stages: plotted apart from the history before them
SAMPLING = dict(sampler='ddpm', steps=100, guidance=(2.5, 1.0, 1.5))   # the shipped model's defaults (chosen on validation conditions and sweep seeds, card)
EXAMPLES = [('Sinus rhythm|Normal ECG', 45, 'F', 68), ('Atrial fibrillation|Abnormal ECG', 78, 'M', 105),
            ('Sinus rhythm|Left bundle branch block|Left axis deviation|Abnormal ECG', 70, 'M', 62)]
README_COMMAND = ('diffusets generate --report "Sinus rhythm|Normal ECG" --report "Atrial fibrillation|Abnormal ECG" '
                  '--report "Sinus rhythm|Left bundle branch block|Left axis deviation|Abnormal ECG" --age 45 --age 78 --age 70 '
                  '--sex F --sex M --sex M --hr 68 --hr 105 --hr 62 --n 1 --seed 0 --out out/readme')


def log_of(run: Path) -> pd.DataFrame:
    return pd.DataFrame([json.loads(l) for l in (run/'metrics.jsonl').read_text().splitlines() if l.strip()])


def stage_logs(runs: list) -> pd.DataFrame:
    "Logs of runs that continue one another (each warm-started from the last), on one step axis."
    logs, offset = [], 0
    for run in runs:
        log = log_of(run).assign(step=lambda l: l.step + offset); logs.append(log); offset = int(log.step.max())
    return pd.concat(logs, ignore_index=True)


def curves(vae_run, den_runs: list, path: Path):
    "Training curves: VAE reconstruction loss and held-out R² (unless `vae_run` is None); denoiser loss and held-out loss per t bucket, stage after stage."
    d = stage_logs(den_runs)
    fig, axs = plt.subplots(1, 3 if vae_run else 1, figsize=(13, 3) if vae_run else (5, 3), squeeze=False); axs = axs[0]
    if vae_run:
        v = log_of(vae_run)
        v[v.split == 'train'].plot(x='step', y='recon', ax=axs[0], logy=True, legend=False, title='VAE: training reconstruction (SSE / record)')
        v[v.split == 'val'].plot(x='step', y=['r2', 'r2_worst'], ax=axs[1], title='VAE: held-out R²', ylim=(0.8, 1))
    tr, va = d[d.split == 'train'], d[d.split == 'val']
    axs[-1].plot(tr.step, tr.loss.rolling(10, min_periods=1).mean(), label='training (rolling mean)', color='0.6')
    for col in [c for c in va.columns if c.startswith('loss_t')]: axs[-1].plot(va.step, va[col], marker='.', label=f'held-out {col[5:]}')
    axs[-1].set(yscale='log', title='denoiser: ε-prediction loss', xlabel='step'); axs[-1].legend(fontsize=7)
    plt.tight_layout(); save_figure(fig, path); plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--runs', default='data/runs/default'); ap.add_argument('--cache', default='data/cache/default')
    ap.add_argument('--out', default=str(ROOT/'diffusets_nb/assets/default'))
    ap.add_argument('--denoiser', nargs='+', default=['denoiser', 'denoiser_film', 'denoiser_patient', 'denoiser_patient2'],
                    help='the denoiser runs under --runs, in training order; the last one ships')
    ap.add_argument('--base', help='a saved model (folder or name) whose VAE ships unchanged: its VAE run summary and training '
                                   'curves carry over, and only the --denoiser stages trained after it are plotted')
    args = ap.parse_args()
    runs, cache = Path(args.runs), ECGCache(args.cache)
    den_runs = [runs/d for d in args.denoiser]; den = den_runs[-1]
    scratch = Path(tempfile.mkdtemp()); figs = scratch/'figures'; figs.mkdir()
    if args.base:   # read before --out may overwrite it
        base = DiffuSETS.from_pretrained(args.base); vae, vae_summary = base.vae, base.statistics['vae_run']
        earlier = model_dir(args.base)/'training_curves_base.png'   # a base carded with --base (this model, re-carded) keeps them there
        shutil.copy(earlier if earlier.exists() else model_dir(args.base)/'training_curves.png', figs/'training_curves_base.png')
    else: vae, vae_summary = load_trained(runs/'vae'), run_summary(runs/'vae')
    def build(card=None, statistics=None):   # the VAE with the last stage's EMA denoiser, as it ships
        d = load_trained(den)
        return DiffuSETS(vae, d, encoder_for_id(d.text_encoder_id), 'diffusets-phantom-cpu', SAMPLING, None, None,
                         dict(vae_run=vae_summary, denoiser_run=run_summary(den), **(statistics or {})), card)
    torch.manual_seed(0)
    stats = dict(training_corpus=f"phantom (synthetic), {len(cache)} records, MIMIC-IV-ECG layout, corpus seed 0; "
                                 f"patient-disjoint splits train {len(cache.split('train'))} / val {len(cache.split('val'))} / test {len(cache.split('test'))}")
    # VAE on held-out (test split) records
    test = cache.split('test'); x = torch.from_numpy(test.signals(np.arange(min(1024, len(test)))))
    recon = reconstruct(vae, x).numpy(); r2 = r2_per_lead(recon, x.numpy())
    stats['vae'] = dict(heldout_records=len(x), r2_all_leads=round(r2_pooled(recon, x.numpy()), 4), r2_worst_lead=round(float(r2.min()), 4),
                        worst_lead=LEADS[int(r2.argmin())], latent_scale=round(vae.config.scale, 5))
    last_val = log_of(den).query("split == 'val'").iloc[-1]
    stats['denoiser'] = {k: round(float(last_val[k]), 4) for k in last_val.index if k.startswith('loss')}
    # the model as it will ship, saved once to a scratch folder and loaded back
    build().save_pretrained(scratch/'model', dtype='float16')
    pipe = DiffuSETS.from_pretrained(scratch/'model')
    t0 = time.perf_counter(); hr_run = generate_and_measure(pipe, heldout_conditions(64, hr_range=(45, 130)))
    hr_seconds = time.perf_counter() - t0
    stats['heart_rate'] = dict(conditions=64, within_5_bpm=round(float((hr_run.hr_error <= 5).mean()), 3),
                               mae_bpm=round(float(hr_run.hr_error.mean()), 2), unmeasured=int(hr_run.hr_bpm.isna().sum()))
    adh = adherence(pipe)
    stats['adherence'] = {s: round(float(a), 3) for s, a in adh.adherence.items()}
    t0 = time.perf_counter()
    res = subprocess.run(['diffusets', 'generate', '--report', 'Sinus bradycardia|Left axis deviation', '--age', '64', '--sex', 'F',
                          '--hr', '52', '--n', '4', '--seed', '0', '--model', str(scratch/'model'), '--out', str(scratch/'gen')],
                         capture_output=True, text=True, check=True)
    stats['generate_4_ecgs_end_to_end_s'] = round(time.perf_counter() - t0, 2)
    stats['generate_64_ecgs_s'] = round(hr_seconds, 2)
    # figures
    if not args.base: curves(runs/'vae', den_runs[:-PATIENT_STAGES], figs/'training_curves_base.png')
    curves(None, den_runs if args.base else den_runs[-PATIENT_STAGES:], figs/'training_curves.png')
    fig, ax = plt.subplots(figsize=(4, 4)); sns.scatterplot(data=hr_run, x='hr', y='hr_bpm', s=18, ax=ax)
    ax.axline((60, 60), slope=1, color='k', lw=0.8); ax.set(xlabel='requested HR (bpm)', ylabel='measured HR (bpm)', title='64 held-out conditions')
    save_figure(fig, figs/'heart_rate.png'); plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3)); sns.barplot(x=adh.adherence, y=adh.index, color='tab:blue', ax=ax)
    ax.axvline(0.8, color='k', lw=0.8, ls='--'); ax.set(xlim=(0, 1), xlabel='adherence (16 generations each)', ylabel='')
    plt.tight_layout(); save_figure(fig, figs/'adherence.png'); plt.close(fig)
    r, a, s, h = zip(*EXAMPLES)
    fig = plot_ecgs(pipe(list(r), age=list(a), sex=list(s), hr=list(h), seed=0, progress=False), ncols=1)
    save_figure(fig, figs/'examples.png'); plt.close(fig)
    # the card
    card = (ROOT/'scripts'/'model_card_template.md').read_text().format(
        vae_config=(ROOT/'configs/default_vae.json').read_text().strip(), denoiser_config=(ROOT/'configs/default_denoiser.json').read_text().strip(),
        refine_config=(ROOT/'configs/default_denoiser_refine.json').read_text().strip(),
        film_config=(ROOT/'configs/default_denoiser_film.json').read_text().strip(),
        patient_config=(ROOT/'configs/default_denoiser_patient.json').read_text().strip(),
        train_script=(ROOT/'scripts/train_default.sh').read_text().strip(), **flat_for_card(stats, r2, adh, hr_run))
    # the card is `model_folder.model_card` of the saved configuration and this description; the figures it shows join the sealed folder
    build(card, stats).save_pretrained(args.out, dtype='float16', overwrite=True, files={f.name: f for f in figs.iterdir()})
    shutil.rmtree(scratch)
    print(json.dumps(stats, indent=1))


def flat_for_card(stats, r2, adh, hr_run) -> dict:
    "The numbers and tables the card template fills in."
    lead_table = '| ' + ' | '.join(LEADS) + ' |\n|' + '---|' * len(LEADS) + '\n| ' + ' | '.join(f'{v:.3f}' for v in r2) + ' |'
    adh_table = '| statement | adherence (16 each) |\n|---|---|\n' + '\n'.join(f'| {s} | {a:.0%} |' for s, a in adh.adherence.items())
    k, n = round(adh.adherence['1st degree A-V block'] * adh.n['1st degree A-V block']), int(adh.n['1st degree A-V block'])
    ci = binomtest(k, n).proportion_ci(method='exact')   # Clopper-Pearson
    avb1 = f"{k / n:.0%} ({k} of {n}; exact 95 % interval {ci.low:.0%}–{ci.high:.0%})"
    buckets = ' · '.join(f"t {k[5:]}: {v}" for k, v in stats['denoiser'].items() if k.startswith('loss_t'))
    return dict(corpus=stats['training_corpus'], **{f'vae_{k}': v for k, v in stats['vae'].items()}, lead_table=lead_table,
                adh_table=adh_table, avb1_heldout=avb1, den_buckets=buckets, hr_within=f"{stats['heart_rate']['within_5_bpm']:.0%}",
                hr_mae=stats['heart_rate']['mae_bpm'], gen4=stats['generate_4_ecgs_end_to_end_s'], readme_command=README_COMMAND)


if __name__ == '__main__': main()
