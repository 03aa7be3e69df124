"""Fast sampling without losing quality (issue 40): every candidate sampler of the shipped default model, with its default
guidance, on the same held-out conditions and seeds, scored with the package's metrics (bootstrap 95 % intervals).

Each run is generated in batches of 64 conditions (seed = 0 + the batch's first row, as `evaluation.generate_and_measure`
does), and each batch's per-condition results are saved under `bench/fast_sampling/runs/<run>/b<first row>.json`, so a
rerun (or a larger `--n`) reuses every batch already generated. `--table` only scores the saved batches.

    OMP_NUM_THREADS=2 PYTHONPATH=. python3 scripts/fast_sampling.py --n 64 --runs ddpm-100 dpmpp_2m_sde-10 ...
    PYTHONPATH=. python3 scripts/fast_sampling.py --n 64 --table
"""
from __future__ import annotations
import argparse, json, os, time
from functools import partial
from pathlib import Path
import numpy as np
import pandas as pd
import torch
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from diffusets_nb.core import atomic_write, FS_MODEL
from diffusets_nb.diffusion import SAMPLERS, sample_dpmpp_2m_sde, sample_ddpm, sample_dpmpp_2m, predict_x0
from diffusets_nb.pipeline import DiffuSETS, ecg_generator
from diffusets_nb.measure import measure, statement_signature, SIGNATURE_OF_STATEMENT
from diffusets_nb.evaluation import generate_and_measure, heldout_conditions, reference_set, adherence_table, CHECKED_STATEMENTS
from diffusets_nb.metrics import bootstrap, hr_mae, hr_within, rate, fid, real_floor
from diffusets_nb.ecgclip import load_clip, ecg_features

def write_json(path, obj, **kw): atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(obj, **kw)))

OUT = Path(__file__).resolve().parents[1]/'bench'/'fast_sampling'
BATCH, SEED = 64, 0
# sampler variants the pipeline reaches by name (keys alphanumeric: `get_sampler` strips other characters)
VARIANTS = {'ddpmquadratic': partial(sample_ddpm, spacing='quadratic'),
            'dpmppsdeeta05': partial(sample_dpmpp_2m_sde, eta=0.5),
            'dpmppsdelinear': partial(sample_dpmpp_2m_sde, spacing='linear'),
            'dpmpp2mlinear': partial(sample_dpmpp_2m, spacing='linear')}

def run_settings(name:str)->dict:
    "A run name 'sampler-steps[-option]' as settings: sampler, steps, and 'clip' (x0 clipped to ±1), 'gi<hi>' (guidance for t ≤ hi) or 'gl<lo>' (for t ≥ lo)."
    sampler, steps, *opts = name.split('-')
    s = dict(sampler=sampler, steps=int(steps), clip_x0=None, guidance_hi=None, guidance_lo=None)
    for o in opts:
        if o == 'clip': s['clip_x0'] = 1.0
        elif o.startswith('gi'): s['guidance_hi'] = int(o[2:])
        elif o.startswith('gl'): s['guidance_lo'] = int(o[2:])
        else: raise ValueError(f"Unknown run option {o!r} in {name!r}.")
    return s

def generate_batch(pipe:DiffuSETS, conds, lo:int, s:dict)->tuple:
    "One batch of ECGs at 500 Hz for conditions[lo:lo+64] with the settings `s`: (ECGBatch, seconds)."
    c = conds.iloc[lo:lo + BATCH]
    interval = None   # guidance only on [lo, hi], the plain conditional outside (Kynkäänniemi et al. 2024)
    if s['guidance_hi'] is not None or s['guidance_lo'] is not None:
        interval = (s['guidance_lo'] or 0, 999 if s['guidance_hi'] is None else s['guidance_hi'])
    pipe.sampling = dict(pipe.default_sampling, clip_x0=s['clip_x0'], guidance_interval=interval)
    t = time.perf_counter()
    ecgs = pipe(list(c.report), age=list(c.age), sex=list(c.sex), hr=list(c.hr), seed=SEED + lo, progress=False,
                batch_size=BATCH, sampler=s['sampler'], steps=s['steps'])
    secs = time.perf_counter() - t
    return ecgs, secs

def score_batch(ecgs, clip)->dict:
    "Per-condition results of a batch: requested and measured HR, each report statement's adherence, CLIP features."
    m = measure(ecgs); adh = adherence_table(ecgs.report, statement_signature(m))
    return dict(hr=[float(h) for h in ecgs.hr], hr_bpm=[None if np.isnan(h) else float(h) for h in m.hr_bpm],
                adherence=[[int(r.ecg), r.statement, bool(r.adheres)] for r in adh.itertuples()],
                feats=np.round(ecg_features(clip, ecgs), 6).tolist())

