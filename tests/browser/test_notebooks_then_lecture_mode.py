"""Lecture mode: a notebook run in JupyterLab, then presented with jupyterlab-deck, where a scrubber
on a slide still scrubs (deck only re-arranges the live cells, so widgets keep working), from the mouse
and from the keyboard: on its focused range the arrow keys, Home/End and Space move the scrubber, not
the deck.

The file name sorts after test_notebooks_in_browser.py on purpose: deck remembers being on in the
lab's settings, so presenting goes last."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

import labpage
from labserver import LabServer, notebook_paths

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NOTEBOOK = next(p for p in notebook_paths() if p.name.startswith("01_"))   # has a timestep scrubber
MAX_SLIDES = 60
SLIDE_JS = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"   # deck shows the active cell


def deck(page: Page, command: str) -> None:
    """Run one of jupyterlab-deck's commands (deck:start, deck:forward, deck:stop ...)."""
    page.evaluate("(c) => window.jupyterapp.commands.execute(c)", command)
    page.wait_for_timeout(300)


def presenting(page: Page) -> str | None:
    """jupyterlab-deck's mode, as it marks it on <body> ("presenting" in a presentation)."""
    return page.evaluate("() => document.body.dataset.jpDeckMode || null")


def visible_scrubber(page: Page) -> Locator | None:
    """The first scrubber slider shown on the current slide (deck hides the other slides' cells), or None."""
    for slider in page.locator(labpage.SCRUBBER_SLIDERS).all():
        if slider.is_visible():
            return slider
    return None


def really_shown(slider: Locator) -> bool:
    """The slider is what a click at its centre hits, and no ancestor is transparent (deck fades)."""
    slider.scroll_into_view_if_needed()
    return slider.evaluate("""(g) => {
      const box = g.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      for (let n = g; n && n !== document.body; n = n.parentElement)
        if (getComputedStyle(n).opacity === '0') return false;
      return g.contains(hit);
    }""")


def go_to_a_scrubber(page: Page) -> Locator:
    """Advance slide by slide until a scrubber's slider is on screen."""
    for _ in range(MAX_SLIDES):
        slider = visible_scrubber(page)
        if slider is not None:
            return slider
        deck(page, "deck:forward")
    raise AssertionError(f"no scrubber on screen in the first {MAX_SLIDES} slides of {NOTEBOOK.name}")


@pytest.mark.browser
def test_a_scrubber_scrubs_in_presentation_mode(lab: LabServer, page: Page) -> None:
    labpage.open_notebook(page, lab.notebook_url(NOTEBOOK.name))
    labpage.run_all_from_menu(page)
    labpage.wait_until_run(page, 180)
    try:
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
        assert presenting(page) != "presenting", "the lab opened in presentation mode"
        deck(page, "deck:start")                    # the deck opens at the active cell: the title
        assert presenting(page) == "presenting", f"deck:start did not enter presentation mode: {presenting(page)}"
        slider = go_to_a_scrubber(page)
        labpage.settle(page)
        assert really_shown(slider), "the scrubber's slide is in the page but not shown (hidden or transparent)"
        before = labpage.figures(page)
        labpage.move_scrubber(slider)
        assert labpage.wait_figures_change(page, before), "moving the scrubber on a slide changed no figure"
        slider.focus()
        slide = page.evaluate(SLIDE_JS)

        def deck_stayed() -> list[str]:
            now = (presenting(page), page.evaluate(SLIDE_JS))
            return [] if now == ("presenting", slide) else [f"the deck moved: (mode, slide) {now}, was {slide}"]

        problems = labpage.press_scrubber_keys(slider, deck_stayed)
        assert not problems, f"keys on a scrubber's range in presentation mode: {problems}"
        slider.scroll_into_view_if_needed()
    finally:
        with contextlib.suppress(Exception):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "lecture_mode.png"))
        with contextlib.suppress(Exception):
            deck(page, "deck:stop")
