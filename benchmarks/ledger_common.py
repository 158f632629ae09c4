"""Shared code for the claims ledger (course_utils/data/ledger/NN.json, one file per notebook; spec in
/work/brief/LEDGER.md): summaries of a measured sample, the chance one notebook run fails an assert by each tail
method, writing a ledger file, and running a notebook's code cells in-process at many UNROLLED_SEED values.

Used by benchmarks/ledger_NN.py (one script per notebook) and by tests/test_ledger.py (the tail formulas).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import json
import math
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Sequence

from ledger_tails import honest_tail, p_exponential  # noqa: E402  (benchmarks/ is on sys.path wherever this is)

ROOT = Path(__file__).resolve().parents[1]
LEDGER_DIR = ROOT / "course_utils" / "data" / "ledger"
QUANTILES = ("0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99")
MIN_N = {"draws": 1000, "runs": 100}
DIGITS = 6                     # significant digits kept for stored statistics


def sig(x: float | None, digits: int = DIGITS) -> float | None:
    """x rounded to `digits` significant digits (None and 0 unchanged)."""
    if x is None or x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits - 1}e}")


def _quantile(ordered: Sequence[float], p: float) -> float:
    """The p-quantile of a sorted sample, linear interpolation (numpy's default)."""
    pos = p * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(values: Iterable[float]) -> dict:
    """n, min, median, max, mean, sd (n-1), the quantiles q, and log_mean/log_sd when every value is > 0."""
    xs = sorted(float(v) for v in values)
    if len(xs) < 2:
        raise ValueError("a summary needs at least two values")
    n, mean = len(xs), math.fsum(xs) / len(xs)
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    out = {"n": n, "min": sig(xs[0]), "median": sig(_quantile(xs, 0.5)), "max": sig(xs[-1]),
           "mean": sig(mean), "sd": sig(sd), "q": {p: sig(_quantile(xs, float(p))) for p in QUANTILES}}
    if xs[0] > 0:
        logs = [math.log(x) for x in xs]
        log_mean = math.fsum(logs) / n
        out["log_mean"] = sig(log_mean)
        out["log_sd"] = sig(math.sqrt(math.fsum((v - log_mean) ** 2 for v in logs) / (n - 1)))
    return out


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal CDF."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def p_normal(mean: float, sd: float, low: float | None, high: float | None) -> float:
    """P(x < low) + P(x > high) for x ~ Normal(mean, sd); a None side is unbounded."""
    if sd <= 0:
        return float((low is not None and mean < low) or (high is not None and mean > high))
    below = normal_cdf((low - mean) / sd) if low is not None else 0.0
    above = normal_cdf((mean - high) / sd) if high is not None else 0.0
    return below + above


def p_lognormal(log_mean: float, log_sd: float, low: float | None, high: float | None) -> float:
    """The same on log(x) for a positive x: log(x) ~ Normal(log_mean, log_sd); low <= 0 never fails."""
    log_low = math.log(low) if low is not None and low > 0 else None
    if high is not None and high <= 0:
        return 1.0
    return p_normal(log_mean, log_sd, log_low, math.log(high) if high is not None else None)


def _binomial_pmf(m: int, j: int, rate: float) -> float:
    """P(Binomial(m, rate) = j), in log space so that m in the millions does not overflow."""
    if rate <= 0.0 or rate >= 1.0:
        return float(j == (m if rate >= 1.0 else 0))
    log_comb = math.lgamma(m + 1) - math.lgamma(j + 1) - math.lgamma(m - j + 1)
    return math.exp(log_comb + j * math.log(rate) + (m - j) * math.log1p(-rate))


def binomial_sf(m: int, more_than: int, rate: float) -> float:
    """P(Binomial(m, rate) > more_than)."""
    return math.fsum(_binomial_pmf(m, j, rate) for j in range(more_than + 1, m + 1))


def binomial_cdf(m: int, at_most: int, rate: float) -> float:
    """P(Binomial(m, rate) <= at_most)."""
    return math.fsum(_binomial_pmf(m, j, rate) for j in range(at_most + 1))


def p_binomial(m: int, k: int, rate_upper: float) -> float:
    """Chance that fewer than k of m runs pass when each fails with probability rate_upper: P(Bin(m, r) > m - k)."""
    return binomial_sf(m, m - k, rate_upper)


def clopper_pearson_upper(failures: int, n: int, confidence: float = 0.999) -> float:
    """One-sided Clopper-Pearson upper bound on a failure rate seen `failures` times in n trials."""
    if failures >= n:
        return 1.0
    alpha, lo, hi = 1 - confidence, failures / n, 1.0
    for _ in range(200):                       # P(Bin(n, p) <= failures) falls as p grows: bisect for alpha
        mid = (lo + hi) / 2
        if binomial_cdf(n, failures, mid) > alpha:
            lo = mid
        else:
            hi = mid
    return hi


def p_fail(entry: dict) -> float:
    """An entry's per-run failure chance recomputed from its stored fields by its tail method."""
    tail, low, high = entry["tail"], entry.get("low"), entry.get("high")
    if tail == "normal":
        return p_normal(entry["mean"], entry["sd"], low, high)
    if tail == "lognormal":
        return p_lognormal(entry["log_mean"], entry["log_sd"], low, high)
    if tail == "binomial":
        return p_binomial(entry["m"], entry["k"], entry["rate_upper"])
    if tail == "exponential":
        return p_exponential(entry)
    if tail == "bound":
        return float(entry["p_fail"])
    if tail == "none":
        return 0.0
    raise ValueError(f"unknown tail method {tail!r}")


def make_entry(id: str, cell: str | None, assert_: str | None, statistic: str, values: Iterable[float],
               unit: str, low: float | None, high: float | None, tail: str, **extra) -> dict:
    """A ledger entry: the sample's summary, the pass region and p_fail computed from the stored (rounded) fields.
    extra: "why", "threshold_expr", "m"/"k"/"rate_upper" (binomial), "p_fail" (bound)."""
    entry = {"id": id, "cell": cell, "assert": collapse(assert_) if assert_ else assert_, "statistic": statistic,
             "unit": unit, **summary(values), "low": low, "high": high, "tail": tail}
    notes = {k: extra.pop(k) for k in ("why", "threshold_expr") if k in extra}
    entry.update(extra)
    entry = honest_tail(entry)                  # a normal/lognormal fit its own sample contradicts is not used
    entry["p_fail"] = p_fail(entry)
    return {**entry, **notes}


def collapse(text: str) -> str:
    """Whitespace collapsed to one space, ends stripped (how the ledger compares assert statements)."""
    return re.sub(r"\s+", " ", text).strip()


def code_asserts(cells: list) -> list[tuple[str, str]]:
    """(cell id, assert statement with whitespace collapsed) for every assert in every code cell."""
    found = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert):
                found.append((cell.get("id"), collapse(ast.get_source_segment(source, node))))
    return found


