"""The strip script keeps exactly what nbval needs: kept outputs with their counts, nothing else."""

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts/strip_notebooks.py"


def _executed_notebook() -> nbformat.NotebookNode:
    kept = new_code_cell("print(199)", execution_count=2, metadata={"tags": ["keep_output"]},
                         outputs=[new_output("stream", name="stdout", text="199\n")])
    plain = new_code_cell("print(1)", execution_count=1,
                          outputs=[new_output("stream", name="stdout", text="1\n")])
    nb = new_notebook(cells=[plain, kept])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": 1}}}
    return nb


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)


def test_strip_keeps_tagged_outputs_with_counts_and_drops_the_rest(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_executed_notebook(), path)
    assert _run("--check", str(path)).returncode == 1
    assert _run(str(path)).returncode == 0
    nb = nbformat.read(path, as_version=4)
    plain, kept = nb.cells
    assert plain.outputs == [] and plain.execution_count is None
    assert kept.outputs[0].text == "199\n" and kept.execution_count == 2
    assert "widgets" not in nb.metadata
    assert nb.metadata.kernelspec.name == "python3"
    assert _run("--check", str(path)).returncode == 0


def test_committed_notebooks_are_stripped():
    result = _run("--check", str(ROOT / "notebooks"))
    assert result.returncode == 0, result.stdout
