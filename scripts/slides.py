"""Slide metadata for lecture mode (jupyterlab-deck): one slide per section, fragments for derivation
steps, the set-up cell and exercise solutions skipped, never "-" (deck hides those cells).

    python scripts/slides.py notebooks          # write the metadata in place
    python scripts/slides.py --check notebooks  # exit 1 if a notebook's metadata differs from the rules
"""

from __future__ import annotations

import sys

import nbformat

from strip_notebooks import rewrite_cli  # scripts/ is on sys.path when a script here runs


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
    return rewrite_cli(__doc__.splitlines()[0], with_slides, "slide metadata out of date", "slide metadata written")


if __name__ == "__main__":
    sys.exit(main())
