"""Executes notebooks headlessly with nbclient, as the notebook test does; fails on any cell error.

Usage: /usr/bin/python3 notebooks-data/notebooks/run_notebooks.py [NOTEBOOK.ipynb ...]
(all notebooks of this folder when none is given). Run with Debian's python3, which has
python3-nbclient, python3-ipykernel, python3-matplotlib and python3-pandas. The notebooks are
executed in memory: the files stay without outputs.
"""
import pathlib
import re
import sys
import time

import os

import nbclient
import nbformat

HERE = pathlib.Path(__file__).resolve().parent
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the kernel inherits it: no debugger warning


def run(path, timeout=600):
    nb = nbformat.read(path, as_version=4)
    started = time.time()
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # the traceback without terminal colours
        print(f"{path.name}: a cell failed\n{plain}", file=sys.stderr)
        return False
    print(f"{path.name}: {len(nb.cells)} cells ran in {time.time() - started:.1f} s")
    return True


if __name__ == "__main__":
    paths = [pathlib.Path(p).resolve() for p in sys.argv[1:]] or sorted(HERE.glob("*.ipynb"))
    ok = all([run(p) for p in paths])
    sys.exit(0 if ok else 1)
