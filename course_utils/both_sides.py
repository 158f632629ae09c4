"""Notebook 07's bidirectional experiment on both_sides_data: three GRU taggers of about the same size
(forward, reversed, bidirectional), trained the same way by the notebook (tagger_block: a block of runs trained
side by side as one batch of models) and by benchmarks/shape_runs.py, which trains them (and the encoder–decoders
of course_utils.seq2seq) from many seeds and ships the results as course_utils/data/shapes_runs.json. The
notebook's own block is checked as a plausible draw from it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .runtime import cpu_generator
from .runtime import device as course_device
from .shape_tasks import before_after, both_sides_data
from .train import accuracy, shuffled_batches, train_classifier

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


GRU_WEIGHTS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def gru_scan(x: torch.Tensor, w_ih: torch.Tensor, w_hh: torch.Tensor, b_ih: torch.Tensor,
             b_hh: torch.Tensor) -> torch.Tensor:
    """Many one-layer GRUs at once, one per lane: x (L, N, T, D), weights (L, 3H, D), (L, 3H, H), (L, 3H), (L, 3H)
    laid out as nn.GRU's (gates r, z, n) → states (L, N, T, H), by nn.GRU's equations."""
    L, N, T, D = x.shape
    gi = torch.baddbmm(b_ih[:, None], x.reshape(L, N * T, D), w_ih.transpose(1, 2)).view(L, N, T, -1)
    h = x.new_zeros(L, N, w_hh.shape[-1])
    states = []
    for t in range(T):
        gh = torch.baddbmm(b_hh[:, None], h, w_hh.transpose(1, 2))
        i_rz, i_n = gi[:, :, t].split([2 * h.shape[-1], h.shape[-1]], -1)
        h_rz, h_n = gh.split([2 * h.shape[-1], h.shape[-1]], -1)
        r, z = torch.sigmoid(i_rz + h_rz).chunk(2, -1)
        n = torch.tanh(i_n + r * h_n)
        h = n + z * (h - n)                                      # (1 − z) n + z h
        states.append(h)
    return torch.stack(states, 2)


def _padded(w: torch.Tensor, hidden: int, size: int, cols: bool) -> torch.Tensor:
    """A GRU weight's three gate blocks (rows) and, for W_hh or a read-out, its columns padded with zeros to `size`
    units: a padded unit stays 0 and gets zero gradients, so the lane trains as the unpadded GRU."""
    blocks = w.view(3, hidden, *w.shape[1:]) if w.shape[0] == 3 * hidden else w[None]
    out = w.new_zeros(blocks.shape[0], size if w.shape[0] == 3 * hidden else blocks.shape[1], *w.shape[1:])
    out[:, :blocks.shape[1]] = blocks
    out = out.flatten(0, 1)
    if cols:
        out = torch.cat([out, out.new_zeros(out.shape[0], size - out.shape[1])], 1)
    return out


class TaggerBlock(nn.Module):
    """Several Taggers trained as one: every GRU direction of every run is a lane of one gru_scan (padded to the
    largest H); each run's logits add its lanes' read-outs, so each run learns exactly as alone."""

    def __init__(self, models: list[Tagger]):
        super().__init__()
        size = max(m.rnn.hidden_size for m in models)
        lanes, self.runs = [], len(models)
        for run, m in enumerate(models):
            H, k = m.rnn.hidden_size, 2 if m.direction == "bidirectional" else 1
            for side in range(k):
                w = [getattr(m.rnn, name + ("_reverse" if side else "")).detach() for name in GRU_WEIGHTS]
                flip = side == 1 or m.direction == "reversed"
                readout = m.readout.weight.detach()[:, side * H:(side + 1) * H]
                lanes.append((run, flip, [_padded(w[0], H, size, False), _padded(w[1], H, size, True),
                                          _padded(w[2], H, size, False), _padded(w[3], H, size, False),
                                          _padded(readout, readout.shape[0], size, True)[:readout.shape[0]]]))
        self.register_buffer("lane_run", torch.tensor([run for run, _, _ in lanes]))
        self.register_buffer("flip", torch.tensor([flip for _, flip, _ in lanes]))
        self.weights = nn.ParameterList([nn.Parameter(torch.stack(w)) for w in zip(*(w for _, _, w in lanes))])
        self.bias = nn.Parameter(torch.stack([m.readout.bias.detach() for m in models]))

    def forward(self, x: torch.Tensor, runs: torch.Tensor | None = None) -> torch.Tensor:
        """x (runs, N, T, D), one batch per run → logits (runs, N, T, C); with `runs` (sorted run indices), only
        those runs, x holding their batches."""
        lanes, lane_run, weights, bias = slice(None), self.lane_run, list(self.weights), self.bias
        if runs is not None:
            lanes = torch.isin(lane_run, runs).nonzero()[:, 0]
            lane_run, weights, bias = torch.searchsorted(runs, lane_run[lanes]), [w[lanes] for w in weights], bias[runs]
        flip = self.flip[lanes][:, None, None, None]
        xs = x[lane_run]
        states = gru_scan(torch.where(flip, xs.flip(2), xs), *weights[:4])
        L, N, T, H = states.shape
        votes = torch.bmm(states.reshape(L, N * T, H), weights[4].transpose(1, 2)).view(L, N, T, -1)
        votes = torch.where(flip, votes.flip(2), votes)                 # back in time order
        return votes.new_zeros(len(x), N, T, votes.shape[-1]).index_add(0, lane_run, votes) + bias[:, None, None]

    @torch.no_grad()
    def unpack(self, models: list[Tagger]) -> None:
        """Copy the trained weights back into the runs' Taggers."""
        lane = 0
        for run, m in enumerate(models):
            H, k = m.rnn.hidden_size, 2 if m.direction == "bidirectional" else 1
            for side in range(k):
                for name, w in zip(GRU_WEIGHTS, self.weights[:4]):
                    rows = w[lane].view(3, -1, *w.shape[2:])[:, :H].flatten(0, 1)
                    rows = rows[:, :H] if name.startswith("weight_hh") else rows
                    getattr(m.rnn, name + ("_reverse" if side else "")).copy_(rows)
                m.readout.weight[:, side * H:(side + 1) * H] = self.weights[4][lane][:, :H]
                lane += 1
            m.readout.bias.copy_(self.bias[run])


