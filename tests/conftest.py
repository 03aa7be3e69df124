"""The chapters run on parallel workers (pytest-xdist; `-n auto` in `pyproject.toml`): each worker gets its share of
the cores, and the longest chapter starts first so that the other workers run the rest meanwhile."""
import os

_workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '0'))
if _workers > 1:
    # torch takes every core by default; two workers that each do so oversubscribe them and both run slower
    _cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1)
    for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(_var, str(max(1, _cores // _workers)))

LONGEST_FIRST = ('15_explore',)   # about half the suite's time (18 min of 38 on 2 cores); the rest keep their order

def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not any(f'[{name}]' in item.nodeid for name in LONGEST_FIRST))
