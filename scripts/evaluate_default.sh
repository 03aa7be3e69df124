#!/usr/bin/env bash
# Runs the benchmark of the default model (issue 7's full protocol) and publishes it as BENCHMARK.md.
# Usage: bash scripts/evaluate_default.sh [OUT_DIR]   (default out/benchmark; about an hour on 2 CPU cores)
# The conditioning ablation needs data/models/{default-8k,ablation-paper} (scripts/train_ablation_paper.sh); without
# them those two entries are listed in the report as "Not run".
set -euo pipefail
OUT=${1:-out/benchmark}
mkdir -p "$(dirname "$OUT")"
/usr/bin/time -v diffusets evaluate --config configs/benchmark_default.json --out "$OUT" 2> "$OUT.time" || { cat "$OUT.time"; exit 1; }
mkdir -p images/benchmark
cp "$OUT"/*.png images/benchmark/
sed -e 's|(\([a-z_]*\.png\))|(images/benchmark/\1)|g' "$OUT/report.md" > BENCHMARK.md
cat scripts/evaluation_discussion.md >> BENCHMARK.md   # the reading of this run, written after it
grep -E "Elapsed|Maximum resident" "$OUT.time"
