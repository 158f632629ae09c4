"""How fast do the course's two kinds of widget answer a slider move?

(a) kernel work of one live-widget update: LiveFigure.update() of a representative live_figure,
    timed in this process over many calls;
(b) in a real JupyterLab + Chromium (the launcher of tests/browser), slider move -> redrawn figure:
    a step_scrubber (plotly's own slider, client-side frames: mouse click on the rail) and a
    live_figure (ipywidgets slider: ArrowRight on the handle, kernel round trip). Measured in the
    page from the input event's timestamp to the first animation frame after the figure's plot
    layer changed (MutationObserver), plus the kernel-side update time recorded in that kernel.

Not a pass/fail test: prints a table and writes benchmarks/results/widget_latency.json.
Run: .venv/bin/python benchmarks/widget_latency.py [--moves N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

os.environ["OMP_NUM_THREADS"] = "1"

import nbformat  # noqa: E402
import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
import labpage  # noqa: E402
from live_example import representative_live  # noqa: E402
from labserver import launch_chromium, running_lab  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

RESULTS = HERE / "results"
BUDGETS_MS = {"client_p95": 50.0, "kernel_update": 10.0, "live_p95": 150.0}

# window.__lat[kind]: t0 = the armed input event's timestamp, t1 = first animation frame after the
# figure's plot layer mutated.
INSTALL_JS = """([kind, index, eventType]) => {
  window.__lat = window.__lat || {};
  const lat = window.__lat[kind] = {armed: false, t0: null, t1: null};
  const gd = document.querySelectorAll('.js-plotly-plot')[index];
  window.addEventListener(eventType, e => {
    if (lat.armed && lat.t0 === null) lat.t0 = e.timeStamp;
  }, true);
  new MutationObserver(() => {
    if (lat.t0 === null || lat.t1 !== null || lat.pending) return;
    lat.pending = true;
    requestAnimationFrame(() => { lat.t1 = performance.now(); });
  }).observe(gd.querySelector('.cartesianlayer'),
             {subtree: true, attributes: true, childList: true, characterData: true});
}"""
ARM_JS = "(kind) => Object.assign(window.__lat[kind], {armed: true, t0: null, t1: null, pending: false})"
DONE_JS = "(kind) => window.__lat[kind].t1 !== null"
ELAPSED_JS = "(kind) => { const l = window.__lat[kind]; l.armed = false; return l.t1 - l.t0; }"
FIGURE_INDEX_JS = """(live) => [...document.querySelectorAll('.js-plotly-plot')]
  .findIndex(gd => live ? !!gd.closest('.jupyter-widgets') : !!(gd.layout.sliders || []).length)"""
KERNEL_PRINT_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = '';
  const future = kernel.requestExecute({code, store_history: false});
  future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
  await future.done;
  return text;
}"""


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50, p95, max and count of a list of milliseconds."""
    array = np.asarray(values_ms, dtype=float)
    return {"p50_ms": round(float(np.percentile(array, 50)), 2),
            "p95_ms": round(float(np.percentile(array, 95)), 2),
            "max_ms": round(float(array.max()), 2), "n": int(array.size)}


def kernel_update_times(calls: int) -> list[float]:
    """Milliseconds of LiveFigure.update() in this process, for `calls` different slider values."""
    live = representative_live()
    times = []
    for radius in np.linspace(0.2, 1.8, calls):
        start = time.perf_counter()
        live.update(radius=float(radius))
        times.append((time.perf_counter() - start) * 1000)
    return times


def radius_explorer_times(calls: int) -> list[float]:
    """Milliseconds of notebook 04's live widget update (ρ slider, tanh / linear / relu) in this process."""
    from course_utils.gradient_widgets import radius_explorer

    rng = np.random.default_rng(0)
    live = radius_explorer(rng.normal(0, 0.25, (16, 16)), rng.normal(0, 0.5, (50, 16)))
    times = []
    for k, rho in enumerate(np.linspace(0.3, 1.6, calls)):
        start = time.perf_counter()
        live.update(rho=float(rho), activation=("tanh", "linear", "relu")[k % 3])
        times.append((time.perf_counter() - start) * 1000)
    return times


def scratch_notebook(folder: Path) -> Path:
    """A notebook with a step_scrubber (30 steps) and the representative live_figure, timed."""
    cells = [
        f"import sys, time, json\nsys.path.insert(0, {str(HERE)!r})\n"
        "import numpy as np\nfrom course_utils.widgets import step_scrubber\n"
        "from live_example import representative_live",
        "rng = np.random.default_rng(0)\nstep_scrubber({'input': rng.normal(size=(30, 8)), "
        "'hidden': rng.normal(size=(30, 16))}, [f't{i}' for i in range(30)], 'latency scrubber')",
        "live, durations = representative_live(), []\nplain_update = live.update\n"
        "def timed_update(**kw):\n    start = time.perf_counter()\n    ok = plain_update(**kw)\n"
        "    durations.append((time.perf_counter() - start) * 1000)\n    return ok\n"
        "live.update = timed_update\nlive",
    ]
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = folder / "latency.ipynb"
    nbformat.write(notebook, path)
    return path


