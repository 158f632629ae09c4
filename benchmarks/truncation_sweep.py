"""Notebook 04, section 5d, at more lags: how many of 5 runs of the orthogonal tanh RNN hold the bit on the gap task
when the gradient is truncated to the last `window` steps (the forward pass still runs over the whole sequence).
Same settings as the notebook: 16 units, Adam 1e-2, 40 steps of 128 fresh sequences, held-out accuracy >= 0.95.

Not a pass/fail test. Run: .venv/bin/python benchmarks/truncation_sweep.py [--window 5] [--lags 3 10 20 40]
"""

from __future__ import annotations

import argparse
import os

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402
from torch import nn  # noqa: E402

from course_utils.memory_task import RecallNet, recall_data  # noqa: E402
from course_utils.runtime import seed_everything  # noqa: E402
from course_utils.train import accuracy  # noqa: E402


def train_truncated(seed: int, gap: int, window: int, steps: int = 40) -> float:
    """The notebook's loop: held-out accuracy after training with the gradient cut `window` steps before the end."""
    torch.manual_seed(seed)
    model = RecallNet("rnn", 16, recurrent_init="orthogonal")
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(steps):
        x, y = recall_data(128, gap, "discrete", seed=10**4 * seed + step)
        cut, h = max(0, x.shape[1] - window), None
        if cut:
            _, h = model.rnn(x[:, :cut])
            h = h.detach()
        out, _ = model.rnn(x[:, cut:], h)
        loss = nn.functional.cross_entropy(model.readout(out[:, -1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x_test, y_test = recall_data(1000, gap, "discrete", seed=10**6 + seed)
    return accuracy(model, x_test, y_test)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--lags", type=int, nargs="+", default=[3, 10, 20, 40])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    seed_everything(0)
    for lag in args.lags:
        for window in (args.window, lag + 1):      # truncated, then full BPTT (a window covering the whole sequence)
            held = sum(train_truncated(seed, lag, window) >= 0.95 for seed in range(args.seeds))
            label = f"window {window}" if window == args.window else "full BPTT"
            print(f"lag {lag:3d}, {label:10s}: held in {held}/{args.seeds} runs", flush=True)


if __name__ == "__main__":
    main()
