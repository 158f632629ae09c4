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
