"""Can a VAE trained without real ECGs represent them? Reconstruction R² on the eleven real records of data/real.

Trains the CPU VAE preset (configs/default_vae.json's settings, fewer steps) on one training set per run:
  phantom              the clean phantom (as the shipped default)
  realistic            the phantom with realistic=True (turned hearts, wave shapes, electrode artefacts)
  phantom+deepfake     the clean phantom and as many DeepFake-ECG records (unlabelled, realistic normal ECGs)
  realistic+deepfake   both additions
and reports the pooled and per-lead R² (`train.r2_per_lead`) on the eleven real ECGs (never trained on, never tuned
to), on clean and on realistic phantom records of the held-out seed, beside the shipped VAE.

Usage: python scripts/vae_realism.py --runs phantom realistic --n 4000 --steps 3000 --out bench/realism
       python scripts/vae_realism.py --runs realistic+deepfake --n 12000 --steps 5400 --tag '12,000 + 12,000 records'
       python scripts/vae_realism.py --runs realistic+deepfake --n 24000 --steps 8000 --enriched --tag 'enriched, 24,000 + 24,000 records'
Chunks of 2,000 records: the DeepFake-ECG records of a run with more than 2,000 differ from the first runs' (one seed
per chunk, as `diffusets deepfake`); the phantom records are the same in any chunking.
"""
from __future__ import annotations
import argparse, json, sys, time
from pathlib import Path
import numpy as np
import torch
from diffusets_nb.core import LEADS, atomic_write
from diffusets_nb.data import open_corpus, load_all, resample
from diffusets_nb.phantom import generate
from diffusets_nb.evaluation import HELDOUT_SEED, deepfake_ecgs, deepfake_generator
from diffusets_nb.vae import VAE, VAEConfig
from diffusets_nb.train import VAETask, TrainConfig, train, reconstruct, r2_per_lead, r2_pooled, load_trained

RUNS = ('phantom', 'realistic', 'phantom+deepfake', 'realistic+deepfake')
DEFAULT_VAE = json.loads((Path(__file__).parent.parent/'configs'/'default_vae.json').read_text())

class Signals:
    "Records in memory with the interface `VAETask` reads: `len` and `signals(idx)`."
    def __init__(self, x:np.ndarray): self.x = x
    def __len__(self): return len(self.x)
    def signals(self, idx): return self.x[idx]

def model_rate(batch)->np.ndarray: return resample(batch.signal).astype(np.float32)   # 1024 samples per lead

def real_records(root:Path)->np.ndarray:
    "The eleven real ECGs (the teaching ECG once: its MUSE XML, not its DICOM copy)."
    b = load_all(open_corpus(root), n_samples=None)
    return model_rate(b[[i for i, s in enumerate(b.source_id) if not s.endswith('.dcm')]])

def training_set(run:str, n:int, enriched:bool=False, chunk:int=2000)->np.ndarray:
    "The run's records at the model rate, made `chunk` at a time (24,000 + 24,000 records stay within memory)."
    realistic, lows = run.startswith('realistic'), range(0, n, chunk)
    parts = [model_rate(generate(min(chunk, n - lo), seed=0, start=lo, realistic=realistic, enriched=enriched)) for lo in lows]
    if run.endswith('+deepfake'):
        if (net := deepfake_generator()) is None: raise ValueError("deepfake-ecg is not installed: pip install deepfake-ecg")
        for k, lo in enumerate(lows):   # one seed per chunk, as `diffusets deepfake`
            seed = int(np.random.SeedSequence(0, spawn_key=(k,)).generate_state(1)[0])
            parts.append(model_rate(deepfake_ecgs(min(chunk, n - lo), seed=seed, net=net)))
    return np.concatenate(parts)

def scores(vae, sets:dict)->dict:
    out = {}
    for name, x in sets.items():
        rec = reconstruct(vae, torch.from_numpy(x)).numpy(); per = r2_per_lead(rec, x)
        out[name] = dict(pooled=r2_pooled(rec, x), worst=float(per.min()), worst_lead=LEADS[int(per.argmin())],
                         per_lead=dict(zip(LEADS, map(float, per))))
    return out

def report(store:dict)->str:
    head = ("| training set | steps | real: pooled R² | real: worst lead | clean phantom: pooled / worst | realistic phantom: pooled / worst |\n"
            "|---|---|---|---|---|---|\n")
    row = lambda name, r: (f"| {name} | {r['steps']} | {r['real']['pooled']:.3f} | {r['real']['worst']:.3f} ({r['real']['worst_lead']}) | "
                           f"{r['phantom']['pooled']:.3f} / {r['phantom']['worst']:.3f} | {r['realistic']['pooled']:.3f} / {r['realistic']['worst']:.3f} |")
    return head + '\n'.join(row(k, v) for k, v in store['runs'].items()) + '\n'

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', nargs='+', choices=RUNS, default=list(RUNS))
    ap.add_argument('--n', type=int, default=4000, help='phantom records (and as many DeepFake-ECG records)')
    ap.add_argument('--steps', type=int, default=3000); ap.add_argument('--out', type=Path, default=Path('bench/realism'))
    ap.add_argument('--real', type=Path, default=Path('data/real'))
    ap.add_argument('--tag', help='stored as "RUN, TAG" (e.g. a larger training set beside the first runs)')
    ap.add_argument('--enriched', action='store_true', help='the phantom part with the rarer conditions (generate(enriched=True))')
    ap.add_argument('--runs-dir', type=Path, default=Path('data/runs/vae_realism'), help='the VAE run folders (resumable)')
    args = ap.parse_args()
    if args.n < 16 or args.steps < 1: raise ValueError("--n must be at least 16 and --steps at least 1.")
    torch.set_num_threads(2)
    sets = dict(real=real_records(args.real), phantom=model_rate(generate(256, seed=HELDOUT_SEED)),
                realistic=model_rate(generate(256, seed=HELDOUT_SEED, realistic=True)))
    path = args.out/'vae_r2.json'; args.out.mkdir(parents=True, exist_ok=True)
    store = json.loads(path.read_text()) if path.exists() else dict(real_records=len(sets['real']), heldout_seed=HELDOUT_SEED, runs={})
    store['runs']['shipped default VAE'] = dict(steps=DEFAULT_VAE['train']['steps'], n_train='24,000 clean phantom', **scores(load_trained('default', part='vae'), sets))
    for run in args.runs:
        x = training_set(run, args.n, args.enriched)
        torch.manual_seed(0)
        task = VAETask(VAE(VAEConfig.preset(DEFAULT_VAE['preset'])), Signals(x), Signals(sets['phantom']), kl_scale=DEFAULT_VAE['kl_scale'])
        cfg = TrainConfig.from_dict(DEFAULT_VAE['train'] | dict(steps=args.steps, val_every=args.steps, ckpt_every=args.steps))
        name = run if args.tag is None else f'{run}, {args.tag}'
        t = time.perf_counter(); vae = train(task, cfg, args.runs_dir/name.replace('+', '_').replace(', ', '_').replace(' ', '_'), progress=True)
        store['runs'][name] = dict(steps=args.steps, n_train=len(x), train_s=round(time.perf_counter() - t), **scores(vae, sets))
        print(name, {k: round(v['pooled'], 3) for k, v in store['runs'][name].items() if isinstance(v, dict)}, flush=True)
        atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(store, indent=1)))
    atomic_write(args.out/'vae_r2.md', lambda tmp: Path(tmp).write_text(report(store)))
    print(report(store))

if __name__ == '__main__':
    try: main()
    except ValueError as e: print(f"vae_realism: {e}", file=sys.stderr); sys.exit(2)
