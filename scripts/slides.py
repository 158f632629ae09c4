"""Slide metadata for lecture mode (jupyterlab-deck): one slide per section, fragments for derivation
steps, the set-up cell and exercise solutions skipped, never "-" (deck hides those cells).

    python scripts/slides.py notebooks          # write the metadata in place
    python scripts/slides.py --check notebooks  # exit 1 if a notebook's metadata differs from the rules
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat


def slide_type(cell: nbformat.NotebookNode, index: int, previous: nbformat.NotebookNode | None = None) -> str:
    """The slideshow type the rules give this cell ("" = continues the current slide)."""
    source = cell.source.lstrip()
    after_formula = previous is not None and previous.cell_type == "markdown" and "$$" in previous.source
    if index == 0 or (cell.cell_type == "markdown" and source.startswith("## ")):
        return "slide"
    if cell.cell_type == "markdown" and source.startswith("### "):
        return "subslide"
    if index == 1 or "solution" in cell.metadata.get("tags", []):
        return "skip"                     # the imports / set-up cell, and every exercise solution
    if (cell.cell_type == "markdown" and "$$" in source) or (cell.cell_type == "code" and after_formula):
        return "fragment"                 # a derivation step, then the cell that checks it, one at a time
    return ""


def with_slides(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with every cell's metadata.slideshow set by the rules ("" leaves it unset)."""
    for index, cell in enumerate(nb.cells):
        kind = slide_type(cell, index, nb.cells[index - 1] if index else None)
        if kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
        else:
            cell.metadata.pop("slideshow", None)
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report, don't rewrite")
    args = parser.parse_args()
    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.glob("*.ipynb")))
    differ = []
    for path in files:
        text = path.read_text()
        new = nbformat.writes(with_slides(nbformat.reads(text, as_version=4))) + "\n"
        if new != text:
            differ.append(path)
            if not args.check:
                path.write_text(new)
    verb = "slide metadata out of date" if args.check else "slide metadata written"
    for path in differ:
        print(f"{verb}: {path}")
    print(f"{len(files)} notebooks checked, {len(differ)} {verb}.")
    return 1 if (args.check and differ) else 0


if __name__ == "__main__":
    sys.exit(main())
