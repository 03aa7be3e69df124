#!/usr/bin/env bash
# Trains the benchmark's conditioning ablation: the default recipe's first stage (8,000 steps) with the paper's single
# conditioning vector (`--mode paper`) instead of statement tokens, on the default model's VAE latents, and saves it
# beside the default run stopped at the same step (its baseline in configs/benchmark_default.json).
# Usage: bash scripts/train_ablation_paper.sh [WORK_DIR]   (run scripts/train_default.sh first; 75 min on 2 cores)
set -euo pipefail
W=${1:-data}
R="$W/runs/ablation-paper/denoiser"
diffusets train denoiser --data "$W/runs/default/latents" --out "$R" --config configs/default_denoiser.json --mode paper
diffusets save-model --vae "$W/runs/default/vae" --denoiser "$R" --out "$W/models/ablation-paper" --name ablation-paper \
  --sampler ddpm --steps 100 --guidance 3,3 --overwrite
diffusets save-model --vae "$W/runs/default/vae" --denoiser "$W/runs/default/denoiser_8000" --out "$W/models/default-8k" \
  --name default-8k --sampler ddpm --steps 100 --guidance 3,3 --overwrite
