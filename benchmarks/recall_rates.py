"""How often each cell holds a bit across a gap, over many seeds: the rates notebook 05 section 4 states.

    python benchmarks/recall_rates.py                                   # noise, gap 10, seeds 0-49, 15 epochs
    python benchmarks/recall_rates.py --gap 20 --epochs 100 --seeds 10
    python benchmarks/recall_rates.py --distractors discrete --gap 20

For each cell (RNN, LSTM, LSTM with forget bias +1, GRU) and seed, `memory_task.train_recall` with fresh
data every epoch; held-out accuracy after every epoch. Prints, per cell, how many runs hold the bit
(held-out accuracy >= 0.95) after each epoch, and for the notebook's blocks of 5 seeds the fewest and
most that held. Writes benchmarks/results/recall_rates_<distractors>_gap<gap>.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import torch

from course_utils.memory_task import train_recall
from course_utils.runtime import seed_everything

VARIANTS = {"RNN": ("rnn", None), "LSTM (default init)": ("lstm", None),
            "LSTM (forget bias +1)": ("lstm", 1.0), "GRU": ("gru", None)}
RESULTS = Path(__file__).parent / "results"


def sweep(gap: int, distractors: str, seeds: int, epochs: int, first_seed: int = 0,
          variants: list[str] | None = None) -> dict[str, list[list[float]]]:
    """Held-out accuracy per variant: a list over seeds of per-epoch accuracies."""
    out = {}
    for name, (cell, forget_bias) in VARIANTS.items():
        if variants and name not in variants:
            continue
        start = time.perf_counter()
        out[name] = [train_recall(cell, gap, seed, epochs, forget_bias, distractors, device="cpu").test_accuracy
                     for seed in range(first_seed, first_seed + seeds)]
        print(f"{name}: {time.perf_counter() - start:.0f} s", flush=True)
    return out


def summary(accuracy: list[list[float]], block: int = 5, threshold: float = 0.95) -> dict:
    """Runs holding after each epoch, and the fewest / most held in each block of `block` seeds."""
    held = np.asarray(accuracy) >= threshold                    # (seeds, epochs)
    blocks = held[:len(held) // block * block].reshape(-1, block, held.shape[1]).sum(1)
    return {"held_after_epoch": held.sum(0).tolist(), "runs": len(held),
            "block_min": blocks.min(0).tolist(), "block_max": blocks.max(0).tolist()}


def main() -> None:
    """Run the sweep, print the summary, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap", type=int, default=10)
    parser.add_argument("--distractors", default="noise")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first-seed … first-seed + seeds − 1")
    parser.add_argument("--variants", nargs="*", help=f"a subset of {list(VARIANTS)}")
    parser.add_argument("--out", type=Path, help="where to write the JSON (default: results/…)")
    args = parser.parse_args()
    seed_everything(0)
    torch.set_num_threads(1)
    accuracy = sweep(args.gap, args.distractors, args.seeds, args.epochs, args.first_seed, args.variants)
    result = {"gap": args.gap, "distractors": args.distractors, "epochs": args.epochs,
              "seeds": [args.first_seed, args.first_seed + args.seeds - 1],
              "summary": {name: summary(acc) for name, acc in accuracy.items()}, "test_accuracy": accuracy}
    step = max(1, args.epochs // 15)                         # at most ~15 columns
    print(f"epochs: {list(range(step, args.epochs + 1, step))}")
    for name, s in result["summary"].items():
        print(f"{name:22s} held (of {s['runs']}): {s['held_after_epoch'][step - 1::step]}")
        print(f"{'':22s} per block of 5: min {s['block_min'][step - 1::step]}  max {s['block_max'][step - 1::step]}")
    RESULTS.mkdir(exist_ok=True)
    path = args.out or RESULTS / f"recall_rates_{args.distractors}_gap{args.gap}.json"
    path.write_text(json.dumps(result) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
