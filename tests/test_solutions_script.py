"""scripts/solutions.py: the instructor's copy shows every solution and its ✔, the learner's stays hidden."""

import importlib.util
from pathlib import Path

import nbformat

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "solutions.py"
spec = importlib.util.spec_from_file_location("solutions", SCRIPT)
solutions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solutions)


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("def f():\n    return 1\n\n\nassert check_f(f)",
                                          metadata={"jupyter": {"source_hidden": True}, "tags": ["solution"],
                                                    "slideshow": {"slide_type": "skip"}})]
    return nb


def test_solutions_are_shown_and_their_check_displayed():
    cell = solutions.shown_solutions(_notebook()).cells[1]
    assert "source_hidden" not in cell.metadata["jupyter"] and "slideshow" not in cell.metadata
    assert cell.source.endswith("display(check_f(f))")


def test_other_cells_are_left_alone():
    nb = solutions.shown_solutions(_notebook())
    assert nb.cells[0].source == "x = 1"


def test_a_compound_assert_stays_an_assert():
    nb = _notebook()
    nb.cells[1].source = "assert check_f(f) and check_g(g)"
    assert solutions.shown_solutions(nb).cells[1].source == "assert check_f(f) and check_g(g)"
