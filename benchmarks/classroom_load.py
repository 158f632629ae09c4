"""A class on one hub, simulated (`make classroom-test`; not part of `make test`).

Starts the classroom hub (deploy/jupyterhub, everything on 127.0.0.1, a fresh state folder), then N
learners at once each: log in for the first time (class password, setting their own), start their
server, pull the course with nbgitpuller from this repository (file://, the current branch: commit
first), open a training notebook and run all its code cells in their own kernel, then answer three
exercises, some right and some wrong (classroom_class.py). Then the instructor opens the class view,
which must show exactly those outcomes, and the accounts are probed (a learner gets 403 from the
view and can't log in as another learner). Then isolation (classroom_probes.py): from learner 1's
kernel, every probe at learner 2's files and processes and the hub's must fail with a permission
error; learner 1's server, set to log every request header, must see no token but their own while
the view is read; learners 2-6 send bad records, which must show in their rows only. Runs as root
(the hub creates a Unix account per learner; they are removed afterwards). Prints a table and
writes benchmarks/results/classroom_<N>.json; stops the hub and checks that nothing is left running.
Exit status 1 when any learner failed, the view or the accounts were wrong, a probe got through (or
could not run), or a process was left.

Run: .venv/bin/python benchmarks/classroom_load.py [--learners 8] [--notebook notebooks/06_...]
     [--no-lean]  (without the cost-lowering settings, for the before/after comparison)
     [--browser [--screenshot PATH]]  (the view in Chromium: sorting, refreshing; a PNG of it)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

import sys

import psutil

from classroom_class import (CLASS_PASSWORD, INSTRUCTOR, INSTRUCTOR_PASSWORD, account_problems, answer_cells,
                             browser_problems, instructor_view, own_password, view_mismatches)
from classroom_hub import MB, ROOT, Hub, MemoryWatch, hub_pids, remove_accounts, start_hub, stop_hub
from classroom_learner import (LearnerRun, login_token, notebook_cells, open_kernel, pull_course, run_cells,
                               start_server)
from classroom_probes import bad_records, foreign_tokens, isolation

sys.path.insert(0, str(ROOT / "deploy" / "jupyterhub"))
from hub_settings import COURSE_DIR, pull_query  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_NOTEBOOK = "notebooks/06_mice_and_cat_story.ipynb"


def current_branch() -> str:
    """The branch checked out in this repository (what the learners pull)."""
    return subprocess.check_output(["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"], text=True).strip()


def kernel_figures(watch: MemoryWatch, run: LearnerRun) -> None:
    """Record the learner's kernel CPU seconds and PSS now (after the last cell)."""
    proc = watch.kernel(run.name)
    if proc is not None:
        cpu = proc.cpu_times()
        run.kernel_cpu_s = cpu.user + cpu.system
        run.kernel_pss_mb = proc.memory_full_info().pss / MB
        server = proc.parent().cpu_times()
        run.server_cpu_s = server.user + server.system


def learner(hub: Hub, watch: MemoryWatch, run: LearnerRun, number: int, query: str, notebook: str, t0: float,
            timeout_s: float, sessions: dict) -> None:
    """One learner's whole session (their kernel's websocket and token kept in `sessions`); errors
    are recorded in `run`, never raised."""
    since = lambda: time.monotonic() - t0  # noqa: E731
    try:
        token = login_token(hub.url, run.name, own_password(run.name), CLASS_PASSWORD)
        run.logged_in_s = since()
        headers = {"Authorization": f"token {token}"}
        start_server(hub.url, run.name, headers, timeout_s)
        run.ready_s = since()
        base = f"{hub.url}/user/{run.name}"
        pull_course(base, headers, query, timeout_s)
        run.pulled_s = since()
        path = f"{COURSE_DIR}/{notebook}"
        kernel_id = open_kernel(base, headers, path)

        def after_imports() -> None:
            proc = watch.kernel(run.name)
            run.kernel_imports_mb = proc.memory_info().rss / MB if proc else float("nan")

        ws_url = f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
        sessions[run.name] = (ws_url, token)
        run.cells = run_cells(ws_url, token, notebook_cells(base, headers, path), timeout_s, after_imports)
        run.done_s = since()
        kernel_figures(watch, run)
        run.cells += run_cells(ws_url, token, answer_cells(number), timeout_s)
    except Exception as error:  # noqa: BLE001  (a failure is a result here)
        run.error = f"{type(error).__name__}: {error}"[:300]


