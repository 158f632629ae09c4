"""Every scrubber of every notebook, timed as the notebook builds it: each notebook is run from
JupyterLab's Run menu in Chromium (a copy, in a scratch folder), then each scrubber on the page is
clicked `moves` times, each time at another step of its slider; then each canvas scrubber's range is focused
and → pressed `moves` times (← at the last step), a row of its own ("canvas key").

One move is timed in the page: from the mousedown (or keydown) event's timestamp to the first animation frame after
the figure changed (a MutationObserver on the canvas scrubber's root, whose data-step attribute is set
once its canvases are redrawn, or on a plotly figure's plot layer).

Used by widget_latency.py (`make bench`); run alone: .venv/bin/python benchmarks/scrubber_latency.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
import labpage  # noqa: E402
from labserver import copy_notebooks, launch_chromium, notebook_paths, running_lab  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

RUN_TIMEOUT_S = 240

# window.__lat[kind]: t0 = the armed input event's timestamp, t1 = first animation frame after the
# observed element mutated.
INSTALL_JS = """(target, [kind, eventType]) => {
  window.__lat = window.__lat || {};
  const lat = window.__lat[kind] = {armed: false, t0: null, t1: null};
  window.addEventListener(eventType, e => {
    if (lat.armed && lat.t0 === null) lat.t0 = e.timeStamp;
  }, true);
  new MutationObserver(() => {
    if (lat.t0 === null || lat.t1 !== null || lat.pending) return;
    lat.pending = true;
    requestAnimationFrame(() => { lat.t1 = performance.now(); });
  }).observe(target, {subtree: true, attributes: true, childList: true, characterData: true});
}"""
ARM_JS = "(kind) => Object.assign(window.__lat[kind], {armed: true, t0: null, t1: null, pending: false})"
DONE_JS = "(kind) => window.__lat[kind].t1 !== null"
ELAPSED_JS = "(kind) => { const l = window.__lat[kind]; l.armed = false; return l.t1 - l.t0; }"
TITLE_JS = """(node) => {
  const canvas = node.closest('.unrolled-scrubber');
  const title = canvas ? canvas.querySelector(':scope > div') : node.closest('.js-plotly-plot').querySelector('.gtitle');
  return (title ? title.textContent : '').trim().slice(0, 60);
}"""


def timed_moves(page: Page, kind: str, move: Callable[[int], None], moves: int,
                warmup: int = 3) -> list[float]:
    """Milliseconds from input event to redrawn figure, for each of `moves` moves (after warm-up); a
    move that changed nothing within 10 s counts as inf (reported, never dropped)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    times = []
    for i in range(warmup + moves):
        labpage.settle(page, quiet_s=0.1)
        page.evaluate(ARM_JS, kind)
        move(i)
        try:
            page.wait_for_function(DONE_JS, arg=kind, timeout=10_000, polling="raf")
            elapsed = page.evaluate(ELAPSED_JS, kind)
        except PlaywrightTimeout:
            elapsed = float("inf")
        if i >= warmup:
            times.append(elapsed)
    return times


def canvas_mover(slider: Locator) -> Callable[[int], None]:
    """A move(i) that clicks a canvas scrubber's slider 1 to 5 steps on (wrapping), never where it is."""
    def move(i: int) -> None:
        value, top = int(slider.input_value()), int(slider.get_attribute("max"))
        labpage.click_scrubber_step(slider, (value + 1 + i % min(5, max(top, 1))) % (top + 1))
    return move


def key_mover(slider: Locator) -> Callable[[int], None]:
    """A move(i) that presses → on a canvas scrubber's focused range (← at the last step)."""
    def move(i: int) -> None:
        value, top = int(slider.input_value()), int(slider.get_attribute("max"))
        slider.press("ArrowLeft" if value >= top else "ArrowRight")
    return move


def plotly_mover(slider: Locator) -> Callable[[int], None]:
    """A move(i) that clicks a plotly slider's rail 1 to 5 steps on (wrapping), never where it is."""
    def move(i: int) -> None:
        active, n_steps = labpage.plotly_slider_steps(slider)
        labpage.click_plotly_step(slider, (active + 1 + i % min(5, max(n_steps - 1, 1))) % n_steps)
    return move


def scrubbers_on_page(page: Page) -> list[tuple[str, Locator, Locator, Callable[[int], None]]]:
    """(kind, slider, element to observe, move) for every canvas scrubber and plotly slider in the page."""
    found = [("canvas", s, s.locator("xpath=ancestor::div[contains(@class,'unrolled-scrubber')][1]"),
              canvas_mover(s)) for s in page.locator(labpage.SCRUBBER_SLIDERS).all()]
    found += [("plotly", s, s.locator("xpath=ancestor::div[contains(@class,'js-plotly-plot')][1]")
               .locator(".cartesianlayer").first, plotly_mover(s)) for s in page.locator(labpage.PLOTLY_SLIDERS).all()]
    return found


def time_notebook(page: Page, url: str, name: str, moves: int) -> list[dict[str, object]]:
    """Run one notebook in the lab and time every scrubber in it; one row per scrubber."""
    labpage.open_notebook(page, url)
    labpage.run_all_from_menu(page)
    labpage.wait_until_run(page, RUN_TIMEOUT_S)
    if labpage.errors(page):
        raise RuntimeError(f"{name} raised while running: {labpage.errors(page)}")
    rows = []
    for k, (kind, slider, target, move) in enumerate(scrubbers_on_page(page)):
        slider.scroll_into_view_if_needed()
        key = f"{name}-{k}"
        target.evaluate(INSTALL_JS, [key, "mousedown"])
        rows.append({"notebook": name, "index": k, "kind": kind, "title": slider.evaluate(TITLE_JS),
                     "raw_ms": timed_moves(page, key, move, moves)})
        if kind == "canvas":   # the same scrubber from the keyboard
            target.evaluate(INSTALL_JS, [key + "-key", "keydown"])
            rows.append({**rows[-1], "kind": "canvas key",
                         "raw_ms": timed_moves(page, key + "-key", key_mover(slider), moves)})
    return rows


def notebook_scrubber_latency(moves: int, notebooks: list[Path] | None = None) -> list[dict[str, object]]:
    """Every scrubber of every notebook (default: the course's), one row each with its raw times."""
    from playwright.sync_api import sync_playwright

    sources = notebooks or notebook_paths()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="unrolled-scrubbers-") as scratch:
        folder = copy_notebooks(sources, Path(scratch))
        with running_lab(folder) as lab, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for source in sources:
                rows += time_notebook(page, lab.notebook_url(source.name), source.stem[:2], moves)
                print(f"{source.name}: {sum(r['notebook'] == source.stem[:2] for r in rows)} scrubbers timed",
                      flush=True)
                lab.shutdown_kernels()
            browser.close()
    return rows


if __name__ == "__main__":   # scrubber_latency.py [moves] [notebook.ipynb ...]
    import json

    chosen = [Path(arg).resolve() for arg in sys.argv[2:]] or None
    for row in notebook_scrubber_latency(int(sys.argv[1]) if len(sys.argv) > 1 else 10, chosen):
        print(json.dumps(row))