def run(name:str, n:int, pipe, conds, clip):
    "Generate and score the batches of run `name` not saved yet."
    s, folder = run_settings(name), OUT/'runs'/name
    for lo in range(0, n, BATCH):
        f = folder/f'b{lo}.json'
        if f.exists(): continue
        ecgs, secs = generate_batch(pipe, conds, lo, s)
        res = dict(run=name, first=lo, n=len(ecgs.signal), seconds=secs, settings=s, guidance=list(pipe.default_sampling['guidance']),
                   **score_batch(ecgs, clip))
        folder.mkdir(parents=True, exist_ok=True)
        write_json(f, res)
        print(f'{name} b{lo}: {secs:.1f} s ({len(ecgs.signal) / secs:.2f} ECG/s)', flush=True)

def load(name:str, n:int)->dict|None:
    "The saved batches of `name` covering the first n conditions, joined; None when some are missing."
    parts = [OUT/'runs'/name/f'b{lo}.json' for lo in range(0, n, BATCH)]
    if not all(p.exists() for p in parts): return None
    bs = [json.loads(p.read_text()) for p in parts]
    adh = [[e + b['first'], st, a] for b in bs for e, st, a in b['adherence'] if e + b['first'] < n]
    cat = lambda k: [v for b in bs for v in b[k]][:n]
    return dict(hr=np.array(cat('hr')), hr_bpm=np.array([np.nan if v is None else v for v in cat('hr_bpm')]), adherence=adh,
                feats=np.array(cat('feats')), seconds=sum(b['seconds'] for b in bs), n_timed=sum(b['n'] for b in bs))

def est(e)->list: return [round(e.value, 4), round(e.lo, 4), round(e.hi, 4)]

def score(r:dict, ref_feats:np.ndarray, floor:float)->dict:
    "A run's figures with bootstrap 95 % intervals: HR-MAE, within ±5 bpm, adherence (overall and per statement), rFID."
    n = len(r['hr'])
    per_ecg = np.zeros((n, 2))
    for e, _, a in r['adherence']: per_ecg[e] += (a, 1)
    overall = bootstrap(lambda s, c: float(s.sum() / max(c.sum(), 1)), per_ecg[:, 0], per_ecg[:, 1])   # as summarise does
    statements = sorted({st for _, st, _ in r['adherence']})
    flags = {st: [a for _, s_, a in r['adherence'] if s_ == st] for st in statements}
    per_statement = {st: [*est(rate(v)), len(v)] for st, v in flags.items()}   # [value, lo, hi, n]
    f = bootstrap(lambda g, rf: fid(rf, g), r['feats'], ref_feats[:n], n_boot=200)   # paired resampling, as summarise does
    return dict(n=n, seconds_per_ecg=round(r['seconds'] / r['n_timed'], 4), hr_mae=est(hr_mae(r['hr'], r['hr_bpm'])),
                hr_within_5=est(hr_within(r['hr'], r['hr_bpm'])), adherence=est(overall),
                rfid=[round(v / floor, 4) for v in (f.value, f.lo, f.hi)], per_statement=per_statement)

def verdict(row:dict, ref:dict)->dict:
    "Is each figure inside the reference's 95 % interval or better, and does no statement's adherence fall below its interval?"
    ok = dict(hr_mae=row['hr_mae'][0] <= ref['hr_mae'][2], hr_within_5=row['hr_within_5'][0] >= ref['hr_within_5'][1],
              adherence=row['adherence'][0] >= ref['adherence'][1], rfid=row['rfid'][0] <= ref['rfid'][2])
    fallen = [st for st, v in row['per_statement'].items() if st in ref['per_statement'] and v[0] < ref['per_statement'][st][1]]
    return dict(ok, statements_below=fallen, passes=all(ok.values()) and not fallen)

