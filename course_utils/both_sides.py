"""Notebook 07's bidirectional experiment on both_sides_data: three GRU taggers of about the same size
(forward, reversed, bidirectional), trained the same way by the notebook and by benchmarks/shape_runs.py,
which trains them (and the encoder–decoders of course_utils.seq2seq) from many seeds and ships the results
as course_utils/data/shapes_runs.json. The notebook's own block is checked as a plausible draw from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .runtime import device as course_device
from .shape_tasks import before_after, both_sides_data
from .train import accuracy, train_classifier

SHAPES_TABLE = Path(__file__).parent / "data" / "shapes_runs.json"
STEPS, RATE = 12, 0.2
DIRECTIONS = {"forward": 12, "reversed": 12, "bidirectional": 8}       # hidden units: ~600 parameters each


class Tagger(nn.Module):
    """A GRU and a linear read-out of every step; 'reversed' reads x.flip(1) and flips its outputs back."""

    def __init__(self, hidden: int, direction: str, inputs: int = 2, classes: int = 2):
        super().__init__()
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {list(DIRECTIONS)}, got {direction!r}")
        self.direction = direction
        k = 2 if direction == "bidirectional" else 1
        self.rnn = nn.GRU(inputs, hidden, batch_first=True, bidirectional=k == 2)
        self.readout = nn.Linear(k * hidden, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (N, T, D) → logits (N, T, C)."""
        if self.direction == "reversed":
            return self.readout(self.rnn(x.flip(1))[0]).flip(1)     # step t has seen steps t..T-1
        return self.readout(self.rnn(x)[0])


def tagger_data(seed: int) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """1500 training and 2000 held-out sequences of both_sides_data for one run."""
    return (both_sides_data(1500, STEPS, seed=1000 * seed + 1, rate=RATE),
            both_sides_data(2000, STEPS, seed=1000 * seed + 2, rate=RATE))


def tagger_run(direction: str, seed: int, epochs: int = 4,
               device: torch.device | str | None = None) -> tuple[Tagger, float]:
    """Adam 0.03, batch 100, at most `epochs` epochs (stops once every training step is right);
    returns the model and its held-out accuracy per step."""
    dev = torch.device(device) if device is not None else course_device()
    train, test = tagger_data(seed)
    torch.manual_seed(seed)
    model = Tagger(DIRECTIONS[direction], direction)
    train_classifier(model, *train, epochs=epochs, lr=3e-2, batch_size=100, target_accuracy=1.0,
                     batch_seed=seed, device=dev, progress=False)
    return model, accuracy(model, test[0].to(dev), test[1].to(dev))


@torch.no_grad()
def direction_votes(model: Tagger, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
    """A bidirectional tagger's logit difference (class 1 − class 0) split into the forward state's vote,
    the backward state's vote (each (N, T), on the CPU) and the bias."""
    H = model.rnn.hidden_size
    w = model.readout.weight[1] - model.readout.weight[0]
    states = model.rnn(x.to(w.device))[0]
    forward, backward = states[..., :H] @ w[:H], states[..., H:] @ w[H:]
    return forward.cpu(), backward.cpu(), (model.readout.bias[1] - model.readout.bias[0]).item()


def vote_correlations(model: Tagger, x: torch.Tensor) -> dict[str, float]:
    """Correlation of the forward vote with 'a marker before t' and of the backward vote with 'a marker after t'."""
    forward, backward, _ = direction_votes(model, x)
    before, after = before_after(x[..., 1].cpu().numpy() > 0.5)
    corr = lambda v, side: float(np.corrcoef(v.flatten().numpy(), side.flatten())[0, 1])  # noqa: E731
    return {"forward ~ before": corr(forward, before), "backward ~ after": corr(backward, after),
            "forward ~ after": corr(forward, after), "backward ~ before": corr(backward, before)}


def switch_votes(model: Tagger, x: torch.Tensor) -> dict[str, float]:
    """Medians over sequences of the forward vote at the first marker's step and one step after it, and of the
    backward vote at the last marker's step and one step before it (markers not at the sequence's ends)."""
    forward, backward, _ = direction_votes(model, x)
    marker = x[..., 1].cpu() > 0.5
    steps = torch.arange(marker.shape[1]).expand_as(marker)
    first = torch.where(marker, steps, marker.shape[1]).min(1).values
    last = torch.where(marker, steps, -1).max(1).values
    f_ok, b_ok = first < marker.shape[1] - 1, last > 0
    rows_f, rows_b = f_ok.nonzero()[:, 0], b_ok.nonzero()[:, 0]
    med = lambda v: float(v.median())  # noqa: E731
    return {"forward at first marker": med(forward[rows_f, first[rows_f]]),
            "forward after first marker": med(forward[rows_f, first[rows_f] + 1]),
            "backward at last marker": med(backward[rows_b, last[rows_b]]),
            "backward before last marker": med(backward[rows_b, last[rows_b] - 1])}


def load_shapes_table(path: Path = SHAPES_TABLE) -> dict:
    """The table of many seeds written by benchmarks/shape_runs.py."""
    return json.loads(Path(path).read_text())


def span_example(x: torch.Tensor) -> int:
    """Index of the first sequence in x with exactly two markers, none in the first or last two steps."""
    marker = x[..., 1]
    inside = (marker[:, 2:-2].sum(1) == 2) & (marker[:, :2].sum(1) + marker[:, -2:].sum(1) == 0)
    if not inside.any():
        raise ValueError("no sequence with two markers away from the ends: pass more sequences")
    return int(inside.nonzero()[0])


@torch.no_grad()
def moved_by_last_step(model: nn.Module, x_one: torch.Tensor) -> float:
    """Largest change of the model's outputs at steps 0..T-2 when a marker is put at the last step of x_one (T, 2)."""
    dev = next(model.parameters()).device
    changed = x_one.clone()
    changed[-1] = torch.tensor([0.0, 1.0])
    return (model(changed[None].to(dev)) - model(x_one[None].to(dev))).abs()[0, :-1].max().item()