def timed_moves(page: Page, kind: str, move: Callable[[int], None], moves: int,
                warmup: int = 3) -> list[float]:
    """Milliseconds from input event to redrawn figure, for each of `moves` moves (after warm-up)."""
    times = []
    for i in range(warmup + moves):
        labpage.settle(page, quiet_s=0.1)
        page.evaluate(ARM_JS, kind)
        move(i)
        page.wait_for_function(DONE_JS, arg=kind, timeout=10_000, polling="raf")
        elapsed = page.evaluate(ELAPSED_JS, kind)
        if i >= warmup:
            times.append(elapsed)
    return times


def plotly_mover(page: Page) -> Callable[[int], None]:
    """A move(i) that clicks the scrubber's rail at a step different from the current one."""
    slider = page.locator(labpage.PLOTLY_SLIDERS).first

    def move(i: int) -> None:
        active, n_steps = labpage.plotly_slider_steps(slider)
        labpage.click_plotly_step(slider, (active + 1 + i % 5) % n_steps)
    return move


def ipywidgets_mover(page: Page) -> Callable[[int], None]:
    """A move(i) that presses ArrowRight on the ipywidgets slider's focused handle."""
    handle = page.locator(labpage.IPYWIDGET_SLIDERS).first.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    return lambda i: handle.press("ArrowRight")


def browser_latency(moves: int) -> dict[str, object]:
    """Run the scratch notebook in JupyterLab + Chromium and time both kinds of slider."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="unrolled-latency-") as scratch:
        notebook = scratch_notebook(Path(scratch))
        with running_lab(Path(scratch)) as lab, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            labpage.open_notebook(page, lab.notebook_url(notebook.name))
            labpage.run_all_from_menu(page)
            labpage.wait_until_run(page, 120)
            assert not labpage.errors(page) and not labpage.wait_widgets_rendered(page)
            results = {}
            for kind, live, event, mover in (("client", False, "mousedown", plotly_mover),
                                             ("live", True, "keydown", ipywidgets_mover)):
                page.evaluate(INSTALL_JS, [kind, page.evaluate(FIGURE_INDEX_JS, live), event])
                results[kind] = timed_moves(page, kind, mover(page), moves)
            labpage.settle(page)
            printed = page.evaluate(KERNEL_PRINT_JS, "print(json.dumps(durations))")
            results["kernel_in_lab"] = json.loads(printed)[-moves:]  # the timed key presses
            browser.close()
    return results


# (stats key, table label, budget key): every budget is on the p95.
ROWS = [("kernel_update_in_process", "kernel: LiveFigure.update() in process", "kernel_update"),
        ("radius_explorer_in_process", "kernel: 04 radius_explorer update()", "kernel_update"),
        ("kernel_update_in_lab", "kernel: update() in the lab kernel", "kernel_update"),
        ("client_side_scrubber", "browser: scrubber click -> redrawn (client)", "client_p95"),
        ("live_widget_round_trip", "browser: slider key -> redrawn (live, kernel)", "live_p95")]


def print_table(stats: dict[str, dict[str, float]]) -> None:
    """One line per measure: percentiles and the p95's verdict against its budget."""
    print(f"{'measure':46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'n':>4}")
    for key, label, budget_key in ROWS:
        row, budget = stats[key], BUDGETS_MS[budget_key]
        verdict = "ok" if row["p95_ms"] <= budget else "OVER"
        print(f"{label:46} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} "
              f"{row['n']:4d}   p95 ≤ {budget:.0f} ms: {verdict}")


def main() -> int:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="slider moves per widget (≥ 20)")
    parser.add_argument("--calls", type=int, default=100, help="in-process update() calls (≥ 50)")
    args = parser.parse_args()
    raw = {"kernel_update_in_process": kernel_update_times(args.calls),
           "radius_explorer_in_process": radius_explorer_times(args.calls)}
    browser = browser_latency(args.moves)
    raw.update(kernel_update_in_lab=browser["kernel_in_lab"], client_side_scrubber=browser["client"],
               live_widget_round_trip=browser["live"])
    stats = {key: percentiles(values) for key, values in raw.items()}
    print_table(stats)
    RESULTS.mkdir(exist_ok=True)
    report = {"cpus": os.cpu_count(), "budgets_ms": BUDGETS_MS, "stats": stats,
              "raw_ms": {k: [round(v, 2) for v in vals] for k, vals in raw.items()}}
    (RESULTS / "widget_latency.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {RESULTS / 'widget_latency.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
