"""The runs behind notebook 04's claim that a smaller learning rate is no substitute for clipping: the IRNN of its
section 5a (plain SGD, 60 steps, lag 20) unclipped at learning rates 0.005 and 0.01, from seeds 0 … N-1 — the same
seeds, data and starting weights as the lr 0.05 runs (clipped and not) of course_utils/data/gap_task_runs.json.
Written to course_utils/data/gap_task_lr.json. CPU, one thread; about 2 minutes for 100 seeds.

Run: nice -n 10 .venv/bin/python benchmarks/gap_task_lr.py [--seeds 100]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402

from course_utils.gap_experiments import train_sgd  # noqa: E402

LR_TABLE = Path(__file__).resolve().parents[1] / "course_utils" / "data" / "gap_task_lr.json"
LRS = (0.005, 0.01)


def one_seed(seed: int) -> dict:
    """The unclipped IRNN at each smaller learning rate, from one seed."""
    row = {"seed": seed, "irnn": {}}
    for lr in LRS:
        run = train_sgd(seed, None, lr=lr, device="cpu")
        row["irnn"][str(lr)] = {"accuracy": round(run.test_accuracy, 4), "spike": round(run.spike(), 4)}
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.time()
    rows = [one_seed(seed) for seed in range(args.seeds)]
    table = {"settings": {"lrs": LRS, "clip": None, "steps": 60, "lag": 20, "torch": torch.__version__,
                          "machine": platform.machine(), "seconds": round(time.time() - start)}, "runs": rows}
    LR_TABLE.write_text(json.dumps(table, separators=(",", ":")) + "\n")
    print(f"{len(rows)} seeds in {time.time() - start:.0f} s → {LR_TABLE}")


if __name__ == "__main__":
    main()
