"""Notebook 04, section 5c, at more lags: how many of 5 runs of each variant hold the bit on the gap task
(discrete distractors, 16 units, Adam 1e-2, 10 epochs of 512 fresh sequences = 40 steps, held-out accuracy >= 0.95).

Not a pass/fail test; prints one line per lag. Run: .venv/bin/python benchmarks/lag_sweep.py [--lags 10 20 40] [--blocks 1]
"""

from __future__ import annotations

import argparse
import os

os.environ["OMP_NUM_THREADS"] = "1"

from course_utils.memory_task import recall_runs  # noqa: E402
from course_utils.runtime import seed_everything  # noqa: E402

VARIANTS = {"RNN default": ("rnn", None, "default"), "RNN orthogonal": ("rnn", None, "orthogonal"),
            "IRNN": ("rnn", None, "irnn"), "LSTM +1": ("lstm", 1.0, "default"), "GRU": ("gru", None, "default")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lags", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--blocks", type=int, default=1, help="blocks of 5 seeds: 0-4, 5-9, ...")
    args = parser.parse_args()
    seed_everything(0)
    for lag in args.lags:
        seeds = list(range(5 * args.blocks))
        held = {name: sum(run.held() for run in recall_runs(cell, lag, seeds, epochs=10, n_train=512, forget_bias=bias,
                                                            recurrent_init=init, distractors="discrete",
                                                            progress=False, every_epoch=False))
                for name, (cell, bias, init) in VARIANTS.items()}
        print(f"lag {lag:3d}: " + ", ".join(f"{name} {n}/{len(seeds)}" for name, n in held.items()), flush=True)


if __name__ == "__main__":
    main()
