"""The table behind notebook 04's claims about training: every experiment of its section 5 and 6, trained from
seeds 0 … N-1 (notebook 04 at UNROLLED_SEED = k trains seeds 3k … 3k+2, so N = 100 covers k = 0 … 32), written to
course_utils/data/gap_task_runs.json. CPU, one thread per process; about 10 minutes on one core.

Run: .venv/bin/python benchmarks/gap_task_table.py [--seeds 100] [--long-seeds 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402

from course_utils.gap_experiments import (GAP_TABLE, HELD, LAG_VARIANTS, bit_influence, lag_run, train_sgd,  # noqa: E402
                                          train_truncated)
from course_utils.runtime import seed_everything  # noqa: E402

LAGS, TRUNCATION_LAGS, WINDOW, LONG_STEPS, LONG_LAG = (10, 20, 40), (3, 10, 20, 40), 5, 1200, 40
CONNECTED = ("RNN (default init)", "RNN (orthogonal)", "LSTM (forget bias +1)", "LSTM (forget bias +3)")


def one_seed(seed: int) -> dict:
    """Every short experiment of notebook 04 from one seed (what its block of 5 trains, seed by seed)."""
    seed_everything(seed)
    row: dict = {"seed": seed, "lag": {}, "influence": {}}
    for variant in LAG_VARIANTS:
        for lag in LAGS:
            run = lag_run(variant, lag, seed, device="cpu")
            row["lag"].setdefault(variant, {})[str(lag)] = round(run.test_accuracy[-1], 4)
            if lag == 20 and variant in CONNECTED:
                row["influence"][variant] = bit_influence(run.model, 20, seed // 5 + 7)
    for name, clip, init in (("irnn", None, "irnn"), ("irnn clipped", 1.0, "irnn"), ("default clipped", 1.0, "default")):
        run = train_sgd(seed, clip, recurrent_init=init, device="cpu")
        row.setdefault("sgd", {})[name] = {"spike": round(run.spike(), 4), "accuracy": round(run.test_accuracy, 4),
                                           "clipped_fraction": round(run.clipped_fraction(1.0), 4)}
    row["truncation"] = {w: {str(lag): round(train_truncated(seed, lag, window, device="cpu"), 4)
                                  for lag in TRUNCATION_LAGS} for w, window in (("window 5", WINDOW), ("full", None))}
    return row


def long_seed(seed: int) -> dict:
    """The LSTM at lag 40 with +1 and +3 forget bias, trained 1200 Adam steps."""
    seed_everything(seed)
    return {"seed": seed, **{variant: round(lag_run(variant, LONG_LAG, seed, steps=LONG_STEPS, device="cpu")
                                            .test_accuracy[-1], 4)
                             for variant in ("LSTM (forget bias +1)", "LSTM (forget bias +3)")}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--long-seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    start = time.time()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(one_seed, range(args.seeds)))
        long_rows = list(pool.map(long_seed, range(args.long_seeds)))
    table = {"settings": {"lags": LAGS, "truncation_lags": TRUNCATION_LAGS, "window": WINDOW, "long_steps": LONG_STEPS,
                          "long_lag": LONG_LAG, "held": HELD, "torch": torch.__version__, "machine": platform.machine(),
                          "seconds": round(time.time() - start)},
             "runs": rows, "long_runs": long_rows}
    GAP_TABLE.write_text(json.dumps(table, separators=(",", ":")) + "\n")
    print(f"{len(rows)} seeds + {len(long_rows)} long runs in {time.time() - start:.0f} s → {GAP_TABLE}")


if __name__ == "__main__":
    main()
