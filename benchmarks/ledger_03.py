"""Notebook 03's claims ledger (issue #33, /work/brief/LEDGER.md): course_utils/data/ledger/03.json.

Two steps, one CPU thread (run the first under `nice`):

    nice -n 10 python benchmarks/ledger_03.py measure --draws 1000-1999 --runs 1022-1124
    nice -n 10 python benchmarks/ledger_03.py draws --seeds 2000-4999            # more starts for cell a3feecaa
    nice -n 10 python benchmarks/ledger_03.py every8 --seeds 2000-2999           # update every 8, stopped once learned
    nice -n 10 python benchmarks/ledger_03.py frozen_window3 --seeds 1022-1124   # window 3 with W_xh frozen
    python benchmarks/ledger_03.py write

`measure` records the notebook's random quantities at many UNROLLED_SEED values: the data-only ones (each step's
share of the gradient, cell 619d9fce; window against chunk, cell a3feecaa) from the same calls as the notebook,
and the echo experiment (cell e967d129: five trainings per seed) exactly as the notebook trains it. They go to
benchmarks/results/ledger_03_samples.json; `write` turns them into the ledger.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_02 import span  # noqa: E402
from ledger_common import make_entry, seed_range, write_ledger  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "benchmarks" / "results" / "ledger_03_samples.json"
SETTINGS = {"full BPTT": {}, "window 3": {"window": 3}, "window 4": {"window": 4},
            "update every 3": {"update_every": 3}, "update every 8": {"update_every": 8}}


def _start(seed: int) -> tuple[dict, np.ndarray]:
    """Cells 4bdb14a9 and 63266ddf: the notebook's parameters at a seed, and step k's contribution norms (T,)."""
    from course_utils import numpy_rnn as ref
    x, targets = ref.one_hot(np.array(["abcd".index(ch) for ch in "abcabdacbd"]), 4), np.full(10, -1)
    targets[-1] = "abcd".index("d")
    params = ref.init_params(4, 5, 4, scale=0.9, seed=seed)
    params["b_h"] += 0.1
    _, cache_last = ref.rnn_forward(params, x, targets, np.full(5, 0.5))
    return params, np.linalg.norm(ref.step_contributions(cache_last, ref.rnn_backward(params, cache_last)[1]),
                                  axis=(1, 2))


def start_ratio(seed: int) -> float:
    """Step T's contribution over step 1's at one start (cell 619d9fce)."""
    norms = _start(seed)[1]
    return float(norms[-1] / norms[0])


def bptt_draw(seed: int) -> dict:
    """Cell a3feecaa at one seed: the window's and the chunk's relative gaps to full BPTT for k = 1 … 23."""
    from course_utils import numpy_rnn as ref
    params = _start(seed)[0]
    x_long, targets_long = ref.delay_task(24, 4, delay=3, seed=seed + 5)
    flat = lambda g: np.concatenate([g[n].ravel() for n in ("W_xh", "W_hh", "b_h")])
    full = flat(ref.loss_and_gradients(params, x_long, targets_long)[1])
    gap = lambda **kw: ref.relative_error(flat(ref.loss_and_gradients(params, x_long, targets_long, **kw)[1]), full)
    return {"seed": seed, "w": [gap(window=k) for k in range(1, 24)], "c": [gap(chunk=k) for k in range(1, 24)]}


def echo_run(seed: int) -> dict:
    """Cell e967d129 at one seed: per setting, test accuracy and the loss curve's lowest moving average, last
    moving average and mean over the last 100 sequences."""
    from course_utils import numpy_rnn as ref
    sequences = [ref.delay_task(40, 4, 3, seed=1000 * seed + s) for s in range(1, 301)]
    test_x, test_targets = ref.delay_task(400, 4, 3, seed=1000 * seed + 999)
    start = ref.init_params(4, 16, 4, scale=0.5, seed=seed)
    out: dict = {"seed": seed}
    for name, kwargs in SETTINGS.items():
        trained, losses = ref.train_rnn(start, sequences, lr=0.02, **kwargs)
        curve = np.convolve(losses, np.ones(10) / 10, mode="valid")
        out[name] = {"acc": ref.accuracy(trained, test_x, test_targets), "min": float(curve.min()),
                     "final": float(curve[-1]), "last100": float(np.mean(losses[200:]))}
    return out


def _echo_data(seed: int) -> tuple[list, tuple, dict]:
    """Cell e967d129's training sequences, test sequence and start at one seed."""
    from course_utils import numpy_rnn as ref
    sequences = [ref.delay_task(40, 4, 3, seed=1000 * seed + s) for s in range(1, 301)]
    return sequences, ref.delay_task(400, 4, 3, seed=1000 * seed + 999), ref.init_params(4, 16, 4, scale=0.5, seed=seed)