def trajectory(name:str, pipe, conds, n:int=64)->dict:
    "Adherence and HR error of the decoded predicted x0 at every step of run `name` on the first n conditions."
    s, c, seen, prev = run_settings(name), conds.iloc[:n], [], {}
    def keep(d):   # the callback gets x after the step and the eps predicted before it
        x_before = prev['x']
        seen.append((int(d['t'][0]), predict_x0(x_before, d['eps'], pipe.schedule.abar(d['t'], d['eps'])))); prev['x'] = d['x']
    noise = torch.stack([torch.randn(pipe.latent_shape, generator=ecg_generator(SEED, i, 0)) for i in range(n)])
    prev['x'] = noise   # the pipeline draws the same starting noise from each ECG's stream
    pipe.sampling = dict(pipe.default_sampling, clip_x0=s['clip_x0'])
    pipe(list(c.report), age=list(c.age), sex=list(c.sex), hr=list(c.hr), seed=SEED, progress=False, batch_size=n,
         sampler=s['sampler'], steps=s['steps'], callback=keep)
    out = dict(t=[], adherence=[], hr_mae=[], per_statement=[], sinus_p_wave=[], sinus_af=[])
    sinus = c.report.str.contains('Sinus rhythm').to_numpy()   # reports asking for sinus rhythm: P waves, regular, no AF
    for t, x0 in seen:
        m = measure(pipe.decode(x0.float()), fs=FS_MODEL); sig = statement_signature(m); adh = adherence_table(list(c.report), sig)
        out['sinus_p_wave'].append(round(float(np.nanmean(m.p_wave_present.astype(float).to_numpy()[sinus])), 3))
        out['sinus_af'].append(round(float(sig.af.to_numpy()[sinus].mean()), 3))
        out['t'].append(t); out['adherence'].append(round(float(adh.adheres.mean()), 4))
        out['hr_mae'].append(round(float(np.nanmean(np.abs(m.hr_bpm.to_numpy() - c.hr.to_numpy()))), 3))
        out['per_statement'].append({k: round(float(v), 3) for k, v in adh.groupby('statement').adheres.mean().items()})
    return out

def speed(names:list, pipe, conds, repeats:int=2)->dict:
    "Seconds per ECG of full calls (64 ECGs, default guidance, decode and HR measurement included), interleaved; DDPM-1000 extrapolated."
    times = {name: [] for name in names}
    for r in range(repeats):
        for name in names:
            _, secs = generate_batch(pipe, conds, 0, run_settings(name))
            times[name].append(secs / BATCH); print(f'speed {name}: {secs:.1f} s', flush=True)
    med = {k: float(np.median(v)) for k, v in times.items()}
    steps = np.array([run_settings(k)['steps'] for k in med]); secs = np.array(list(med.values()))
    per_step, fixed = np.polyfit(steps, secs, 1)   # seconds per ECG: fixed (text, decode, measure) + per step (3 branches)
    return dict(seconds_per_ecg=med, ecg_per_second={k: round(1 / v, 2) for k, v in med.items()}, runs=times,
                fit=dict(fixed=fixed, per_step=per_step, ddpm_1000_extrapolated=fixed + 1000 * per_step),
                load_average=os.getloadavg(), torch_threads=torch.get_num_threads(), batch=BATCH)

CANDIDATES = ('dpmpp_2m_sde', 'euler_ancestral', 'ddpm', 'dpmpp_2m')
STEPS = (10, 15, 20, 25)

def plot(rows:dict, path:Path, reference:str):
    "Steps vs quality: HR-MAE, within ±5, adherence and rFID of each candidate, the reference's interval shaded."
    fig, axs = plt.subplots(1, 4, figsize=(15, 3.2), dpi=80)
    for ax, key in zip(axs, ('hr_mae', 'hr_within_5', 'adherence', 'rfid')):
        ref = rows.get(reference)
        if ref: ax.axhspan(ref[key][1], ref[key][2], color='grey', alpha=0.25, label=f'{reference} 95 %')
        for c in CANDIDATES:
            pts = [(k, rows[f'{c}-{k}'][key]) for k in STEPS if f'{c}-{k}' in rows]
            if pts: ax.errorbar([k for k, _ in pts], [v[0] for _, v in pts], yerr=np.abs(np.array([[v[0] - v[1], v[2] - v[0]] for _, v in pts]).T),
                                marker='o', capsize=2, label=c)
        ax.set_xlabel('steps (denoiser evaluations per branch)'); ax.set_title(key)
    axs[0].legend(fontsize=7); plt.tight_layout(); fig.savefig(path); plt.close(fig)

def fmt(e)->str: return f'{e[0]:.3g} [{e[1]:.3g}, {e[2]:.3g}]'

