"""Print the README's benchmark tables from a `diffusets evaluate` results.json: the model, its ablations and
DeepFake-ECG; and DPM-Solver++ at 20 steps against the paper's 1000-step DDPM (is its estimate inside DDPM-1000's
95 % interval?).

Usage: python scripts/evaluation_table.py out/benchmark/results.json"""
import json, math, sys

COLS = [('hr_mae', 'HR-MAE (bpm)'), ('hr_within_5', 'HR within ±5'), ('adherence', 'adherence'), ('clip_score', 'CLIP score'),
        ('rclip', 'rCLIP'), ('fid', 'FID'), ('rfid', 'rFID'), ('precision', 'precision'), ('recall', 'recall')]

def fmt(v)->str:
    if v is None or (isinstance(v, float) and math.isnan(v)): return '–'
    if isinstance(v, list):
        x, lo, hi = v
        if x is None or (isinstance(x, float) and math.isnan(x)): return '–'
        return f'{x:.3g}' + ('' if lo is None or (isinstance(lo, float) and math.isnan(lo)) else f' [{lo:.3g}, {hi:.3g}]')
    return f'{v:.3g}' if isinstance(v, float) else str(v)

def table(results:dict)->str:
    rows = [e for e in results['entries'] if e['group'] in ('model', 'ablation', 'outside')]
    floor = results['floors']
    out = ['| generator | ' + ' | '.join(c for _, c in COLS) + ' |', '|---|' + '---|' * len(COLS)]
    out += ['| ' + e['name'] + ' | ' + ' | '.join(fmt(e.get(k)) for k, _ in COLS) + ' |' for e in rows]
    out.append('| real vs real (floor / ceiling) | – | – | ' + ' | '.join(fmt(floor.get(k)) for k, _ in COLS[2:]) + ' |')
    return '\n'.join(out)

def sampler_comparison(results:dict, fast:str='dpmpp_2m 20', slow:str='ddpm 1000')->str:
    "DPM-Solver++ 20 vs DDPM-1000, with and without guidance: HR-MAE and adherence, and whether the fast one's estimate is in the slow one's interval."
    by = {e['name']: e for e in results['entries']}
    out = ['| setting | metric | ' + fast + ' | ' + slow + ' | inside the interval |', '|---|---|---|---|---|']
    for suffix, label in (('', 'no guidance'), (' guided', 'guidance (3, 3)')):
        f, s_ = by.get(fast + suffix), by.get(slow + suffix)
        if f is None or s_ is None: continue
        for k in ('hr_mae', 'hr_within_5', 'adherence'):
            inside = s_[k][1] <= f[k][0] <= s_[k][2]
            out.append(f'| {label} | {k} | {fmt(f[k])} | {fmt(s_[k])} | {"yes" if inside else "no"} |')
    return '\n'.join(out)

if __name__ == '__main__':
    res = json.load(open(sys.argv[1]))
    print(table(res)); print(); print(sampler_comparison(res))
