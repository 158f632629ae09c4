"""Strip notebooks for git: no outputs, counts or widget state, except cells tagged keep_output
(which keep their outputs *and* execution counts, so nbval can compare them). Keeps the python3
kernelspec so JupyterLab opens them without a kernel prompt.

    python scripts/strip_notebooks.py notebooks          # rewrite in place
    python scripts/strip_notebooks.py --check notebooks  # exit 1 if any notebook is not stripped
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbstripout._utils import strip_output

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def is_kept(cell: dict) -> bool:
    return "keep_output" in cell.get("metadata", {}).get("tags", [])


def stripped(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as it should be committed."""
    nb = strip_output(nb, keep_output=False, keep_count=True, keep_id=True)
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_kept(cell):
            cell.execution_count = None
            cell.outputs = []
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report, don't rewrite")
    args = parser.parse_args()
    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.glob("*.ipynb")))
    dirty = []
    for path in files:
        text = path.read_text()
        clean = nbformat.writes(stripped(nbformat.reads(text, as_version=4))) + "\n"
        if clean != text:
            dirty.append(path)
            if not args.check:
                path.write_text(clean)
    verb = "not stripped" if args.check else "stripped"
    for path in dirty:
        print(f"{verb}: {path}")
    print(f"{len(files)} notebooks checked, {len(dirty)} {verb}.")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