def check_class(hub: Hub, names: list[str], shot: Path | None, in_browser: bool) -> dict:
    """The instructor's view against what the learners did (over HTTP, and in Chromium: sorting,
    refreshing, the screenshot), and the accounts; the problems found."""
    problems: dict[str, list[str]] = {"view": [], "accounts": []}
    try:
        table, _ = instructor_view(hub.url)
        problems["view"] = view_mismatches(table, names)
        problems["accounts"] = account_problems(hub.url, names)
        if in_browser:
            problems["view"] += browser_problems(hub.url, shot)
    except Exception as error:  # noqa: BLE001  (a failure is a result here)
        problems["view"].append(f"{type(error).__name__}: {error}"[:300])
    return problems


def check_isolation(hub: Hub, env: dict, sessions: dict, names: list[str], timeout_s: float) -> dict:
    """The in-kernel probes, the header-logging server and the bad records; figures and problems."""
    found = {"isolation_probes": 0, "isolation_breaches": 0, "probes_broken": 0, "foreign_tokens": 0,
             "problems": []}
    try:
        tally = isolation(hub, env, sessions, names[0], names[1], timeout_s)
        found.update({key: tally[key] for key in ("isolation_probes", "isolation_breaches", "probes_broken")})
        found["problems"] += [f"BREACH: {name}" for name in tally["breached"]] + tally["broken"]
        paused = hub_pids(hub, names[5])[f"{names[5]}'s server"]
        found["bad_records"] = bad_records(hub, sessions, names, paused)
        found["foreign_tokens"], header_problems = foreign_tokens(hub, sessions, names[0], timeout_s)
        found["problems"] += header_problems
    except Exception as error:  # noqa: BLE001  (a failure is a result here)
        found["problems"].append(f"{type(error).__name__}: {error}"[:300])
    found["problems"] += found.get("bad_records", ["the bad records were not sent"])
    return found


def run_class(n: int, notebook: str, lean: bool, timeout_s: float, shot: Path | None = None,
              in_browser: bool = False) -> tuple[list[LearnerRun], dict]:
    """Start a hub, run n learners at once, stop the hub; (runs, summary)."""
    base = Path(tempfile.mkdtemp(prefix="uh"))        # short: kernel sockets live under it
    env = {"CLASS_PASSWORD": CLASS_PASSWORD, "INSTRUCTOR_PASSWORD": INSTRUCTOR_PASSWORD,
           "UNROLLED_INSTRUCTOR": INSTRUCTOR, "UNROLLED_HUB_LEAN": "1" if lean else "0",
           "UNROLLED_COURSE_REPO": f"file://{ROOT}", "UNROLLED_COURSE_BRANCH": current_branch(),
           "UNROLLED_HUB_TEST_TOKEN": os.urandom(16).hex()}
    runs = [LearnerRun(f"learner-{k + 1:02d}") for k in range(n)]
    names, sessions = [run.name for run in runs], {}
    remove_accounts(names)                             # left by an interrupted run
    hub = start_hub(base, env)
    watch = MemoryWatch(hub)
    query = pull_query(env["UNROLLED_COURSE_REPO"], env["UNROLLED_COURSE_BRANCH"])
    t0 = time.monotonic()
    threads = [threading.Thread(target=learner, args=(hub, watch, run, k, query, notebook, t0, timeout_s, sessions))
               for k, run in enumerate(runs)]
    try:
        watch.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        problems = check_class(hub, names, shot, in_browser)
        found = check_isolation(hub, env, sessions, names, timeout_s)
    finally:
        watch.stop()
        left = stop_hub(hub)
        remove_accounts(names)
    problems["isolation"] = found.pop("problems")
    bad = found.pop("bad_records", ["the bad records were not sent"])
    summary = summarise(runs, watch, left)
    summary.update(learners=n, notebook=notebook, lean=lean, problems=problems, **found,
                   view_wrong=len(problems["view"]), accounts_wrong=len(problems["accounts"]),
                   bad_records_wrong=len(bad))
    if any(summary[key] for key in FAILING):
        summary["hub_log"] = str(hub.log)        # kept for a look
    else:
        shutil.rmtree(base)                       # homes, database, records, log
    return runs, summary


