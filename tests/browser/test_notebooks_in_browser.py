"""Every notebook, run from JupyterLab's Run menu in a real Chromium: no error output, every widget
rendered, every slider (ipywidgets, the canvas scrubbers', plotly's own) moves a figure, a Text box
drives a figure, every canvas scrubber works from the keyboard and reads out to a screen reader, and at the
end axe-core finds no serious or critical violation in the course's own output (cell outputs and rendered
markdown; axe_audit.py says exactly what counts as ours). JupyterLab's own violations are printed and written
to tests/browser/artifacts/axe/<notebook>.json, never failed on.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path
from typing import Callable

import pytest
from playwright.sync_api import Page

import axe_audit
import labpage
from labserver import LabServer, notebook_paths

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

RUN_TIMEOUT_S = 180  # per notebook, 2 cores
NOTEBOOKS = notebook_paths()


def needs_a_slider(notebook: Path) -> bool:
    """A notebook whose code calls a scrubber or makes an ipywidgets slider must show a slider."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return re.search(r"scrubber\(|Slider\(", code) is not None


def moves_figure(page: Page, action: Callable[[], None]) -> bool:
    """Let pending updates land, do `action`, and report whether some plotly figure's data changed."""
    labpage.settle(page)
    before = labpage.figures(page)
    action()
    return labpage.wait_figures_change(page, before)


def move_every_slider(page: Page) -> tuple[int, list[str]]:
    """Move each ipywidgets, scrubber and plotly slider; (sliders found, descriptions of those that failed)."""
    moves = [(f"ipywidgets slider #{i}", lambda s=s: labpage.press_slider(s))
             for i, s in enumerate(page.locator(labpage.IPYWIDGET_SLIDERS).all())]
    moves += [(f"scrubber #{i}", lambda s=s: labpage.move_scrubber(s))
              for i, s in enumerate(page.locator(labpage.SCRUBBER_SLIDERS).all())]
    moves += [(f"plotly slider #{i}", lambda s=s: labpage.move_plotly_slider(s))
              for i, s in enumerate(page.locator(labpage.PLOTLY_SLIDERS).all())]
    failed = [name for name, action in moves if not moves_figure(page, action)]
    return len(moves), failed


def run_in_lab(page: Page, lab: LabServer, notebook: Path) -> None:
    """Open the notebook, Run All from the menu, and wait for the end (or the first error)."""
    labpage.open_notebook(page, lab.notebook_url(notebook.name))
    labpage.run_all_from_menu(page)
    labpage.wait_until_run(page, RUN_TIMEOUT_S)


def check_outputs(page: Page) -> None:
    """No error output, no traceback, every widget rendered."""
    errors = labpage.errors(page)
    assert not errors, f"error output in the notebook: {errors}"
    problems = labpage.wait_widgets_rendered(page)
    assert not problems, f"widgets not rendered: {problems}"


def check_sliders(page: Page, notebook: Path) -> None:
    """Every slider found moves a figure; a notebook with a scrubber or Slider has at least one."""
    found, failed = move_every_slider(page)
    print(f"sliders: {found} found, {found - len(failed)} moved a figure")
    assert not failed, f"moving these sliders changed no figure: {failed} (of {found} found)"
    if needs_a_slider(notebook):
        assert found >= 1, "the notebook uses a scrubber/Slider but no slider was found in the page"


# The notebook's own state, which a key aimed at a scrubber must leave alone (JupyterLab's command mode
# takes ↑/↓, Space, Home/End ... when no one stops it).
NOTEBOOK_STATE_JS = f"""() => {{ const nb = {labpage.PANEL}.content;
  return [nb.activeCellIndex, nb.mode, nb.widgets.length]; }}"""


def check_scrubber_keys(page: Page) -> None:
    """On every canvas scrubber: →, End, Home, ←, Space move (and play) it, focus stays on its range and the
    notebook's active cell, mode and cells stay as they were; each canvas is labelled and read out."""
    sliders = page.locator(labpage.SCRUBBER_SLIDERS).all()
    for i, slider in enumerate(sliders):
        labpage.settle(page)
        slider.focus()   # focusing makes the scrubber's cell the active one (JupyterLab): from there, no change
        before = page.evaluate(NOTEBOOK_STATE_JS)

        def notebook_unchanged() -> list[str]:
            now = page.evaluate(NOTEBOOK_STATE_JS)
            return [] if now == before else [f"the notebook acted: [active cell, mode, cells] {before} -> {now}"]

        problems = labpage.press_scrubber_keys(slider, notebook_unchanged) + labpage.scrubber_spoken_problems(slider)
        assert not problems, f"scrubber #{i} from the keyboard / for a screen reader: {problems}"
    print(f"scrubbers: {len(sliders)} worked from the keyboard")


def check_text_box(page: Page) -> None:
    """If there is an ipywidgets Text box, typing three words + Enter changes a figure ("the mice
    had", or "long ago ," when the box already holds those)."""
    boxes = page.locator(labpage.TEXT_INPUTS)
    if boxes.count():
        print(f"text boxes: {boxes.count()}, typing into the first")
        typed: list[str] = []
        assert moves_figure(page, lambda: typed.append(labpage.type_words(boxes.first))), \
            f"typing {typed} + Enter into the Text box changed no figure"


def check_axe(page: Page, notebook: Path) -> None:
    """axe-core over the whole lab page: none of ours (serious/critical); JupyterLab's recorded, not failed on."""
    if not axe_audit.AXE_JS.exists():
        pytest.fail(axe_audit.AXE_HINT, pytrace=False)
    labpage.settle(page)
    found = axe_audit.audit(page)
    (ARTIFACTS / "axe").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe" / f"{notebook.stem}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    print(f"axe, serious/critical nodes: ours {axe_audit.counts(found['ours'])}, "
          f"JupyterLab's {axe_audit.counts(found['theirs'])}")
    assert not found["ours"], f"axe-core in the course's own output:\n{axe_audit.summary(found['ours'])}"


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(notebook: Path, lab: LabServer, page: Page) -> None:
    """Run All in the UI, then check outputs, widgets, sliders and Text boxes; screenshot at the end."""
    start = time.monotonic()
    try:
        run_in_lab(page, lab, notebook)
        check_outputs(page)
        check_scrubber_keys(page)
        check_sliders(page, notebook)
        check_text_box(page)
        assert not labpage.errors(page), "an error appeared while moving the sliders"
        check_axe(page, notebook)
    finally:
        with contextlib.suppress(Exception):  # never hide the real failure behind a screenshot one
            labpage.full_screenshot(page, ARTIFACTS / f"{notebook.stem}.png")
        print(f"{notebook.name}: {time.monotonic() - start:.1f} s in the browser")
