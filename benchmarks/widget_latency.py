"""How fast do the course's two kinds of widget answer a slider move?

(a) kernel work of one live-widget update: LiveFigure.update() of a representative live_figure and of
    notebook 04's ρ explorer, timed in this process over many calls;
(b) in a real JupyterLab + Chromium (the launcher of tests/browser):
    - every scrubber of every notebook, as the notebook builds it (scrubber_latency.py): mouse clicks on
      its slider, from the mousedown event's timestamp to the first animation frame after the figure
      changed;
    - two live_figures, the representative one and notebook 04's ρ explorer (ipywidgets slider: arrow
      keys on the handle, kernel round trip), timed the same way from the keydown, plus the kernel-side
      update time each key press cost in that kernel.

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
from live_example import radius_explorer_04, representative_live  # noqa: E402
from labserver import launch_chromium, running_lab  # noqa: E402
from scrubber_latency import INSTALL_JS, notebook_scrubber_latency, timed_moves  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

RESULTS = HERE / "results"
BUDGETS_MS = {"client_p95": 50.0, "kernel_update": 10.0, "live_p95": 150.0}

KERNEL_PRINT_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = '';
  const future = kernel.requestExecute({code, store_history: false});
  future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
  await future.done;
  return text;
}"""


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50, p95, max and count of a list of milliseconds; `missed`: moves that changed nothing (inf)."""
    array = np.asarray(values_ms, dtype=float)
    return {"p50_ms": round(float(np.percentile(array, 50)), 2),
            "p95_ms": round(float(np.percentile(array, 95)), 2),
            "max_ms": round(float(array.max()), 2), "n": int(array.size), "missed": int(np.isinf(array).sum())}


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
    live = radius_explorer_04()
    times = []
    for k, rho in enumerate(np.linspace(0.3, 1.6, calls)):
        start = time.perf_counter()
        live.update(rho=float(rho), activation=("tanh", "linear", "relu")[k % 3])
        times.append((time.perf_counter() - start) * 1000)
    return times


# The live widgets timed in the lab: (name in the kernel, its builder in live_example). Slider order on the page.
LAB_WIDGETS = (("live", "representative_live"), ("explorer", "radius_explorer_04"))


def scratch_notebook(folder: Path) -> Path:
    """A notebook with the live widgets of LAB_WIDGETS, each update() timed in the kernel: durations[name]
    gets [wall ms, CPU ms of the kernel's thread] per call (the difference is time spent waiting for a core)."""
    cells = [
        f"import sys, time, json\nsys.path.insert(0, {str(HERE)!r})\n"
        f"from live_example import {', '.join(builder for _, builder in LAB_WIDGETS)}\ndurations = {{}}\n"
        "def timed(name, widget):\n    plain_update, durations[name] = widget.update, []\n"
        "    def update(**kw):\n        wall, cpu = time.perf_counter(), time.thread_time()\n"
        "        ok = plain_update(**kw)\n        durations[name].append(\n"
        "            [(time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000])\n"
        "        return ok\n    widget.update = update\n    return widget",
        *(f"{name} = timed({name!r}, {builder}())\n{name}" for name, builder in LAB_WIDGETS),
    ]
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = folder / "latency.ipynb"
    nbformat.write(notebook, path)
    return path


def ipywidgets_mover(page: Page, index: int) -> Callable[[int], None]:
    """A move(i) that presses an arrow key on the index-th ipywidgets slider's focused handle: ten steps
    right, ten left, and so on, so a short slider never sticks at its end."""
    handle = page.locator(labpage.IPYWIDGET_SLIDERS).nth(index).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    return lambda i: handle.press("ArrowRight" if i // 10 % 2 == 0 else "ArrowLeft")


def live_latency(moves: int) -> dict[str, dict[str, list[float]]]:
    """Run the scratch notebook in JupyterLab + Chromium and time each live slider (key -> redrawn), and
    the update() calls its key presses made in the kernel, wall and CPU:
    {name: {"browser": [...], "kernel": [...], "kernel_cpu": [...]}}."""
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
            for index, (name, _) in enumerate(LAB_WIDGETS):
                page.locator(".jupyter-widgets .js-plotly-plot .cartesianlayer").nth(index).evaluate(
                    INSTALL_JS, [name, "keydown"])
                browser_ms = timed_moves(page, name, ipywidgets_mover(page, index), moves)
                labpage.settle(page)
                printed = page.evaluate(KERNEL_PRINT_JS, f"print(json.dumps(durations[{name!r}]))")
                wall_cpu = json.loads(printed)[-moves:]                                      # the timed presses
                results[name] = {"browser": browser_ms, "kernel": [wall for wall, _ in wall_cpu],
                                 "kernel_cpu": [cpu for _, cpu in wall_cpu]}
            browser.close()
    return results


# (stats key, table label, budget key): every budget is on the p95.
ROWS = [("kernel_update_in_process", "kernel: LiveFigure.update() in process", "kernel_update"),
        ("radius_explorer_in_process", "kernel: 04 radius_explorer update()", "kernel_update"),
        ("kernel_update_in_lab", "kernel: update() in the lab kernel, wall", "kernel_update"),
        ("kernel_update_in_lab_cpu", "kernel: update() in the lab kernel, CPU", "kernel_update"),
        ("radius_explorer_in_lab", "kernel: 04 radius_explorer in the lab kernel, wall", "kernel_update"),
        ("radius_explorer_in_lab_cpu", "kernel: 04 radius_explorer in the lab kernel, CPU", "kernel_update"),
        ("live_widget_round_trip", "browser: slider key -> redrawn (live, kernel)", "live_p95"),
        ("radius_explorer_round_trip", "browser: 04 ρ key -> redrawn (live, kernel)", "live_p95")]


def verdict_line(label: str, row: dict[str, float], budget: float) -> str:
    """One table line: percentiles, count and the p95's verdict against its budget."""
    verdict = "ok" if row["p95_ms"] <= budget else "OVER"
    return (f"{label:58} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} "
            f"{row['n']:4d}   p95 ≤ {budget:.0f} ms: {verdict}")


def print_table(stats: dict[str, dict[str, float]], scrubbers: list[dict[str, object]]) -> None:
    """The kernel and live rows, then one row per scrubber of every notebook."""
    print(f"{'measure':58} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'n':>4}")
    for key, label, budget_key in ROWS:
        print(verdict_line(label, stats[key], BUDGETS_MS[budget_key]))
    for row in scrubbers:
        label = f"scrubber {row['notebook']}#{row['index']} ({row['kind']}) {row['title']}"[:58]
        print(verdict_line(label, row["stats"], BUDGETS_MS["client_p95"]))


def main() -> int:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="slider moves per widget (≥ 20)")
    parser.add_argument("--calls", type=int, default=100, help="in-process update() calls (≥ 50)")
    args = parser.parse_args()
    raw = {"kernel_update_in_process": kernel_update_times(args.calls),
           "radius_explorer_in_process": radius_explorer_times(args.calls)}
    live = live_latency(args.moves)
    for name, prefix in (("live", "kernel_update"), ("explorer", "radius_explorer")):
        raw.update({f"{prefix}_in_lab": live[name]["kernel"], f"{prefix}_in_lab_cpu": live[name]["kernel_cpu"]})
    raw.update(live_widget_round_trip=live["live"]["browser"], radius_explorer_round_trip=live["explorer"]["browser"])
    scrubbers = notebook_scrubber_latency(args.moves)
    for row in scrubbers:
        row["stats"] = percentiles(row["raw_ms"])
        row["raw_ms"] = [round(v, 2) for v in row["raw_ms"]]
    stats = {key: percentiles(values) for key, values in raw.items()}
    print_table(stats, scrubbers)
    RESULTS.mkdir(exist_ok=True)
    report = {"cpus": os.cpu_count(), "budgets_ms": BUDGETS_MS, "stats": stats, "scrubbers": scrubbers,
              "raw_ms": {k: [round(v, 2) for v in vals] for k, vals in raw.items()}}
    (RESULTS / "widget_latency.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {RESULTS / 'widget_latency.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
