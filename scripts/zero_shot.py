"""The zero-shot experiment (issue 41, item 4): ask a model for conditions it never saw, by text alone, and measure
blind whether its ECGs show them, against the same model's ECGs for 'Sinus rhythm|Normal ECG' with the same patient
values (age, sex, HR) and the same noise (the same seed and condition index: the same noise, start and steps).

Held out: long QT, hyperkalemia and Brugada type 1 (none is in the default corpus; scripts/train_zero_shot.sh trains a
model on the enriched corpus without them). Positive controls: left bundle branch block, which every model trained on,
and paced rhythm, which only the enriched model trained on (it shows that the fine-tune learnt new statements).
Each condition is asked three ways: the bare statement, a sentence describing it, and the statement beside others.
Each feature is a blind measurement (`measure`, `condition_measurements`); the effect is the mean paired difference
(condition - reference) over the patients, with a bootstrap 95 % interval, beside the share of ECGs the chapter's
recogniser flags (Wilson 95 %). Unfamiliar text moves a model's ECGs whatever it says, so a neutral text of no
condition ('Recorded at rest', in the same three forms) is measured too, and each condition's effect is also given
beyond the neutral text's (paired with the neutral ECGs of the same patients and form). The text encoders' cosines between each held-out statement and the statements the
model was trained on are part of the answer.

Usage: python scripts/zero_shot.py [--denoiser RUN --label NAME] [--n 64] [--sampler ddpm --steps 25] [--out bench/zero_shot]
"""
from __future__ import annotations
import argparse, json, sys, warnings
from pathlib import Path
import numpy as np
import pandas as pd
from diffusets_nb.core import atomic_write
from diffusets_nb.phantom import STATEMENTS, REPORT_ORDER
from diffusets_nb.pipeline import DiffuSETS
from diffusets_nb.conditioning import encoder_from_name
from diffusets_nb.evaluation import heldout_conditions
from diffusets_nb.train import load_trained
from diffusets_nb.measure import measure, condition_measurements, condition_signature, statement_signature, wilson_interval

HELD_OUT = ('Prolonged QT interval', 'Hyperkalemia', 'Brugada type 1 pattern')
CONDITIONS = {  # statement -> a sentence describing it, the blind features that show it (expected sign), its recogniser
    'Prolonged QT interval': dict(sentence='The QT interval is long, with a corrected QT well above 460 ms.',
                                  features={'qtc_ms': +1}, flag='long_qt'),
    'Hyperkalemia': dict(sentence='Tall, narrow, peaked T waves, as seen when the serum potassium is high.',
                         features={'t_qrs_ratio': +1, 't_width_ms': -1, 'qrs_ms': +1}, flag='hyperkalemia'),
    'Brugada type 1 pattern': dict(sentence='Coved ST elevation in V1 and V2 that slopes down into a negative T wave.',
                                   features={'j_v12_mv': +1, 't_min_v12_mv': -1}, flag='brugada'),
    'Left bundle branch block': dict(sentence='A wide QRS complex with the shape of a left bundle branch block.',
                                     features={'qrs_ms': +1}, flag='lbbb'),
    'Paced rhythm': dict(sentence='A pacemaker drives the ventricles: a spike before each wide QRS complex.',
                         features={'n_spikes': +1, 'qrs_ms': +1}, flag='paced'),
}
REFERENCE = 'Sinus rhythm|Normal ECG'
NEUTRAL = dict(bare='Recorded at rest', sentence='The patient rested quietly while the tracing was recorded.')   # unfamiliar text of no condition

def prompts(statement:str|None)->dict: # None: the neutral text's three forms
    bare, sentence = (NEUTRAL['bare'], NEUTRAL['sentence']) if statement is None else (statement, CONDITIONS[statement]['sentence'])
    return dict(bare=bare, sentence=sentence, beside=f'Sinus rhythm|{bare}|Abnormal ECG')

def paired(x:np.ndarray, y:np.ndarray, seed:int=0, draws:int=2000)->dict:
    "Mean of the paired differences x - y over the pairs where both are finite, with a bootstrap 95 % interval."
    d = (x - y)[np.isfinite(x) & np.isfinite(y)]
    if len(d) < 3: return dict(n=len(d), mean=np.nan, lo=np.nan, hi=np.nan)
    boot = np.random.default_rng(seed).choice(d, (draws, len(d))).mean(1)
    return dict(n=len(d), mean=float(d.mean()), lo=float(np.percentile(boot, 2.5)), hi=float(np.percentile(boot, 97.5)))

def scored(pipe, reports:list, patients:pd.DataFrame, settings:dict)->pd.DataFrame:
    "Generate one ECG per patient for each report and return its measurements and every signature."
    with warnings.catch_warnings():   # the out-of-domain warnings are the point of the experiment, not news
        warnings.simplefilter('ignore')
        ecgs = pipe(reports, age=list(patients.age), sex=list(patients.sex), hr=list(patients.hr), progress=False, **settings)
    m, c = measure(ecgs), condition_measurements(ecgs)
    return pd.concat([m, c.drop(columns='reason'), statement_signature(m), condition_signature(m, c)], axis=1)

def nearest(encoder, statements:list, vocabulary:list, k:int=3)->dict:
    "Each statement's k nearest vocabulary statements by the encoder's cosine."
    unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)
    a, b = (unit(np.asarray(encoder(x).detach().cpu(), float)) for x in (statements, vocabulary))
    cos = a @ b.T
    return {s: [(vocabulary[j], round(float(cos[i, j]), 3)) for j in np.argsort(-cos[i])[:k]] for i, s in enumerate(statements)}

def fmt(r:dict)->str: return f"{r['mean']:+.3g} [{r['lo']:+.3g}, {r['hi']:+.3g}]" if np.isfinite(r['mean']) else 'n/a'

