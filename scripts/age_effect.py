"""Screen a denoiser for the age effect and the 1st degree A-V block: the QRS-amplitude-vs-age slope of the shipped
model (or of its VAE with a trained denoiser run) as a share of the phantom's population slope, per seed, beside QTc's
age slope on the same sweep, and the block's adherence on 128 validation conditions (corpus seed 2027).

Usage: python scripts/age_effect.py [--denoiser RUN] [--guidance 2.5,1[,3]] [--seeds 0 1] [--k 16]"""
import argparse, sys
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
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1]); ap.add_argument('--k', type=int, default=16)
    args = ap.parse_args()
    guidance = parse_guidance(args.guidance, '--guidance') if args.guidance else None
    pipe = DiffuSETS.from_pretrained()
    if args.denoiser:   # the shipped VAE, encoder and settings with the run's denoiser; the constructor checks they fit
        pipe = DiffuSETS(pipe.vae, load_trained(args.denoiser, part='denoiser'), pipe.encoder, pipe.name, pipe.sampling,
                         pipe.conditioning, pipe.schedule_config)
    truth = phantom_sweep(REPORT, 'age', AGES, k=256)   # the population slope (chapter `explore`)
    for seed in args.seeds:
        sweep, _ = condition_sweep(pipe, REPORT, 'age', AGES, k=args.k, seed=seed, guidance=guidance)
        c, q = compare_trend(sweep, truth, 'limb_qrs_amp_max'), compare_trend(sweep, truth, 'qtc_ms')
        print(f"age seed {seed}: {c['ratio']:.0%} of the phantom's slope, model {c['model']}, phantom {c['phantom']}, "
              f"inside: {c['within_ci']}; QTc's age slope {q['ratio']:.0%} of the phantom's", flush=True)
    cond = heldout_conditions(128, '1st degree A-V block', seed=VALIDATION_SEED)
    ecgs = pipe(list(cond.report), age=list(cond.age), sex=list(cond.sex), hr=list(cond.hr), seed=0, guidance=guidance, progress=False)
    m = measure(ecgs)
    print(f"1st degree A-V block: {int(statement_signature(m).avb1.sum())} of {len(cond)}; "
          f"HR within ±5 bpm: {(abs(m.hr_bpm - cond.hr.to_numpy()) <= 5).mean():.0%}")

if __name__ == '__main__':
    try: main()
    except ValueError as e: print(f"age_effect: {e}", file=sys.stderr); sys.exit(2)   # bad input: one line, no traceback