def every8_run(seed: int, level: float = 1.0) -> dict:
    """Update every 8 at one seed, as ref.train_rnn trains it, stopped at the first moving-average index where the
    loss is below `level` (291 when it never is in 300 sequences: cell e967d129's assert fails)."""
    from course_utils import numpy_rnn as ref
    sequences, _, start = _echo_data(seed)
    params, state, losses = {n: np.array(v, dtype=float) for n, v in start.items()}, {}, []
    for x, targets in sequences:
        h, total = None, 0.0
        for first in range(0, len(x), 8):
            loss, cache = ref.rnn_forward(params, x[first:first + 8], targets[first:first + 8], h)
            n_losses = max(1, int(np.sum(cache.targets != ref.NO_LOSS)))
            ref.adam_step(params, {n: g / n_losses for n, g in ref.rnn_backward(params, cache)[0].items()}, state, 0.02)
            h, total = cache.h[-1], total + loss
        losses.append(total / max(1, int(np.sum(np.asarray(targets) != ref.NO_LOSS))))
        if len(losses) >= 10 and np.mean(losses[-10:]) < level:
            return {"seed": seed, "first_below_1": len(losses) - 10}
    return {"seed": seed, "first_below_1": len(sequences) - 9}


def frozen_window3_run(seed: int) -> dict:
    """Window 3 at one seed with W_xh kept at its random start (the other weights train as in ref.train_rnn)."""
    from course_utils import numpy_rnn as ref
    sequences, test, start = _echo_data(seed)
    params, state, losses = {n: np.array(v, dtype=float) for n, v in start.items()}, {}, []
    for x, targets in sequences:
        loss, cache = ref.rnn_forward(params, x, targets)
        grads = ref.rnn_backward(params, cache, window=3)[0]
        grads["W_xh"] = np.zeros_like(grads["W_xh"])
        n_losses = max(1, int(np.sum(cache.targets != ref.NO_LOSS)))
        ref.adam_step(params, {n: g / n_losses for n, g in grads.items()}, state, 0.02)
        losses.append(loss / n_losses)
    curve = np.convolve(losses, np.ones(10) / 10, mode="valid")
    return {"seed": seed, "min": float(curve.min()), "last100": float(np.mean(losses[200:])),
            "acc": ref.accuracy(params, *test)}


def measure_more(kind: str, seeds: range) -> None:
    """Extra samples, appended under SAMPLES[kind]: 'draws' (cell a3feecaa), 'every8', 'frozen_window3'."""
    one = {"draws": bptt_draw, "every8": every8_run, "frozen_window3": frozen_window3_run}[kind]
    rows = [one(seed) for seed in seeds]
    with open(Path(tempfile.gettempdir()) / "ledger_03_samples.lock", "w") as lock:   # several may run at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        samples = json.loads(SAMPLES.read_text())
        done = {row["seed"] for row in samples.get(kind, [])}
        samples[kind] = samples.get(kind, []) + [row for row in rows if row["seed"] not in done]
        SAMPLES.write_text(json.dumps(samples) + "\n")


def measure(starts: range, draws: range, runs: range) -> None:
    """The three samples, written to SAMPLES."""
    out = {"first_start": starts[0], "starts": [start_ratio(s) for s in starts], "draws": [bptt_draw(s) for s in draws],
           "runs": []}
    for seed in runs:
        out["runs"].append(echo_run(seed))
        print(seed, flush=True)
    SAMPLES.write_text(json.dumps(out) + "\n")


def _runs(samples: dict, setting: str, key: str) -> list[float]:
    return [row[setting][key] for row in samples["runs"]]


