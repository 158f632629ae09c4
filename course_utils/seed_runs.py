"""Many training runs at once: K independent RecallNets (one per seed) packed into one wide recurrent
layer with block-diagonal weights, so that a rate over seeds costs about as much as one run.

Block k of every weight matrix belongs to run k; the other blocks are zero and their gradients are
masked, so no run ever sees another. At the start each block is an exact copy of
`RecallNet(cell, ...)` built after `torch.manual_seed(seed_k)`; each run gets its own data stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .memory_task import CELLS, RecallNet, recall_data
from .runtime import cpu_generator
from .train import make_optimizer, shuffled_batches, train_epoch

GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def _block_copy(wide: torch.Tensor, small: torch.Tensor, k: int, gates: int, cols: int | None) -> None:
    """Copy a small (gates*H[, D]) weight into run k's blocks of the wide (gates*K*H[, K*D]) one."""
    H = small.shape[0] // gates
    K = wide.shape[0] // (gates * H)
    for g in range(gates):
        rows = slice(g * K * H + k * H, g * K * H + (k + 1) * H)
        block = small[g * H:(g + 1) * H]
        if cols is None:
            wide[rows] = block
        else:
            wide[rows, k * cols:(k + 1) * cols] = block


class ParallelRecallNets(nn.Module):
    """K RecallNets trained side by side: input (B, T, K, D) -> logits (B, K, n_classes)."""

    def __init__(self, cell: str, seeds: list[int], hidden_size: int = 16, input_size: int = 4,
                 n_classes: int = 2, forget_bias: float | None = None) -> None:
        super().__init__()
        self.cell, self.seeds, self.hidden_size = cell, list(seeds), hidden_size
        K, H, D, G = len(self.seeds), hidden_size, input_size, GATES[cell]
        self.rnn = CELLS[cell](K * D, K * H, batch_first=True)
        self.readout_weight = nn.Parameter(torch.zeros(K, n_classes, H))
        self.readout_bias = nn.Parameter(torch.zeros(K, n_classes))
        with torch.no_grad():
            for p in self.rnn.parameters():
                p.zero_()
            for k, seed in enumerate(self.seeds):
                torch.manual_seed(seed)
                self._load(k, RecallNet(cell, H, D, n_classes, forget_bias), G, D)
        for name, cols in (("weight_ih_l0", D), ("weight_hh_l0", H)):
            mask = torch.cat([torch.block_diag(*[torch.ones(H, cols)] * K)] * G)
            self.register_buffer(f"mask_{name}", mask)
            getattr(self.rnn, name).register_hook(lambda grad, name=name: grad * getattr(self, f"mask_{name}"))

    def _load(self, k: int, net: RecallNet, G: int, D: int) -> None:
        """Run k's blocks := the weights of one RecallNet."""
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            small, wide = getattr(net.rnn, name), getattr(self.rnn, name)
            cols = None if name.startswith("bias") else (D if "ih" in name else self.hidden_size)
            _block_copy(wide, small, k, G, cols)
        self.readout_weight[k] = net.readout.weight
        self.readout_bias[k] = net.readout.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, K, n_classes) of every run from its own input x[:, :, k] (B, T, K, D)."""
        out, _ = self.rnn(x.flatten(2))
        last = out[:, -1].view(x.shape[0], len(self.seeds), self.hidden_size)
        return torch.einsum("bkh,kch->bkc", last, self.readout_weight) + self.readout_bias

    @torch.no_grad()
    def member(self, k: int) -> RecallNet:
        """Run k as a stand-alone RecallNet (on the CPU) with its trained weights."""
        G, H, K = GATES[self.cell], self.hidden_size, len(self.seeds)
        D = self.rnn.input_size // K
        net = RecallNet(self.cell, H, D, self.readout_bias.shape[1])
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            wide, small = getattr(self.rnn, name).cpu(), getattr(net.rnn, name)
            for g in range(G):
                rows = wide[g * K * H + k * H:g * K * H + (k + 1) * H]
                small[g * H:(g + 1) * H] = rows if rows.dim() == 1 else rows[:, k * rows.shape[1] // K:(k + 1) * rows.shape[1] // K]
        net.readout.weight.copy_(self.readout_weight[k])
        net.readout.bias.copy_(self.readout_bias[k])
        return net


@dataclass
class RecallRuns:
    """Held-out and training accuracy of every run after every epoch: arrays (epochs, K)."""

    seeds: list[int]
    test_accuracy: list[np.ndarray] = field(default_factory=list)
    train_accuracy: list[np.ndarray] = field(default_factory=list)
    model: ParallelRecallNets | None = None

    def final(self) -> np.ndarray:
        """Held-out accuracy of each run at the end (K,)."""
        return self.test_accuracy[-1]

    def held(self, threshold: float = 0.95) -> int:
        """How many runs end with held-out accuracy >= threshold."""
        return int(np.sum(self.final() >= threshold))


def stacked_recall_data(n: int, gap: int, distractors: str, seeds: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """One recall data set per seed, side by side: x (n, gap+1, K, 4) and bits (n, K)."""
    pairs = [recall_data(n, gap, distractors, seed=s) for s in seeds]
    return torch.stack([x for x, _ in pairs], dim=2), torch.stack([y for _, y in pairs], dim=1)


@torch.no_grad()
def _accuracy_per_run(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    return (model(x).argmax(-1) == y).float().mean(0).cpu().numpy()


def train_recall_runs(cell: str, gap: int, seeds: list[int], epochs: int = 40, forget_bias: float | None = None,
                      distractors: str = "noise", fresh_data: bool = True, n_train: int = 1024,
                      batch_size: int = 128, lr: float = 1e-2, device: torch.device | str = "cpu",
                      progress: bool = True) -> RecallRuns:
    """Train one 16-unit RecallNet per seed on the gap task (Adam), all at once; fresh_data draws a new
    training set every epoch (nothing to memorise), else one set per run is reused. Held-out: 1000 new sequences."""
    model = ParallelRecallNets(cell, seeds, forget_bias=forget_bias).to(device)
    opt = make_optimizer(model, "adam", lr)
    x_test, y_test = (t.to(device) for t in stacked_recall_data(1000, gap, distractors, [10**6 + s for s in seeds]))
    runs, generator = RecallRuns(list(seeds), model=model), cpu_generator(seeds[0])
    x, y = stacked_recall_data(n_train, gap, distractors, [10**5 + s for s in seeds])
    for epoch in tqdm(range(epochs), desc=f"{cell} x {len(seeds)} seeds", disable=not progress, mininterval=0.25):
        if fresh_data:
            x, y = stacked_recall_data(n_train, gap, distractors, [10**4 * s + epoch for s in seeds])
        x_dev, y_dev = x.to(device), y.to(device)
        train_epoch(model, opt, x_dev, y_dev, shuffled_batches(n_train, batch_size, generator))
        runs.train_accuracy.append(_accuracy_per_run(model, x_dev, y_dev))
        runs.test_accuracy.append(_accuracy_per_run(model, x_test, y_test))
    return runs