def fixed_items(rows: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Fixed items from (cell, assert substring, why) rows."""
    return [{"cell": cell, "assert": text, "why": why} for cell, text, why in rows]


def prose_items(rows: Iterable[tuple[str, str, str, str, str | None]]) -> list[dict]:
    """Prose items from (cell, text, entry id, from, to) rows (to = None for a single figure)."""
    return [{"cell": cell, "text": text, "entry": entry, "from": low, **({"to": high} if high else {})}
            for cell, text, entry, low, high in rows]


def write_ledger(nn: str, notebook: str, entries: list[dict], fixed: list[dict], prose: list[dict],
                 made_by: str | None = None) -> Path:
    """Write course_utils/data/ledger/NN.json (stable: fixed key order, one space indent, newline at the end)."""
    LEDGER_DIR.mkdir(parents=True, exist_ok=True)
    ledger = {"notebook": notebook, "made_by": made_by or f"benchmarks/ledger_{nn}.py",
              "entries": entries, "fixed": fixed, "prose": prose}
    path = LEDGER_DIR / f"{nn}.json"
    path.write_text(json.dumps(ledger, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- running a notebook in-process at many seeds

def _plain(value: object) -> object:
    """A picklable, JSON-friendly copy: numpy/torch scalars and arrays become floats and lists."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _set_up_worker() -> None:
    """One thread, no progress record, no progress bars (runs once per worker process)."""
    os.environ.update({"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "UNROLLED_PROGRESS": "off",
                       "TQDM_DISABLE": "1"})
    import torch
    torch.set_num_threads(1)


@functools.lru_cache(maxsize=4)
def _code_cells(notebook: str) -> list:
    """The notebook's code cells (read once per worker)."""
    import nbformat
    return [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]


def _run_one(notebook: str, seed: int, expressions: dict[str, str], stop_after: str | None) -> dict:
    """Run the notebook's code cells at one seed in a fresh namespace; the expressions' values and failed cells."""
    from IPython.core.interactiveshell import InteractiveShell

    _set_up_worker()
    os.environ["UNROLLED_SEED"] = str(seed)
    shell = InteractiveShell.instance()
    shell.user_ns.clear()                      # a fresh namespace (cheaper than shell.reset(), which collects garbage)
    shell.user_ns_hidden.clear()
    shell.init_user_ns()
    os.chdir(Path(notebook).resolve().parent)
    failed = []
    for cell in _code_cells(notebook):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(cell.source, store_history=False, silent=True)
        if not result.success:
            error = result.error_in_exec or result.error_before_exec
            failed.append(f"{cell.get('id')}: {type(error).__name__}: {error}"[:300])
        if stop_after is not None and cell.get("id") == stop_after:
            break
    values = {}
    for name, expr in expressions.items():
        try:
            values[name] = _plain(eval(expr, shell.user_ns))
        except Exception as error:             # a value the run could not produce: None, and the reason recorded
            values[name] = None
            failed.append(f"expression {name}: {type(error).__name__}: {error}"[:300])
    return {"values": values, "failed": failed}


def run_notebook_at_seeds(notebook_path: str | Path, seeds: Iterable[int], expressions: dict[str, str],
                          stop_after: str | None = None, jobs: int = 1) -> dict[str, list]:
    """Execute the notebook's code cells at each UNROLLED_SEED and evaluate each expression after the run.

    Returns {name: [value at each seed]} plus "_failed": [list of "cell id: error" per seed] (a failing cell does
    not stop the run, so a threshold's statistic is still measured at a seed where its assert fails).
    stop_after: the id of the last cell to run (saves time when the statistics come early). jobs: worker processes.
    """
    notebook, seeds = str(Path(notebook_path).resolve()), list(seeds)
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("fork"),
                             initializer=_set_up_worker) as pool:
        runs = list(pool.map(_run_one, [notebook] * len(seeds), seeds, [expressions] * len(seeds),
                             [stop_after] * len(seeds)))
    out = {name: [run["values"][name] for run in runs] for name in expressions}
    out["_failed"] = [run["failed"] for run in runs]
    return out


def seeds_argument(parser, default: str = "1000-1999") -> None:
    """Add --seeds A-B and --jobs N to an argparse parser (parse the seeds with seed_range)."""
    parser.add_argument("--seeds", default=default, help="a range A-B of UNROLLED_SEED values (inclusive)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (the box has 2 cores, shared)")


def seed_range(text: str) -> range:
    """'1000-1999' -> range(1000, 2000)."""
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


if __name__ == "__main__":                     # python benchmarks/ledger_common.py notebooks/NN_x.ipynb
    import sys

    import nbformat
    for cell_id, statement in code_asserts(nbformat.read(sys.argv[1], as_version=4).cells):
        print(f"{cell_id}  {statement}")
