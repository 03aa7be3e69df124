"""How well do the blind recognisers of chapter 03_measure find the rarer conditions? Sensitivity and specificity per
statement on enriched phantom records, with Wilson 95 % intervals.

Generates `--n` enriched phantom records of seed `--seed` (`generate(n, seed, enriched=True)`, in chunks of `--chunk`:
record i depends only on (seed, i), so the chunking changes nothing), measures every chunk blind (`measure` and
`condition_measurements` see only the signal and its rate), and only then compares `condition_signature` with the
labels in `meta`. Seed 0 is the benchmark seed: the thresholds were set on development seeds 11 and 12.

Usage: python scripts/condition_recognition.py                       # 2,000 records of seed 0 -> bench/conditions
       python scripts/condition_recognition.py --n 300 --out /tmp/conditions
Writes recognition.json (per statement: flag, positives, negatives, sensitivity, specificity and their intervals) and
recognition.md (the same as a table).
"""
from __future__ import annotations
import argparse, json, time
from pathlib import Path
import pandas as pd
from diffusets_nb.core import atomic_write
from diffusets_nb.phantom import generate
from diffusets_nb.measure import (measure, condition_measurements, condition_signature, recognition_table,
                                  CONDITION_SIGNATURE_OF_STATEMENT)

def measure_chunks(n:int, seed:int, chunk:int)->tuple: # -> (labels, flags), one row per record
    labels, flags = [], []
    for start in range(0, n, chunk):
        t0, b = time.perf_counter(), generate(min(chunk, n - start), seed, start=start, enriched=True)
        m, c = measure(b.signal, b.fs), condition_measurements(b.signal, b.fs)   # blind: the signal and its rate only
        flags.append(condition_signature(m, c))
        labels.append(pd.DataFrame({k: b.meta[f'flag_{k}'].to_numpy(bool) for k in CONDITION_SIGNATURE_OF_STATEMENT.values()}))
        print(f'records {start}–{start + len(b) - 1}: {time.perf_counter() - t0:.0f} s', flush=True)
    return pd.concat(labels, ignore_index=True), pd.concat(flags, ignore_index=True)

def markdown(table:pd.DataFrame, n:int, seed:int)->str:
    pct = lambda v, lo, hi: f'{100 * v:.1f} % ({100 * lo:.1f}–{100 * hi:.1f})' if v == v else 'n/a'
    rows = [f'| {s} | `{k}` | {int(r.positives)} | {int(r.negatives)} | {pct(r.sensitivity, r.sens_lo, r.sens_hi)} | {pct(r.specificity, r.spec_lo, r.spec_hi)} |'
            for s, k in CONDITION_SIGNATURE_OF_STATEMENT.items() for r in [table.loc[k]]]
    return '\n'.join([f'Blind recognition of the rarer statements on {n:,} enriched phantom records (seed {seed}); '
                      'sensitivity and specificity with Wilson 95 % intervals.', '',
                      '| statement | flag | positives | negatives | sensitivity | specificity |', '|---|---|---|---|---|---|', *rows, ''])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=2000); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--chunk', type=int, default=250); ap.add_argument('--out', default='bench/conditions')
    a = ap.parse_args()
    labels, flags = measure_chunks(a.n, a.seed, a.chunk)
    table = recognition_table(labels, flags)
    statement = {k: s for s, k in CONDITION_SIGNATURE_OF_STATEMENT.items()}
    num = lambda v: None if v != v else (v.item() if hasattr(v, 'item') else v)   # nan -> null: strict JSON
    rows = [dict(statement=statement[k], flag=k, **{c: num(v) for c, v in r.items()}) for k, r in table.to_dict('index').items()]
    out = Path(a.out)
    atomic_write(out/'recognition.json', lambda p: Path(p).write_text(json.dumps(dict(n=a.n, seed=a.seed, enriched=True, rows=rows), indent=1)))
    atomic_write(out/'recognition.md', lambda p: Path(p).write_text(markdown(table, a.n, a.seed)))
    print(markdown(table, a.n, a.seed))

if __name__ == '__main__':
    try: main()
    except ValueError as e: print(f"condition_recognition: {e}", file=__import__('sys').stderr); raise SystemExit(2)   # one line, no traceback
