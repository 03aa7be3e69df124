"""Screen a denoiser for the age effect and the 1st degree A-V block: the QRS-amplitude-vs-age slope of the shipped
model (or of its VAE with a trained denoiser run) as a share of the phantom's population slope, per seed, beside QTc's
age slope on the same sweep, and the block's adherence on 128 validation conditions (corpus seed 2027).

Usage: python scripts/age_effect.py [--denoiser RUN] [--guidance 2.5,1[,3]] [--sampler NAME --steps N] [--guidance-interval LO HI]
                                    [--seeds 0 1] [--k 16]
                                    [--json FILE --name NAME]   (results merged into FILE under runs/NAME)"""
import argparse, json, sys
from pathlib import Path
from diffusets_nb.pipeline import DiffuSETS, parse_guidance
from diffusets_nb.evaluation import heldout_conditions
from diffusets_nb.train import load_trained
from diffusets_nb.explore import condition_sweep, phantom_sweep, compare_trend
from diffusets_nb.measure import measure, statement_signature

AGES, REPORT = [30, 45, 60, 75, 90], 'Sinus rhythm|Normal ECG'
VALIDATION_SEED = 2027   # the corpus seed of the validation conditions (README, model card)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--denoiser', help='a denoiser run folder or a saved model folder (default: the shipped denoiser)')
    ap.add_argument('--guidance', help="'text,patient' or 'text,patient,age' scales (default: the model's)")
    ap.add_argument('--sampler', help="a sampler of diffusion.SAMPLERS (default: the model's)")
    ap.add_argument('--steps', type=int, help="the sampler's steps (default: the model's)")
    ap.add_argument('--guidance-interval', type=int, nargs=2, metavar=('LO', 'HI'), help='guide only for LO ≤ t ≤ HI, the plain conditional outside')
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1]); ap.add_argument('--k', type=int, default=16)
    ap.add_argument('--json', type=Path, help='merge the results into this JSON file'); ap.add_argument('--name', help='their name there')
    args = ap.parse_args()
    guidance = parse_guidance(args.guidance, '--guidance') if args.guidance else None
    settings = dict(guidance=guidance, sampler=args.sampler, steps=args.steps)   # None: the model's default
    pipe = DiffuSETS.from_pretrained()
    if args.denoiser:   # the shipped VAE, encoder and settings with the run's denoiser; the constructor checks they fit
        pipe = DiffuSETS(pipe.vae, load_trained(args.denoiser, part='denoiser'), pipe.encoder, pipe.name, pipe.sampling,
                         pipe.conditioning, pipe.schedule_config)
    if args.guidance_interval:   # guidance on an interval of noise levels, as the 'gi'/'gl' runs of scripts/fast_sampling.py
        pipe = DiffuSETS(pipe.vae, pipe.denoiser, pipe.encoder, pipe.name, dict(pipe.sampling, guidance_interval=tuple(args.guidance_interval)),
                         pipe.conditioning, pipe.schedule_config)
    truth = phantom_sweep(REPORT, 'age', AGES, k=256)   # the population slope (chapter `explore`)
    store = json.loads(args.json.read_text()) if args.json and args.json.exists() else dict(report=REPORT, ages=AGES, k=args.k, runs={})
    run = store['runs'].setdefault(args.name or f"{args.sampler or pipe.sampling['sampler']}-{args.steps or pipe.sampling['steps']}", dict(seeds={}))
    for seed in args.seeds:
        sweep, _ = condition_sweep(pipe, REPORT, 'age', AGES, k=args.k, seed=seed, **settings)
        c, q = compare_trend(sweep, truth, 'limb_qrs_amp_max'), compare_trend(sweep, truth, 'qtc_ms')
        print(f"age seed {seed}: {c['ratio']:.0%} of the phantom's slope, model {c['model']}, phantom {c['phantom']}, "
              f"inside: {c['within_ci']}; QTc's age slope {q['ratio']:.0%} of the phantom's", flush=True)
        run['seeds'][str(seed)] = dict(ratio=c['ratio'], slope=c['model'].value, lo=c['model'].lo, hi=c['model'].hi,
                                       inside=bool(c['within_ci']), qtc_ratio=q['ratio'])
        run['phantom'] = [c['phantom'].value, c['phantom'].lo, c['phantom'].hi]
    cond = heldout_conditions(128, '1st degree A-V block', seed=VALIDATION_SEED)
    ecgs = pipe(list(cond.report), age=list(cond.age), sex=list(cond.sex), hr=list(cond.hr), seed=0, progress=False, **settings)
    m = measure(ecgs)
    print(f"1st degree A-V block: {int(statement_signature(m).avb1.sum())} of {len(cond)}; "
          f"HR within ±5 bpm: {(abs(m.hr_bpm - cond.hr.to_numpy()) <= 5).mean():.0%}")
    run.update(avb1=int(statement_signature(m).avb1.sum()), avb1_n=len(cond), hr_within_5=float((abs(m.hr_bpm - cond.hr.to_numpy()) <= 5).mean()))
    if args.json: args.json.write_text(json.dumps(store, indent=1))

if __name__ == '__main__':
    try: main()
    except ValueError as e: print(f"age_effect: {e}", file=sys.stderr); sys.exit(2)   # bad input: one line, no traceback