def markdown(rows:dict)->str:
    "The quality table (and the statements whose adherence falls below the reference's interval) as Markdown."
    lines = ['| run | s/ECG | HR-MAE (bpm) | within ±5 bpm | adherence | rFID | 1st degree A-V block | all inside? | statements below |',
             '|---|---|---|---|---|---|---|---|---|']
    for k, v in rows.items():
        av = v['per_statement'].get('1st degree A-V block')
        vd = v.get('verdict', {})
        lines.append(f"| {k} | {v['seconds_per_ecg']:.3f} | {fmt(v['hr_mae'])} | {fmt(v['hr_within_5'])} | {fmt(v['adherence'])} | "
                     f"{fmt(v['rfid'])} | {fmt(av) + f' (n={av[3]})' if av else '–'} | {'yes' if vd.get('passes') else 'no'} | "
                     f"{', '.join(vd.get('statements_below', [])) or '–'} |")
    return '\n'.join(lines) + '\n'

def table(n:int, reference:str):
    "Score every saved run covering n conditions; write results.json and the figure."
    clip = load_clip(); ref_ecgs = reference_set(n); ref_feats = ecg_features(clip, ref_ecgs)
    floor = real_floor(fid, ref_feats)
    names = sorted(p.name for p in (OUT/'runs').iterdir() if p.is_dir())
    rows = {name: score(r, ref_feats, floor) for name in names if (r := load(name, n)) is not None}
    for name in rows: rows[name]['settings'] = run_settings(name)
    if reference in rows: rows = {k: dict(v, verdict=verdict(v, rows[reference])) for k, v in rows.items()}
    res = dict(n=n, seed=SEED, batch=BATCH, reference=reference, conditions='evaluation.heldout_conditions(n)',
               rfid_reference=f'evaluation.reference_set({n}) (phantom seed 2026), floor FID {floor:.4g}', rows=rows)
    write_json(OUT/f'results_{n}.json', res, indent=1)
    plot(rows, OUT/f'steps_vs_quality_{n}.png', reference)
    atomic_write(OUT/f'table_{n}.md', lambda tmp: Path(tmp).write_text(markdown(rows)))
    for k, v in rows.items():
        print(f"{k:28s} {v['seconds_per_ecg']:.3f} s/ECG  hr_mae {v['hr_mae']}  within5 {v['hr_within_5']}  adh {v['adherence']}  rfid {v['rfid']}"
              + (f"  pass={v['verdict']['passes']} below={v['verdict']['statements_below']}" if 'verdict' in v else ''))
    return res

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=int, default=256, help='held-out conditions (a multiple of 64)')
    ap.add_argument('--runs', nargs='*', default=[], help="runs 'sampler-steps[-clip|-gi<hi>|-gl<lo>]', e.g. ddpm-100 dpmpp_2m_sde-20-gi700")
    ap.add_argument('--table', action='store_true', help='score the saved runs and write results_<n>.json and the figure')
    ap.add_argument('--trajectory', nargs='*', default=[], help='runs whose predicted x0 is decoded and scored at every step')
    ap.add_argument('--speed', nargs='*', default=[], help='runs to time, interleaved, on the first 64 conditions')
    ap.add_argument('--statements', nargs='*', default=[], help='runs probed with evaluation.adherence (16 conditions per checked statement)')
    ap.add_argument('--probe', nargs='*', default=list(CHECKED_STATEMENTS), help='the statements of --statements')
    ap.add_argument('--k', type=int, default=16, help='conditions per statement of --statements')
    ap.add_argument('--reference', default='ddpm-1000', help='the run the candidates must match')
    a = ap.parse_args()
    SAMPLERS.update(VARIANTS)
    if a.runs:
        pipe = DiffuSETS.from_pretrained(); pipe.default_sampling = dict(pipe.sampling)
        conds, clip = heldout_conditions(a.n), load_clip()
        for name in a.runs: run(name, a.n, pipe, conds, clip)
    if a.trajectory:
        pipe = DiffuSETS.from_pretrained(); pipe.default_sampling = dict(pipe.sampling)
        conds = heldout_conditions(a.n)
        res = {name: trajectory(name, pipe, conds, min(a.n, BATCH)) for name in a.trajectory}
        write_json(OUT/'trajectory.json', res, indent=1)
    if a.statements:
        pipe = DiffuSETS.from_pretrained(); pipe.default_sampling = dict(pipe.sampling)
        statement_probe(a.statements, pipe, a.probe, a.k)
    if a.speed:
        pipe = DiffuSETS.from_pretrained(); pipe.default_sampling = dict(pipe.sampling)
        write_json(OUT/'speed.json', speed(a.speed, pipe, heldout_conditions(BATCH)), indent=1)
    if a.table: table(a.n, a.reference)
