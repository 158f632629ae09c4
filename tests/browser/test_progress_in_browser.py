"""A learner's progress, end to end in JupyterLab: in 00_start_here, answer exercise 2 wrong, then
right, and exercise 1 wrong, in the notebook's own cells; run the "Your progress" cell again: the
course map shows ✔ output_size after 2 tries and ✘ dense_tanh tried once, and the record file
(UNROLLED_PROGRESS, set by `make browser` and tests/conftest.py) says so.
The map's screenshot goes to tests/browser/artifacts/learner_map.png (the README's picture).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

import labpage
from labserver import LabServer

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NOTEBOOK = "00_start_here.ipynb"


def record_file() -> Path:
    """The test's progress file (never a learner's own)."""
    path = os.environ.get("UNROLLED_PROGRESS", "")
    if not path or path == "off":
        pytest.fail("UNROLLED_PROGRESS is not set: run the browser tests with `make browser`", pytrace=False)
    return Path(path)


def run_cell_with(page: Page, marker: str, source: str | None = None) -> str:
    """Find the code cell whose text holds `marker`, replace its text by `source` (if given), run it
    with Shift+Enter, wait for the kernel; the cell's output text."""
    cells = page.locator(".jp-CodeCell")
    index = next(k for k, c in enumerate(cells.all()) if marker in c.inner_text())
    cell = cells.nth(index)                             # by position: its text is about to change
    editor = cell.locator(".cm-content")
    editor.click()
    if source is not None:
        page.keyboard.press("Control+A")
        page.keyboard.type(source)
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(300)
    page.wait_for_function(labpage.KERNEL_IDLE_JS, timeout=60_000)
    return cell.locator(".jp-OutputArea").inner_text()


@pytest.mark.browser
def test_answers_typed_in_the_notebook_appear_on_the_course_map(lab: LabServer, page: Page) -> None:
    path = record_file()
    path.unlink(missing_ok=True)
    labpage.open_notebook(page, lab.notebook_url(NOTEBOOK))
    labpage.run_all_from_menu(page)
    labpage.wait_until_run(page, 120)
    assert not path.exists(), "Run All on the untouched notebook recorded an attempt"
    progress_cell = "progress = show_progress()"
    chip = page.locator(".unrolled-progress span[role='img'][aria-label^='output_size']")
    other = page.locator(".unrolled-progress span[role='img'][aria-label^='dense_tanh']")
    assert "not tried" in chip.get_attribute("aria-label")

    answer = "output_size = {}   # my answer\ncheck_output_size(output_size)"
    wrong = run_cell_with(page, "output_size = None", answer.format(3))
    right = run_cell_with(page, "output_size = 3", answer.format(4))
    assert "✘" in wrong and "input size" in wrong and "✔" in right, (wrong, right)
    forgot_tanh = run_cell_with(page, "def dense_tanh(W, x, b):", "dense_tanh = lambda W, x, b: W @ x + b"
                                "   # forgot the tanh\ncheck_dense_tanh(dense_tanh)")
    assert "wrong values" in forgot_tanh, forgot_tanh
    run_cell_with(page, progress_cell)
    label = chip.get_attribute("aria-label")
    assert "passed (2 tries)" in label, label
    assert "tried 1 time, not passed yet; last hint:" in other.get_attribute("aria-label")
    assert "Passed 1 of 26 exercises; 1 tried" in page.locator(".unrolled-progress").inner_text()

    entries = json.loads(path.read_text())["exercises"]
    size, dense = entries["00.output_size"], entries["00.dense_tanh"]
    assert (size["attempts"], size["passed"], size["attempts_to_pass"]) == (2, True, 2)
    assert (dense["attempts"], dense["passed"]) == (1, False) and "wrong values" in dense["last_hint"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".unrolled-progress").screenshot(path=str(ARTIFACTS / "learner_map.png"))
