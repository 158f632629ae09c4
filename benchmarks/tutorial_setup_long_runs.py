"""The tutorial's set-up (Edureka's RNN tutorial: ids as floats, 2x512 LSTM, RMSprop 1e-3, one window per step) for its
full 50,000 steps, once per seed, on one CPU thread. Notebook 06 section 3 plots the result.

    python benchmarks/tutorial_setup_long_runs.py --seeds 0 1 2          # ~10-25 min per seed
    python benchmarks/tutorial_setup_long_runs.py --seeds 3 --steps 2000  # a quick look (not saved over)
    python benchmarks/tutorial_setup_long_runs.py --seeds 0 1 2 --tf1     # TF1's RMSprop and Glorot-uniform kernels

The shipped runs use torch's RMSprop (squared average from 0, eps outside the root) and torch's LSTM init; --tf1
runs the port with TF1RMSprop and init="tf1" instead and writes course_utils/data/tutorial_setup_runs_tf1.json.

Each finished seed is merged into course_utils/data/tutorial_setup_runs.json (small, shipped with the course): per seed,
the tutorial's printed "Average Accuracy" (mean over each block of 1000 training steps) and the accuracy
over all 201 windows every 500 steps. Runs with fewer steps than --steps' default go to
benchmarks/results/ instead, so a quick look never replaces the real data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
from pathlib import Path

import torch

from course_utils.runtime import seed_everything
from course_utils.story import build_vocabulary, tutorial_offsets, story_tokens, story_windows
from course_utils.story_model import TutorialLSTM, train_tutorial_setup

FULL_STEPS = 50_000
DISPLAY_STEP = 1000   # the seed printed the running accuracy every 1000 steps
EVAL_EVERY = 500
DATA = Path(__file__).parents[1] / "course_utils" / "data" / "tutorial_setup_runs.json"
DATA_TF1 = DATA.with_name("tutorial_setup_runs_tf1.json")
SCRATCH = Path(__file__).parent / "results" / "tutorial_setup_runs_quick.json"


def run_one(seed: int, steps: int, X: torch.Tensor, y: torch.Tensor, tf1: bool = False) -> dict:
    """One run of the tutorial's set-up from torch seed `seed` and offsets from random.Random(seed)."""
    torch.manual_seed(seed)
    model = TutorialLSTM(112, hidden=512, n_layers=2, init="tf1" if tf1 else "torch_lstm")
    offsets = tutorial_offsets(204, steps, rng=random.Random(seed))
    run = train_tutorial_setup(model, X, y, offsets, lr=1e-3, eval_every=EVAL_EVERY, optimizer="tf1" if tf1 else "torch")
    running = run.running_accuracy(DISPLAY_STEP)
    return {"seed": seed, "steps": len(run.correct), "seconds": round(run.seconds, 1),
            "running_block_steps": DISPLAY_STEP,
            "running_accuracy": [round(float(a), 4) for a in running],
            "eval_steps": run.eval_steps,
            "all_window_accuracy": [round(a, 4) for a in run.eval_accuracy]}


def merge(path: Path, result: dict, tf1: bool = False) -> None:
    """Add (or replace) one seed's run in the JSON file at path."""
    data = json.loads(path.read_text()) if path.exists() else {"runs": []}
    data["runs"] = sorted([r for r in data["runs"] if r["seed"] != result["seed"]] + [result],
                          key=lambda r: r["seed"])
    data.update(machine=platform.platform(terse=True), torch=torch.__version__, torch_threads=1,
                setup=("TutorialLSTM(112, 512, 2 layers, init='tf1'), TF1RMSprop lr 1e-3 rho 0.9 eps 1e-10, batch 1, CPU"
                       if tf1 else "TutorialLSTM(112, 512, 2 layers), RMSprop lr 1e-3 alpha 0.9 eps 1e-10, batch 1, CPU"),
                cpu=f"{os.cpu_count()} logical CPUs")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")


def main() -> None:
    """Run each seed, print a line per seed and merge it into the data file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=FULL_STEPS)
    parser.add_argument("--tf1", action="store_true", help="TF1's RMSprop and LSTM initialisation")
    args = parser.parse_args()
    seed_everything(0)
    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    X, y = (torch.tensor(a) for a in story_windows([word_to_id[w] for w in tokens]))
    path = (DATA_TF1 if args.tf1 else DATA) if args.steps == FULL_STEPS else SCRATCH
    for seed in args.seeds:
        result = run_one(seed, args.steps, X, y, args.tf1)
        merge(path, result, args.tf1)
        print(f"seed {seed}: {result['steps']} steps in {result['seconds']:.0f} s; final all-window "
              f"{result['all_window_accuracy'][-1]:.1%}, best running {max(result['running_accuracy'], default=0):.1%}"
              f" -> {path}", flush=True)


if __name__ == "__main__":
    main()