def draw_entries(draws: list[dict]) -> list[dict]:
    """Cell a3feecaa: window against chunk, one pair of gap curves per seed."""
    w, c = np.array([row["w"] for row in draws]), np.array([row["c"] for row in draws])   # (draws, k = 1 … 23)
    return [
        make_entry("03.chunk_over_window", "a3feecaa", "w_sum < c_sum", "the chunk's gaps over the window's, "
                   "summed over k = 6 … 23 (T = 24)", (c[:, 5:].sum(1) / w[:, 5:].sum(1)).tolist(), "draws", 1.0,
                   None, "lognormal", threshold_expr="w_sum < c_sum"),
        make_entry("03.chunk_closer_6up", None, None, "share of k = 6 … 23 where a chunk lands closer than a window",
                   (c[:, 5:] < w[:, 5:]).mean(1).tolist(), "draws", None, None, "none"),
        make_entry("03.chunk_closer_2to4", None, None, "a chunk lands closer than a window at a k in 2 … 4 (1 = yes)",
                   (c[:, 1:4] < w[:, 1:4]).any(1).astype(float).tolist(), "draws", None, None, "none"),
    ]


def shrink_entries(ratios: list[float], first_seed: int) -> list[dict]:
    """Cell 619d9fce: step T's contribution over step 1's at one start (seeds first_seed, first_seed + 1, ...), and
    the median over the 10 starts seeds 10 SEED ... 10 SEED + 9 that the notebook draws at UNROLLED_SEED = SEED."""
    blocks = np.array(ratios[(-first_seed) % 10:])
    blocks = blocks[:len(blocks) // 10 * 10].reshape(-1, 10)
    return [
        make_entry("03.shrink", None, None, "step T's share of dL/dW_hh over step 1's, one start (last-step loss, "
                   "T = 10)", ratios, "draws", None, None, "none"),
        make_entry("03.shrink_below_1", None, None, "step T's contribution below step 1's at one start (1 = yes)",
                   [float(r < 1) for r in ratios], "draws", None, None, "none"),
        make_entry("03.median_shrink", "619d9fce", "median_shrink > 2", "median over 10 starts of step T's "
                   "contribution over step 1's", np.median(blocks, axis=1).tolist(), "draws", 2, None, "lognormal"),
    ]


def every8_entry(rows: list[dict]) -> dict:
    """Cell e967d129's last assert, through the sequence where the moving average first falls below 1.0."""
    return make_entry("03.every8_learned", "e967d129", 'min(curves["update every 8"]) < 1.0',
                      "update every 8: the training sequence (1 … 300) whose moving average of the last 10 losses is "
                      "the first below 1.0 (301: none is)", [row["first_below_1"] + 10 for row in rows], "runs",
                      None, 300, "lognormal", threshold_expr="min over the 291 moving averages < 1.0, i.e. the first "
                      "one below 1.0 ends at sequence <= 300", why=EVERY8_WHY)


EVERY8_WHY = ("the lowest moving average itself has a heavy upper tail (a few runs learn late: the largest of 100 was "
              "0.071 against a 99% quantile of 0.016) that no tail fitted to 100 runs bounds honestly at 1.0; the "
              "assert holds exactly when some moving average falls below 1.0 within the 300 sequences, and the "
              "sequence where the first one does is cheap to measure (training stops there), so it was measured "
              "over 1000 runs (seeds other than the tests') and its upper tail fitted, lognormal unless the "
              "sample's own maximum contradicts it (then an exponential tail through the 95%/99% quantiles)")


def frozen_entries(rows: list[dict]) -> list[dict]:
    """Window 3 with W_xh frozen at its random start (record only: quoted in cell d929d257)."""
    return [make_entry(f"03.frozen_window3_{key}", None, None, f"window 3, W_xh frozen at its start: {what}",
                       [row[key] for row in rows], "runs", None, None, "none")
            for key, what in (("last100", "mean loss of the last 100 sequences"), ("acc", "test accuracy"),
                              ("min", "lowest moving-average loss"))]


def run_entries(samples: dict) -> list[dict]:
    """Cell e967d129: the echo experiment, one value per seed (five trainings)."""
    r = lambda setting, key: _runs(samples, setting, key)
    learned = [min(a, b) for a, b in zip(r("full BPTT", "acc"), r("window 4", "acc"))]
    short = [max(a, b) for a, b in zip(r("window 3", "acc"), r("update every 3", "acc"))]
    climb = [last - low for last, low in zip(r("window 3", "last100"), r("window 3", "min"))]
    cell = "e967d129"
    out = [
        make_entry("03.echo_learned", cell, 'acc["full BPTT"] > 0.8 and acc["window 4"] > 0.8',
                   "the smaller of full BPTT's and window 4's test accuracy", learned, "runs", 0.8, None, "normal"),
        make_entry("03.echo_out_of_reach", cell, 'acc["window 3"] < 0.55 and acc["update every 3"] < 0.55',
                   "the larger of window 3's and update-every-3's test accuracy", short, "runs", None, 0.55, "normal"),
        make_entry("03.window3_low", cell, 'min(curves["window 3"]) < 1.3',
                   "window 3's lowest moving-average loss", r("window 3", "min"), "runs", None, 1.3, "normal"),
        make_entry("03.window3_climb", cell, 'last_100["window 3"] > min(curves["window 3"]) + 0.15',
                   "window 3: mean loss of the last 100 sequences minus the lowest moving average", climb, "runs",
                   0.15, None, "lognormal"),
        make_entry("03.every3_near_guess", cell, 'last_100["update every 3"] > 1.3',
                   "update every 3: mean loss of the last 100 sequences", r("update every 3", "last100"), "runs",
                   1.3, None, "normal"),
        make_entry("03.every3_above_log4", None, None, "update every 3 ends above log 4 (1 = yes)",
                   [float(v > math.log(4)) for v in r("update every 3", "last100")], "runs", None, None, "none"),
        every8_entry(samples["every8"]),
    ]
    for setting, tag in (("full BPTT", "full"), ("window 4", "window4"), ("window 3", "window3"),
                         ("update every 3", "every3"), ("update every 8", "every8")):
        out.append(make_entry(f"03.acc_{tag}", None, None, f"{setting}: test accuracy", r(setting, "acc"), "runs",
                              None, None, "none"))
    out.append(make_entry("03.every8_low_acc", None, None, "update every 8 ends below 0.9 test accuracy (1 = yes)",
                          [float(a < 0.9) for a in r("update every 8", "acc")], "runs", None, None, "none"))
    out.append(make_entry("03.every8_min", None, None, "update every 8's lowest moving-average loss",
                          r("update every 8", "min"), "runs", None, None, "none"))
    out.append(make_entry("03.window3_last100", None, None, "window 3: mean loss of the last 100 sequences",
                          r("window 3", "last100"), "runs", None, None, "none"))
    return out + frozen_entries(samples["frozen_window3"])


FIXED = [
    ("30e001e1", "np.allclose(h_1, cache.h[0])", "step 1 by hand against the reference: exact up to float rounding"),
    ("35e140a0", "err < 1e-8", "softmax gradient against centred differences in float64 (<= 4e-10 over 50 seeds)"),
    ("96ae16a9", "err < 1e-8", "Jacobian formula against centred differences in float64 (<= 2e-10 over 50 seeds)"),
    ("12a1c239", "err < 1e-6", "dL/dh_0 against centred differences in float64 (<= 2e-8 over 50 seeds)"),
    ("63266ddf", "err < 1e-6", "the long way against finite differences in float64 (<= 4e-10 over 50 seeds)"),
    ("788e0e06", "max(errors.values()) <= 1e-6", "gradient check in float64 (<= 6e-10 over 50 seeds)"),
    ("9ce3fa3c", "err <= 1e-8", "numpy against torch autograd, both float64 (<= 1e-15 over 50 seeds)"),
    ("9ce3fa3c", "all(np.allclose(ref_grads[n]", "two float64 implementations of the same sums"),
    ("619d9fce", "np.allclose(parts.sum(axis=0), full_grads[\"W_hh\"]", "they sum to the gradient exactly"),
    ("619d9fce", "np.allclose(parts, contributions_long_way", "two float64 computations of the same terms"),
    ("c776b1da", "np.isclose(accumulated_norm[0]", "the accumulated sum at t = 1 is the whole gradient"),
    ("a3feecaa", "gap[\"window of k\"][-1] == 0", "k = T keeps every term: identical to full BPTT"),
    ("a3feecaa", "np.allclose(window_1, own.T @ c_long.h_prev", "k = 1 keeps the explicit parts: float64 identity"),
    ("1a777bd4", "err < 1e-5", "torch float32 against the float64 reference (<= 2e-7 over 50 seeds on CPU)"),
    ("024520f1", "check_backward_step(solution_backward_step", "a reference solution against its checker"),
    ("a28843f3", "check_step_gradient(solution_dL_dw", "a reference solution against its checker"),
    ("f267b30e", "check_smallest_window(solution_window", "a reference solution against its checker"),
]


def prose_figures(by_id: dict) -> list[tuple[str, str, str, str, str]]:
    """(cell, text, entry, from, to) of every figure the notebook quotes; the notebook's text is made from these."""
    e = by_id
    pct = lambda key, lo="0.05", hi="0.95": span(e[key], "{:.0f}", 100, lo, hi) + "%"
    return [
        ("619d9fce", span(e["03.shrink"], "{:.0f}×", 1).replace("–", " to "), "03.shrink", "0.05", "0.95"),
        ("619d9fce", f"in about {100 * e['03.shrink_below_1']['mean']:.2f}% of", "03.shrink_below_1", "mean", "mean"),
        ("619d9fce", span(e["03.median_shrink"], "{:.0f}×").replace("–", " to "), "03.median_shrink", "0.05", "0.95"),
        ("a2d71f9d", span(e["03.shrink"], "{:.0f}").replace("–", " to "), "03.shrink", "0.05", "0.95"),
        ("a3feecaa", f"in about {100 * e['03.chunk_closer_2to4']['mean']:.0f}% of", "03.chunk_closer_2to4", "mean",
         "mean"),
        ("a3feecaa", f"about {100 * e['03.chunk_closer_6up']['mean']:.1f}% of cases", "03.chunk_closer_6up", "mean",
         "mean"),
        ("a3feecaa", span(e["03.chunk_over_window"], "{:.0f}×", 1).replace("–", " to "), "03.chunk_over_window",
         "0.05", "0.95"),
        ("e967d129", pct("03.acc_full"), "03.acc_full", "0.05", "0.95"),
        ("e967d129", pct("03.acc_window4", "0.01", "0.99") + ";", "03.acc_window4", "0.01", "0.99"),   # window 4
        ("e967d129", pct("03.acc_window3"), "03.acc_window3", "0.05", "0.95"),
        ("e967d129", pct("03.acc_every3"), "03.acc_every3", "0.05", "0.95"),
        ("e967d129", pct("03.acc_every8"), "03.acc_every8", "0.05", "0.95"),
        ("d929d257", f"typically {span(e['03.window3_low'])}", "03.window3_low", "0.05", "0.95"),
        ("d929d257", f"climbs back to {span(e['03.window3_last100'])}", "03.window3_last100", "0.05", "0.95"),
        ("d929d257", f"ends at {span(e['03.every3_near_guess'])}", "03.every3_near_guess", "0.05", "0.95"),
        ("d929d257", f"in about {100 * e['03.every3_above_log4']['mean']:.0f}% of runs", "03.every3_above_log4", "mean",
         "mean"),
        ("d929d257", f"moving average {span(e['03.every8_min'], '{:.3f}')}", "03.every8_min", "0.05", "0.95"),
        ("d929d257", f"then typically ends at {span(e['03.frozen_window3_last100'])}", "03.frozen_window3_last100",
         "0.05", "0.95"),
        ("d929d257", f"typically {pct('03.frozen_window3_acc')}", "03.frozen_window3_acc", "0.05", "0.95"),
        ("d929d257", f"instead of {pct('03.acc_window3')}", "03.acc_window3", "0.05", "0.95"),
        ("d929d257", f"typically scores {pct('03.acc_every8')}", "03.acc_every8", "0.05", "0.95"),
        ("d929d257", f"about {100 * e['03.every8_low_acc']['mean']:.0f}% of runs", "03.every8_low_acc", "mean", "mean"),
    ]


def write(samples: dict) -> Path:
    """The ledger file from the measured samples."""
    found = (shrink_entries(samples["starts"], samples["first_start"]) + draw_entries(samples["draws"])
             + run_entries(samples))
    prose = [{"cell": c, "text": t, "entry": k, "from": a, "to": b}
             for c, t, k, a, b in prose_figures({x["id"]: x for x in found})]
    fixed = [{"cell": c, "assert": a, "why": w} for c, a, w in FIXED]
    return write_ledger("03", "03_backprop_through_time.ipynb", found, fixed, prose)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("measure", "write", "draws", "every8", "frozen_window3"))
    parser.add_argument("--starts", default="1000-80999", help="seeds A-B of single starts (cell 619d9fce)")
    parser.add_argument("--draws", default="1000-1999", help="seeds A-B for window against chunk (cell a3feecaa)")
    parser.add_argument("--runs", default="1022-1124", help="seeds A-B for the echo experiment")
    parser.add_argument("--seeds", default="2000-2999", help="seeds A-B for the steps draws, every8, frozen_window3")
    args = parser.parse_args()
    if args.step == "measure":
        measure(seed_range(args.starts), seed_range(args.draws), seed_range(args.runs))
    elif args.step != "write":
        measure_more(args.step, seed_range(args.seeds))
    print(write(json.loads(SAMPLES.read_text())))


if __name__ == "__main__":
    main()
