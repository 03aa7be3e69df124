"""The README's Python snippet runs as a user would run it: from another folder, here one that holds a folder named
like the package (as the parent of a clone called `diffusets_nb` does), which must not shadow the installed package."""
import os, re, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def readme_python()->str:
    blocks = re.findall(r'```python\n(.*?)```', (ROOT/'README.md').read_text(), re.S)
    assert blocks, 'the README has no Python snippet'
    return blocks[0]

def test_readme_snippet_from_a_parent_folder():
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp)/'diffusets_nb').symlink_to(ROOT)   # the clone, seen from its parent folder
        env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
        code = 'import matplotlib; matplotlib.use("Agg")\n' + readme_python() + '\nimport diffusets_nb; print("package:", diffusets_nb.__file__)'
        res = subprocess.run([sys.executable, '-c', code], cwd=tmp, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr[-2000:]
        assert f"package: {ROOT/'diffusets_nb'/'__init__.py'}" in res.stdout, res.stdout
        assert len(list((Path(tmp)/'out'/'ecgs').glob('*.hea'))) == 4