def report(store:dict)->str:
    out = []
    for label, run in store['runs'].items():
        out += [f"### {label}", '', f"{run['n']} patients (sinus-rhythm conditions of the held-out corpus seed), {run['sampling']}; "
                "Δ: mean paired difference from the same patients' 'Sinus rhythm|Normal ECG' ECGs [bootstrap 95 %]; "
                "beyond neutral: the same against the neutral text's ECGs in the same form; "
                "flagged: ECGs the chapter's recogniser flags (the reference's count after the slash).", '',
                '| statement | trained on it | prompt | blind features: Δ [95 %] | beyond neutral [95 %] | flagged / reference |',
                '|---|---|---|---|---|---|']
        for r in run['rows']:
            feats = [f for f in r if isinstance(r[f], dict) and 'mean' in r[f]]
            delta = '; '.join(f"{f} {fmt(r[f])}" for f in feats)
            beyond = '; '.join(f"{f} {fmt(r[f]['beyond_neutral'])}" for f in feats if 'beyond_neutral' in r[f]) or '–'
            flagged = f"{r['flagged']} / {r['flagged_ref']} of {r['n']}" if 'flagged' in r else '–'
            out.append(f"| {r['statement']} | {'yes' if r['trained'] else 'no'} | {r['prompt']} | {delta} | {beyond} | {flagged} |")
        out += ['', '| held-out text | encoder | nearest trained statements (cosine) |', '|---|---|---|']
        for enc, near in run['cosines'].items():
            out += [f"| {s} | {enc} | " + ', '.join(f'{v} ({c:.2f})' for v, c in nn) + ' |' for s, nn in near.items()]
        out.append('')
    return '\n'.join(out)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--denoiser', help='a denoiser run folder (default: the shipped denoiser, trained on the default corpus)')
    ap.add_argument('--label', help="the run's name in the results (default: 'shipped default' or the run folder's name)")
    ap.add_argument('--n', type=int, default=64, help='patients per prompt'); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--sampler', help="a sampler of diffusion.SAMPLERS (default: the model's)")
    ap.add_argument('--steps', type=int, help="the sampler's steps (default: the model's)")
    ap.add_argument('--out', type=Path, default=Path('bench/zero_shot'))
    args = ap.parse_args()
    if args.n < 8: raise ValueError("--n must be at least 8 patients.")
    pipe = DiffuSETS.from_pretrained()
    vocabulary = pipe.statements()   # the statements the shipped model was trained on
    if args.denoiser:   # the shipped VAE and encoder with the run's denoiser, trained on the enriched corpus minus HELD_OUT
        pipe = DiffuSETS(pipe.vae, load_trained(args.denoiser, part='denoiser'), pipe.encoder, pipe.name, pipe.sampling,
                         pipe.conditioning, pipe.schedule_config)
        vocabulary = [s for s in REPORT_ORDER if s not in HELD_OUT]
    label = args.label or (Path(args.denoiser).name if args.denoiser else 'shipped default')
    settings = dict(sampler=args.sampler, steps=args.steps, seed=args.seed)
    patients = heldout_conditions(args.n, 'Sinus rhythm')
    ref, rows = scored(pipe, [REFERENCE] * args.n, patients, settings), []
    neutral = {how: scored(pipe, [text] * args.n, patients, settings) for how, text in prompts(None).items()}
    every = dict.fromkeys(f for c in CONDITIONS.values() for f in c['features'])
    for how, text in prompts(None).items():
        rows.append(dict(statement='(neutral text)', trained=False, prompt=how, text=text, n=args.n) |
                    {f: paired(neutral[how][f].to_numpy(float), ref[f].to_numpy(float)) for f in every})
    for statement, cfg in CONDITIONS.items():
        for how, text in prompts(statement).items():
            got = scored(pipe, [text] * args.n, patients, settings)
            k, (lo, hi) = int(got[cfg['flag']].sum()), wilson_interval(int(got[cfg['flag']].sum()), args.n)
            row = dict(statement=statement, trained=statement in vocabulary, prompt=how, text=text, n=args.n, flagged=k,
                       flagged_lo=float(lo), flagged_hi=float(hi), flagged_ref=int(ref[cfg['flag']].sum()))
            for feat, sign in cfg['features'].items():
                x = got[feat].to_numpy(float)
                row[feat] = paired(x, ref[feat].to_numpy(float)) | dict(expected=sign, ref_mean=float(np.nanmean(ref[feat])),
                                                                       beyond_neutral=paired(x, neutral[how][feat].to_numpy(float)))
            rows.append(row)
            print(statement, how, {f: round(row[f]['mean'], 3) for f in cfg['features']}, f"flagged {k}/{args.n}", flush=True)
    held = list(HELD_OUT) + [CONDITIONS[s]['sentence'] for s in HELD_OUT]
    cosines = {name: nearest(encoder_from_name(name), held, vocabulary) for name in ('minilm-l6-v2', 'hash')}
    path = args.out/'zero_shot.json'; args.out.mkdir(parents=True, exist_ok=True)
    store = json.loads(path.read_text()) if path.exists() else dict(held_out=HELD_OUT, reference=REFERENCE, runs={})
    store['runs'][label] = dict(n=args.n, sampling=f"{args.sampler or pipe.sampling['sampler']} {args.steps or pipe.sampling['steps']} steps",
                                vocabulary=vocabulary, rows=rows, cosines=cosines)
    atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(store, indent=1)))
    atomic_write(args.out/'zero_shot.md', lambda tmp: Path(tmp).write_text(report(store)))
    print(report(store))

if __name__ == '__main__':
    try: main()
    except ValueError as e: print(f"zero_shot: {e}", file=sys.stderr); sys.exit(2)   # bad input: one line, no traceback
