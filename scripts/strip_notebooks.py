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
from typing import Callable

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


def rewrite_cli(description: str, transform: Callable[[nbformat.NotebookNode], nbformat.NotebookNode],
                check_verb: str, write_verb: str) -> int:
    """The command line both notebook scripts share: rewrite each notebook given (files or folders) with
    `transform`, or with --check only report the ones that would change (exit 1 if any)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report, don't rewrite")
    args = parser.parse_args()
    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.glob("*.ipynb")))
    changed = []
    for path in files:
        text = path.read_text()
        new = nbformat.writes(transform(nbformat.reads(text, as_version=4))) + "\n"
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new)
    verb = check_verb if args.check else write_verb
    for path in changed:
        print(f"{verb}: {path}")
    print(f"{len(files)} notebooks checked, {len(changed)} {verb}.")
    return 1 if (args.check and changed) else 0


def main() -> int:
    return rewrite_cli(__doc__.splitlines()[0], stripped, "not stripped", "stripped")


if __name__ == "__main__":
    sys.exit(main())
