"""Notebook 04's training experiments on the gap task (clipping, initialisations, truncated BPTT, the
LSTM's forget bias), run the same way by the notebook and by benchmarks/gap_task_table.py, which trains
them from 100 seeds and ships the results as course_utils/data/gap_task_runs.json.

One block of 5 runs is luck, so every claim of notebook 04 about training rests on that table (rates with
intervals over 100 runs); the notebook's own block is checked to be a plausible draw from it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .gradient_flow import connectivity
from .memory_task import RecallNet, recall_data, train_recall
from .runtime import device as course_device
from .train import accuracy

GAP_TABLE = Path(__file__).parent / "data" / "gap_task_runs.json"
HELD = 0.95  # held-out accuracy at which a run "holds" the bit
LAG_VARIANTS = {"RNN (default init)": ("rnn", None, "default"), "RNN (orthogonal)": ("rnn", None, "orthogonal"),
                "IRNN (ReLU, W_hh = I)": ("rnn", None, "irnn"), "LSTM (forget bias +1)": ("lstm", 1.0, "default"),
                "LSTM (forget bias +3)": ("lstm", 3.0, "default"), "GRU": ("gru", None, "default")}
# the gate initialisations added beside them (their runs: course_utils/data/gap_task_gates.json): chrono draws the
# LSTM's forget bias from log U[1, lag] (T_max = lag + 1); the GRU's update gate starts at σ(+3) ≈ 0.95
GATE_VARIANTS = {"LSTM (chrono)": ("lstm", "chrono", "default"), "GRU (update bias +3)": ("gru", 3.0, "default")}
GATE_TABLE = Path(__file__).parent / "data" / "gap_task_gates.json"
CLIP_BUDGET = {"lr": 0.5, "steps": 100}  # clipped SGD (c = 1) on torch's default RNN: enough to learn short lags


@dataclass
class SGDRun:
    """One plain-SGD run: the model, every step's loss and every step's gradient norm before clipping."""

    model: RecallNet
    losses: np.ndarray
    grad_norms: np.ndarray
    test_accuracy: float

    def held(self) -> bool:
        """Did the run end reporting the bit on at least 95% of its 1000 held-out sequences?"""
        return self.test_accuracy >= HELD

    def spike(self) -> float:
        """Largest loss over the first loss (inf once the loss is NaN or inf)."""
        finite = np.where(np.isfinite(self.losses), self.losses, np.inf)
        return float(finite.max() / self.losses[0])

    def clipped_fraction(self, clip: float) -> float:
        """Fraction of steps whose gradient norm was above `clip` (where clipping changed the step)."""
        return float(np.mean(self.grad_norms > clip))


def train_sgd(seed: int, clip: float | None, recurrent_init: str = "irnn", gap: int = 20, steps: int = 60,
              lr: float = 0.05, device: torch.device | str | None = None, optimizer: str = "sgd") -> SGDRun:
    """A 16-unit RNN on the gap task with plain SGD (or optimizer="adam"; 128 fresh sequences a step), clipped at
    `clip` or not; measured on 1000 held-out sequences."""
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    dev = torch.device(device) if device is not None else course_device()
    torch.manual_seed(seed)
    model = RecallNet("rnn", 16, recurrent_init=recurrent_init).to(dev)
    opt_class = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    opt, losses, norms = opt_class(model.parameters(), lr=lr), [], []
    for step in range(steps):
        x, y = recall_data(128, gap, "discrete", seed=10**4 * seed + step)
        loss = nn.functional.cross_entropy(model(x.to(dev)), y.to(dev))
        opt.zero_grad()
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), clip if clip is not None else math.inf).item())
        opt.step()
        losses.append(loss.item())
    x_test, y_test = recall_data(1000, gap, "discrete", seed=10**6 + seed)
    return SGDRun(model, np.array(losses), np.array(norms), accuracy(model, x_test.to(dev), y_test.to(dev)))


def train_truncated(seed: int, gap: int, window: int | None, steps: int = 40,
                    device: torch.device | str | None = None) -> float:
    """Orthogonal tanh RNN, Adam 1e-2; the gradient is cut `window` steps before the end (None: full BPTT).
    Returns the held-out accuracy on 1000 sequences."""
    dev = torch.device(device) if device is not None else course_device()
    torch.manual_seed(seed)
    model = RecallNet("rnn", 16, recurrent_init="orthogonal").to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(steps):
        x, y = (t.to(dev) for t in recall_data(128, gap, "discrete", seed=10**4 * seed + step))
        cut, h = max(0, x.shape[1] - (window or x.shape[1])), None
        if cut:
            _, h = model.rnn(x[:, :cut])
            h = h.detach()                                    # no gradient reaches the steps before the window
        out, _ = model.rnn(x[:, cut:], h)
        loss = nn.functional.cross_entropy(model.readout(out[:, -1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x_test, y_test = recall_data(1000, gap, "discrete", seed=10**6 + seed)
    return accuracy(model, x_test.to(dev), y_test.to(dev))


def lag_run(variant: str, lag: int, seed: int, steps: int = 40, device: torch.device | str | None = None):
    """One run of a LAG_VARIANTS or GATE_VARIANTS entry: Adam 1e-2, `steps` steps of 128 fresh sequences (512 an epoch)."""
    variants = {**LAG_VARIANTS, **GATE_VARIANTS}
    if variant not in variants:
        raise ValueError(f"variant must be one of {list(variants)}, got {variant!r}")
    if steps % 4:
        raise ValueError(f"steps must be a multiple of 4 (4 steps an epoch), got {steps}")
    cell, bias, init = variants[variant]
    return train_recall(cell, lag, seed, epochs=steps // 4, n_train=512, recurrent_init=init, distractors="discrete",
                        device=device, every_epoch=False, **_gate_options(cell, bias, lag))


def _gate_options(cell: str, bias: float | str | None, lag: int) -> dict:
    """train_recall's options for a variant's bias: chrono (T_max = lag + 1), the GRU's update gate or the forget gate."""
    if bias == "chrono":
        return {"chrono_t_max": lag + 1}
    return {"update_bias": bias} if cell == "gru" else {"forget_bias": bias}


