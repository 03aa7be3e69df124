#!/usr/bin/env bash
# Trains the package's default model from scratch with the package's own commands (about 9 h on 2 CPU cores).
# Usage: bash scripts/train_default.sh [WORK_DIR]   (default data/; the finished model goes to diffusets_nb/assets/default)
set -euo pipefail
W=${1:-data}
[ -f "$W/corpora/default/.done" ] || { diffusets phantom --n 24000 --out "$W/corpora/default" --layout mimic --seed 0; touch "$W/corpora/default/.done"; }
[ -f "$W/cache/default/info.json" ] || diffusets prepare "$W/corpora/default" --out "$W/cache/default" --workers 2
diffusets train vae --data "$W/cache/default" --out "$W/runs/default/vae" --config configs/default_vae.json
[ -f "$W/runs/default/latents/latents.npy" ] || diffusets encode --vae "$W/runs/default/vae" --data "$W/cache/default" --out "$W/runs/default/latents"
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser" --config configs/default_denoiser.json
[ -d "$W/runs/default/denoiser_8000" ] || cp -r "$W/runs/default/denoiser" "$W/runs/default/denoiser_8000"   # the ablation's same-step baseline
# then the same run continues to 16,000 and 24,000 steps: each a warm restart of the cosine schedule (a stage ends at 0.1 lr)
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser" --config configs/default_denoiser.json --steps 16000
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser" --config configs/default_denoiser.json --steps 24000
[ -d "$W/runs/default/denoiser_24000" ] || cp -r "$W/runs/default/denoiser" "$W/runs/default/denoiser_24000"
# a last stage to 30,000 steps: records with rare statements drawn more often (balance 0.5) and half the timesteps
# below t = 250, where the model had learnt to smooth away a P wave far from its usual place
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser" --config configs/default_denoiser_refine.json --allow-changes
# the final stage, a new run warm-started from those weights: the pooled report also scales and shifts every block
# (text_film); 4,000 steps, then continued to 8,000 and 12,000 (warm restarts, as above)
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser_film" --config configs/default_denoiser_film.json --init "$W/runs/default/denoiser"
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser_film" --config configs/default_denoiser_film.json --steps 8000
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser_film" --config configs/default_denoiser_film.json --steps 12000
# two patient-pathway stages, new runs from those weights: only the age/sex/HR encoder and every block's adaptive
# normalisation learn (a wider AdaGN map, ada_hidden 64), with 60 % of the timesteps drawn from t = 400-900 (3.4 h)
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser_patient" --config configs/default_denoiser_patient.json --init "$W/runs/default/denoiser_film"
diffusets train denoiser --data "$W/runs/default/latents" --out "$W/runs/default/denoiser_patient2" --config configs/default_denoiser_patient.json --init "$W/runs/default/denoiser_patient" --seed 9
# the benchmark's ECG-text CLIP evaluator, trained on the same corpus and frozen with its held-out figures
diffusets train clip --data "$W/cache/default" --out "$W/runs/default/clip" --config configs/default_clip.json
diffusets save-clip --run "$W/runs/default/clip" --data "$W/cache/default" --out diffusets_nb/assets/clip \
  --corpus "the default phantom corpus (24,000 records, corpus seed 0, MIMIC-IV-ECG layout, training split)"
python scripts/default_model_card.py --runs "$W/runs/default" --cache "$W/cache/default" --out diffusets_nb/assets/default
