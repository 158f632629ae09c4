"""Execute every notebook headless (nbclient, one CPU thread) and measure it against COURSE.md's
budgets: wall time per notebook and for the whole course, and the peak RSS of its kernel.

Not a pass/fail test: prints a table and writes benchmarks/results/notebooks.json.
Run: .venv/bin/python benchmarks/run_notebooks.py [NOTEBOOK ...]   (default: every notebook)
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

os.environ["OMP_NUM_THREADS"] = "1"  # before any kernel starts: kernels inherit it
os.environ["UNROLLED_PROGRESS"] = "off"  # and no run touches a learner's progress record

import nbformat  # noqa: E402
import psutil  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from labserver import copy_notebooks, notebook_paths  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
BUDGETS = {"notebook_s": 30.0, "course_s": 120.0, "course_goal_s": 60.0, "kernel_mb": 1024.0}
MB = 1024 * 1024
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in tracebacks


class PeakRSS(threading.Thread):
    """Polls this process's descendants (the kernel and its children) every 50 ms: peak total RSS."""

    def __init__(self, interval_s: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval_s, self.peak_bytes = interval_s, 0
        self._stop_event = threading.Event()

    def _descendants_rss(self) -> int:
        total = 0
        for child in psutil.Process().children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_s):
            self.peak_bytes = max(self.peak_bytes, self._descendants_rss())

    def stop(self) -> float:
        """Stop polling; the peak in MB."""
        self._stop_event.set()
        self.join()
        return self.peak_bytes / MB


@dataclass
class NotebookRun:
    """One notebook's measurement."""

    notebook: str
    wall_s: float
    peak_kernel_mb: float
    ok: bool
    error: str = ""


def run_one(path: Path, timeout_s: int = 300) -> NotebookRun:
    """Execute one (copied) notebook in its own folder; wall time from the kernel's start to the end of
    the last cell (what a learner waits for; the kernel's shutdown afterwards is not counted)."""
    notebook = nbformat.read(path, as_version=4)
    done: list[float] = []
    client = NotebookClient(notebook, timeout=timeout_s, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_executed=lambda **_: done.append(time.perf_counter()))
    monitor = PeakRSS()
    monitor.start()
    start, error = time.perf_counter(), ""
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own chatter (TCP warnings)
    except Exception as exc:  # noqa: BLE001 - a failing notebook is reported, not fatal
        lines = ANSI.sub("", str(exc)).strip().splitlines() or [type(exc).__name__]
        error = lines[-1][:200]
    wall = (done[-1] if done else time.perf_counter()) - start
    return NotebookRun(path.name, round(wall, 2), round(monitor.stop(), 1), not error, error)


def verdict(value: float, budget: float) -> str:
    """'ok' within the budget, else 'OVER'."""
    return "ok" if value <= budget else "OVER"


def print_table(runs: list[NotebookRun], total_s: float) -> None:
    """The per-notebook table and the course total, each against its budget."""
    print(f"{'notebook':44} {'wall s':>7} {'≤30 s':>6} {'kernel MB':>10} {'≤1 GB':>6}  status")
    for run in runs:
        print(f"{run.notebook:44} {run.wall_s:7.1f} {verdict(run.wall_s, BUDGETS['notebook_s']):>6} "
              f"{run.peak_kernel_mb:10.0f} {verdict(run.peak_kernel_mb, BUDGETS['kernel_mb']):>6}  "
              f"{'ran' if run.ok else 'ERROR ' + run.error}")
    goal = "met" if total_s <= BUDGETS["course_goal_s"] else "missed"
    print(f"{'whole course':44} {total_s:7.1f} {verdict(total_s, BUDGETS['course_s']):>6}"
          f"   (budget 120 s, goal 60 s: {goal})")


def main(argv: list[str]) -> int:
    """Run the notebooks (argv, or every notebook) and write the JSON report."""
    sources = [Path(a).resolve() for a in argv] or notebook_paths()
    with tempfile.TemporaryDirectory(prefix="unrolled-bench-") as scratch:
        copies = sorted(copy_notebooks(sources, Path(scratch)).glob("*.ipynb"))
        runs = [run_one(copy) for copy in copies]
    total_s = round(sum(run.wall_s for run in runs), 2)
    print_table(runs, total_s)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "omp_num_threads": 1},
              "budgets": BUDGETS, "total_s": total_s, "notebooks": [asdict(r) for r in runs]}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "notebooks.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {RESULTS / 'notebooks.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
