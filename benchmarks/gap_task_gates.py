"""The runs behind notebook 04's newer gap-task claims, written to course_utils/data/gap_task_gates.json:
the gate initialisations (chrono LSTM, GRU with update-gate bias +3) at lags 10, 20 and 40 (Adam, 40 steps, as the
other variants of course_utils/data/gap_task_runs.json), and clipped SGD on torch's default RNN with a budget that
learns short lags (lr 0.5, 100 steps, clip 1), beside Adam with the same steps. CPU, one thread per process.

Run: nice -n 10 .venv/bin/python benchmarks/gap_task_gates.py [--seeds 100] [--jobs 1]
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

from course_utils.gap_experiments import (CLIP_BUDGET, GATE_TABLE, GATE_VARIANTS, HELD, lag_run,  # noqa: E402
                                          train_sgd)
from course_utils.runtime import seed_everything  # noqa: E402

LAGS, CLIP_LAGS = (10, 20, 40), (3, 5, 10, 20)


def one_seed(seed: int) -> dict:
    """Every gate variant at every lag, and the clipped-SGD / Adam budget runs, from one seed."""
    torch.set_num_threads(1)
    seed_everything(seed)
    row: dict = {"seed": seed, "lag": {}, "clip_budget": {}}
    for variant in GATE_VARIANTS:
        row["lag"][variant] = {str(lag): round(lag_run(variant, lag, seed, device="cpu").test_accuracy[-1], 4)
                               for lag in LAGS}
    for lag in CLIP_LAGS:
        run = train_sgd(seed, 1.0, recurrent_init="default", gap=lag, device="cpu", **CLIP_BUDGET)
        row["clip_budget"][str(lag)] = {"accuracy": round(run.test_accuracy, 4),
                                        "clipped_fraction": round(run.clipped_fraction(1.0), 4)}
    adam = train_sgd(seed, None, recurrent_init="default", gap=20, steps=CLIP_BUDGET["steps"], lr=1e-2,
                     optimizer="adam", device="cpu")
    row["adam_same_steps"] = {"20": round(adam.test_accuracy, 4)}
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    start = time.time()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(one_seed, range(args.seeds)))
    table = {"settings": {"lags": LAGS, "clip_lags": CLIP_LAGS, "clip_budget": CLIP_BUDGET, "adam_lr": 1e-2,
                          "held": HELD, "torch": torch.__version__, "machine": platform.machine(),
                          "seconds": round(time.time() - start)}, "runs": rows}
    GATE_TABLE.write_text(json.dumps(table, separators=(",", ":")) + "\n")
    print(f"{len(rows)} seeds in {time.time() - start:.0f} s → {GATE_TABLE}")


if __name__ == "__main__":
    main()
