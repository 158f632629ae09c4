"""The instructor's copy of the course: every exercise solution shown and executed, its check's ✔
displayed, written to build/solutions/ (the learner's notebooks are not touched).

    python scripts/solutions.py [NOTEBOOK ...]   (default: every notebook in notebooks/)
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "solutions"
CHECK_LINE = re.compile(r"^assert (check_\w+\([^()]*(?:\([^()]*\)[^()]*)*\))\s*$")  # one check call, alone


def shown_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Solution cells un-hidden, on the slides, and `assert check_x(...)` lines turned into displays."""
    for cell in nb.cells:
        if "solution" not in cell.metadata.get("tags", []):
            continue
        cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        cell.metadata.pop("slideshow", None)
        cell.source = "\n".join(CHECK_LINE.sub(r"display(\1)", line) for line in cell.source.splitlines())
    return nb


def write_solutions(path: Path, out: Path = OUT) -> Path:
    """Execute the instructor's version of one notebook into `out`; the path written."""
    nb = shown_solutions(nbformat.read(path, as_version=4))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    out.mkdir(parents=True, exist_ok=True)
    target = out / path.name
    nbformat.write(nb, target)
    return target


def main(argv: list[str]) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["UNROLLED_PROGRESS"] = "off"   # the instructor's copy never touches a progress record
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    shutil.rmtree(OUT, ignore_errors=True)
    for path in paths:
        print(f"{path.name} -> {write_solutions(path).relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