def load_gap_table(path: Path = GAP_TABLE) -> dict:
    """The table of many seeds written by benchmarks/gap_task_table.py."""
    return json.loads(Path(path).read_text())


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a rate k/n."""
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    p, z2 = k / n, z * z
    centre, half = (p + z2 / (2 * n)) / (1 + z2 / n), z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def plausible_count(k: int, n: int, table_k: int, table_n: int, alpha: float = 1e-4) -> bool:
    """Is k of n a plausible draw at the table's rate (table_k + 1)/(table_n + 2)? Both binomial tails ≥ alpha."""
    p = (table_k + 1) / (table_n + 2)
    pmf = [math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(n + 1)]
    return sum(pmf[:k + 1]) >= alpha and sum(pmf[k:]) >= alpha


def rate_text(k: int, n: int) -> str:
    """'p% of runs (95% interval lo–hi)' for k of n runs."""
    lo, hi = wilson_interval(k, n)
    return f"{k / n:.0%} of runs (95% interval {lo:.0%}–{hi:.0%})"


def bit_influence(model: RecallNet, lag: int, sequence_seed: int) -> float:
    """‖∂m_lag/∂x_0‖ / ‖∂m_lag/∂x_lag‖ on one gap-task sequence: how much the final prediction's margin depends
    on the bit (x_0) relative to the latest input (connectivity, notebook 04 §6)."""
    x, _ = recall_data(1, lag, "discrete", seed=sequence_seed)
    G = connectivity(model.logits_per_step, x[0].to(next(model.parameters()).device))
    return float(G[lag, 0] / G[lag, lag])
