"""Print the README's speed tables from a `diffusets bench` bench.json: the promised figures, generation at batch 16
and 64 for the paper's sampler and the fast ones, and the optimisations before and after.

Usage: python scripts/speed_table.py bench/bench.json"""
import json, sys
import pandas as pd
from diffusets_nb.speed import key_figures, met_text, optimisation_table, SAMPLER_NAMES, _md

def tables(res:dict)->str:
    m = res['machine']
    figures = key_figures(res)
    kf = pd.DataFrame(figures).assign(met=met_text(figures))
    gen = pd.DataFrame([r for g in res.get('generation', []) for r in g['rows']])
    keep = gen[gen.batch.isin([1, 16, 64]) & gen.apply(lambda r: (r.sampler, r.steps) in
               {('ddpm', 1000), ('ddim', 20), ('dpmpp_2m', 10), ('dpmpp_2m', 20)}, axis=1)]
    keep = keep.assign(sampler=keep.sampler.map(SAMPLER_NAMES), guidance=keep.guidance.map({True: '(3, 3)', False: 'off'}))
    keep = keep[['batch', 'sampler', 'steps', 'guidance', 'loop_s', 'decode_s', 'ecg_per_s', 'ms_per_ecg']]
    opt = optimisation_table(res)[['optimisation', 'measured', 'before_s', 'after_s', 'speedup']]
    return '\n'.join([f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, torch {m['torch']} (CPU), no GPU; "
                      f"{res['date']}, `{res['command']}`, {res['seconds'] / 60:.0f} min.\n", _md(kf), '', _md(keep), '', _md(opt)])

if __name__ == '__main__': print(tables(json.loads(open(sys.argv[1]).read())))