def summarise(runs: list[LearnerRun], watch: MemoryWatch, left: int) -> dict:
    """The table's figures: worst times over learners, mean memory and CPU per learner."""
    def mean(values: list[float]) -> float:
        finite = [v for v in values if not math.isnan(v)]
        return round(sum(finite) / len(finite), 3) if finite else float("nan")

    for run in runs:
        run.peak_total_mb = watch.peak_total.get(run.name, 0) / MB
        run.peak_kernel_mb = watch.peak_kernel.get(run.name, 0) / MB
    return {
        "all_ready_s": round(max(r.ready_s for r in runs), 1),
        "all_done_s": round(max(r.done_s for r in runs), 1),
        "rss_per_learner_gb": mean([r.peak_total_mb / 1024 for r in runs]),
        "kernel_peak_gb": mean([r.peak_kernel_mb / 1024 for r in runs]),
        "kernel_after_imports_gb": mean([r.kernel_imports_mb / 1024 for r in runs]),
        "kernel_pss_gb": mean([r.kernel_pss_mb / 1024 for r in runs]),
        "kernel_cpu_s": mean([r.kernel_cpu_s for r in runs]),
        "server_cpu_s": mean([r.server_cpu_s for r in runs]),
        "failures": sum(bool(r.error) for r in runs),
        "left_running": left,
    }


COLUMNS = ("learners", "all_ready_s", "all_done_s", "rss_per_learner_gb", "kernel_after_imports_gb",
           "kernel_peak_gb", "kernel_pss_gb", "kernel_cpu_s", "server_cpu_s", "failures", "view_wrong",
           "accounts_wrong", "isolation_probes", "isolation_breaches", "foreign_tokens", "bad_records_wrong",
           "left_running")
FAILING = ("failures", "left_running", "view_wrong", "accounts_wrong", "isolation_breaches", "probes_broken",
           "foreign_tokens", "bad_records_wrong")


def table(summary: dict) -> str:
    """A markdown table row with its header."""
    header = "| " + " | ".join(COLUMNS) + " |"
    return "\n".join([header, "|" + "---|" * len(COLUMNS), "| " + " | ".join(str(summary[c]) for c in COLUMNS) + " |"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8, help="6 or more (5 send bad records)")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK, help="path inside the course repo")
    parser.add_argument("--no-lean", dest="lean", action="store_false", help="without the cost-lowering settings")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per step per learner")
    parser.add_argument("--browser", action="store_true",
                        help="also check the class view in Chromium (/usr/bin/chromium): sorting, refreshing")
    parser.add_argument("--screenshot", type=Path, help="with --browser: save the class view here (PNG)")
    args = parser.parse_args()
    runs, summary = run_class(args.learners, args.notebook, args.lean, args.timeout, args.screenshot, args.browser)
    for run in runs:
        if run.error:
            print(f"FAILED {run.name}: {run.error}")
    for problem in summary["problems"]["view"] + summary["problems"]["accounts"] + summary["problems"]["isolation"]:
        print(f"WRONG: {problem}")
    print(table(summary))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"classroom_{args.learners}{'' if args.lean else '_not_lean'}.json"
    machine = {"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024 ** 3, 1),
               "python": platform.python_version()}
    out.write_text(json.dumps({"machine": machine, "summary": summary,
                               "learners": [asdict(r) for r in runs]}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 1 if any(summary[key] for key in FAILING) or not summary["isolation_probes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
