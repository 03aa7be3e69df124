"""Run every chapter in `nbs/` as a test, one pytest case per notebook, so pytest prints a passed/failed count.

Cells flagged `#| slow` (training-sized work) are skipped unless `DIFFUSETS_SLOW=1`."""
import os
from pathlib import Path
import pytest
import nbdev.test as nbt  # imported as a module so pytest does not collect `test_nb` itself

NBS = Path(__file__).resolve().parent.parent/'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith(('_', '.')))

@pytest.mark.parametrize('notebook', NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook(notebook):
    slow = os.environ.get('DIFFUSETS_SLOW') == '1'
    # a slow cell trains for up to ~20 minutes; nbdev's default limit is 10 minutes per cell
    ok, secs = nbt.test_nb(notebook, skip_flags=[] if slow else ['slow'], force_flags=['slow'] if slow else [],
                           cell_timeout=3600 if slow else 600)
    assert ok, f'{notebook.name} failed after {secs:.0f}s (the traceback is printed above)'
