"""Rules every notebook follows, read from the committed notebooks (no kernel needed)."""

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
LITERAL_SEED = re.compile(r"manual_seed\(\d+\)|seed=\d+(?=\s*[,)])|Random\(\d+\)|default_rng\(\d+\)|seed_everything\(\d")


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_seed_comes_from_unrolled_seed(path):
    cells = _code_cells(path)
    assert "seed_everything()" in cells[0].source and "SEED = course_seed()" in cells[0].source
    literal = [m.group(0) for c in cells for m in LITERAL_SEED.finditer(c.source)]
    assert literal == [], f"{path.name}: seed these from SEED, not a literal: {literal}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solution_cells_are_hidden_checked_and_print_nothing(path):
    solutions = [c for c in _code_cells(path) if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 2, f"{path.name}: fewer than two exercises with a solution"
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        body = ast.parse(cell.source).body
        assert any(isinstance(n, ast.Assert) and "check_" in ast.unparse(n) for n in body), cell.source
        shown = [ast.unparse(n) for n in body if isinstance(n, ast.Expr)]
        assert shown == [], f"{path.name}: a solution cell would show its answer on Run All: {shown}"


def _check_calls(cell: nbformat.NotebookNode) -> list[ast.Call]:
    """The calls of course checkers (check_*) in a cell."""
    return [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id.startswith("check_")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_only_the_learners_own_checks_are_recorded(path):
    """A solution cell's ✔ is not the learner's: its checks pass record=False, and no other cell does."""
    for cell in _code_cells(path):
        is_solution = "solution" in cell.metadata.get("tags", [])
        for call in _check_calls(cell):
            off = any(k.arg == "record" and ast.unparse(k.value) == "False" for k in call.keywords)
            assert off == is_solution, f"{path.name}: {ast.unparse(call)} in a {'solution' if is_solution else 'learner'} cell"


def _markdown(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def test_one_notation_steps_count_from_one_and_h0_is_the_initial_state():
    from course_utils import numpy_rnn

    stated = _markdown(NOTEBOOKS[1])
    assert "$t = 1, 2, \\dots, T$" in stated and "h_0 = 0$$" in stated
    assert "| $W_{xh}$, $W_{hh}$, $W_{hy}$ | $U$, $W$, $V$" in stated      # the seeds' names, mapped once
    assert "t = 1..T" in numpy_rnn.__doc__ and "h_0 is the initial state" in numpy_rnn.__doc__
    for path in NOTEBOOKS:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        assert "h_{-1}" not in text and "h_-1" not in text, f"{path.name} counts steps from 0"
        assert not re.search(r"\\frac\{d [a-zA-Z]", text), f"{path.name}: write total derivatives with ∂"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_slides_follow_the_lecture_rules(path):
    """make test runs this: one slide per section, solutions skipped, never "-" (deck hides those)."""
    cells = nbformat.read(path, as_version=4).cells
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "") for c in cells]
    assert kinds[0] == "slide", f"{path.name}: the title is not a slide"
    assert "-" not in kinds, f"{path.name}: jupyterlab-deck hides cells whose slide_type is '-'"
    for cell, kind in zip(cells, kinds):
        if "solution" in cell.metadata.get("tags", []):
            assert kind == "skip", f"{path.name}: a solution cell is on a slide"
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            assert kind == "slide", f"{path.name}: section {cell.source.splitlines()[0]!r} is not a slide"
        if cell.cell_type == "markdown":
            assert "\n## " not in cell.source, f"{path.name}: a section heading does not start its cell"


def test_slide_metadata_is_what_scripts_slides_writes():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "slides.py"
    done = subprocess.run([sys.executable, str(script), "--check", *map(str, NOTEBOOKS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + "run `python scripts/slides.py notebooks`"


def test_the_course_map_promises_only_notebooks_that_exist():
    course_map = next(c.source for c in nbformat.read(NOTEBOOKS[0], as_version=4).cells if "## The course map" in c.source)
    rows = re.findall(r"^\| (\d\d) \| `(\w+)` \| (.*) \|", course_map, flags=re.M)
    assert len(rows) == 9
    existing = {p.stem for p in NOTEBOOKS}
    for number, name, text in rows:
        assert (name in existing) != text.startswith("*coming*"), f"00's map row {number}: {name} exists = {name in existing}"