def tagger_block(seeds: list[int], epochs: int = 4, device: torch.device | str | None = None,
                 directions: tuple[str, ...] = tuple(DIRECTIONS)) -> dict[str, list[tuple[Tagger, float]]]:
    """tagger_run for every direction and seed, trained together as one TaggerBlock (same data, initial weights,
    batches, Adam steps and early stop per run as tagger_run): per direction, (model, held-out accuracy) per seed."""
    dev = torch.device(device) if device is not None else course_device()
    runs = [(d, s) for d in directions for s in seeds]
    models, data = [], {s: tagger_data(s) for s in seeds}
    for direction, seed in runs:
        torch.manual_seed(seed)
        models.append(Tagger(DIRECTIONS[direction], direction))
    x = torch.stack([data[s][0][0] for _, s in runs]).to(dev)
    y = torch.stack([data[s][0][1] for _, s in runs]).to(dev)
    block = TaggerBlock(models).to(dev)
    may_stop = torch.tensor([d == "bidirectional" for d, _ in runs], device=dev)
    _train_block(block, x, y, [cpu_generator(s) for _, s in runs], epochs, may_stop)
    block.unpack(models)
    out: dict[str, list[tuple[Tagger, float]]] = {d: [] for d in directions}
    for (direction, seed), model in zip(runs, models):
        test = data[seed][1]
        out[direction].append((model.to(dev), accuracy(model.to(dev), test[0].to(dev), test[1].to(dev))))
    return out


def _train_block(block: TaggerBlock, x: torch.Tensor, y: torch.Tensor, generators: list[torch.Generator],
                 epochs: int, may_stop: torch.Tensor) -> None:
    """Adam 0.03, batch 100, each run its own batches; a run that gets every training step right stops there.
    Only runs in may_stop are checked: a one-direction tagger cannot get every step of 1500 training sequences
    right, since some of them agree up to step t and differ in whether a marker comes after it."""
    opt = torch.optim.Adam(block.parameters(), lr=3e-2)
    rows = torch.arange(len(generators), device=x.device)[:, None]
    done = torch.zeros(len(generators), dtype=torch.bool, device=x.device)
    for _ in range(epochs):
        order = torch.stack([torch.stack(shuffled_batches(x.shape[1], 100, g)) for g in generators], 1)
        frozen = [p.detach().clone() for p in block.parameters()]
        keep = [done if p is block.bias else done[block.lane_run] for p in block.parameters()]
        for batch in order.to(x.device):
            logits = block(x[rows, batch])                           # (runs, 100, T, C)
            loss = nn.functional.cross_entropy(logits.flatten(1, 2).transpose(1, 2), y[rows, batch].flatten(1),
                                               reduction="none").mean(1).sum()     # each run's mean, summed
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                for p, f, k in zip(block.parameters(), frozen, keep):   # finished runs keep their weights
                    p[k] = f[k]
        check = (may_stop & ~done).nonzero()[:, 0]
        if len(check) == 0:
            continue
        with torch.no_grad():
            done[check] = (block(x[check], check).argmax(-1) == y[check]).flatten(1).all(1)
        if done.all():
            break


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
