"""The "hold a bit across a gap" task and the small recurrent classifiers trained on it.

A bit (0 or 1) is shown at t=0 as a one-hot on channels 0/1; then `gap` distractor steps follow
on channels 2/3 (discrete: one of two tokens; noise: Gaussian noise on every channel); the model
must report the bit from its state after the last step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .runtime import cpu_generator, device as course_device
from .train import accuracy, make_optimizer, shuffled_batches, train_epoch

INPUT_SIZE = 4
DISTRACTORS = ("noise", "discrete")
CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
RECURRENT_INITS = ("default", "orthogonal", "irnn")  # irnn: ReLU units and W_hh = I (Le, Jaitly & Hinton 2015)


def recall_data(n: int, gap: int, distractors: str = "noise", seed: int = 0,
                noise_std: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """n sequences (n, gap+1, 4) float32 and their bits (n,) int64: bit at t=0, then gap distractors."""
    if distractors not in DISTRACTORS:
        raise ValueError(f"distractors must be one of {DISTRACTORS}, got {distractors!r}")
    if n < 1 or gap < 0:
        raise ValueError(f"need n >= 1 and gap >= 0, got n={n}, gap={gap}")
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=n)
    x = np.zeros((n, gap + 1, INPUT_SIZE), dtype=np.float32)
    x[np.arange(n), 0, bits] = 1.0
    if distractors == "discrete":
        tokens = rng.integers(2, 4, size=(n, gap))
        rows, steps = np.meshgrid(np.arange(n), np.arange(1, gap + 1), indexing="ij")
        x[rows, steps, tokens] = 1.0
    else:
        x[:, 1:, :] = rng.normal(0.0, noise_std, size=(n, gap, INPUT_SIZE))
    return torch.from_numpy(x), torch.from_numpy(bits.astype(np.int64))


class RecallNet(nn.Module):
    """A one-layer nn.RNN / nn.GRU / nn.LSTM (batch_first) and a linear read-out of the last h."""

    def __init__(self, cell: str = "lstm", hidden_size: int = 16, input_size: int = INPUT_SIZE,
                 n_classes: int = 2, forget_bias: float | None = None, recurrent_init: str = "default",
                 chrono_t_max: int | None = None, update_bias: float | None = None) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        if recurrent_init not in RECURRENT_INITS or (recurrent_init != "default" and cell != "rnn"):
            raise ValueError(f"recurrent_init must be one of {RECURRENT_INITS} (the last two for cell='rnn' only), "
                             f"got {recurrent_init!r} for {cell!r}")
        self.cell = cell
        extra = {"nonlinearity": "relu"} if recurrent_init == "irnn" else {}
        self.rnn = CELLS[cell](input_size, hidden_size, batch_first=True, **extra)
        if recurrent_init != "default":
            init_recurrent(self.rnn, recurrent_init)
        self.readout = nn.Linear(hidden_size, n_classes)
        if forget_bias is not None:
            set_forget_bias(self.rnn, forget_bias)
        if chrono_t_max is not None:
            set_chrono_bias(self.rnn, chrono_t_max)
        if update_bias is not None:
            set_update_bias(self.rnn, update_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, n_classes) from the state after the last step of x (N, T, D)."""
        out, _ = self.rnn(x)
        return self.readout(out[:, -1])

    def logits_per_step(self, x: torch.Tensor) -> torch.Tensor:
        """The read-out applied to every step's h: logits (T, n_classes) for one sequence x (T, D)."""
        out, _ = self.rnn(x[None])
        return self.readout(out[0])


@torch.no_grad()
def init_recurrent(rnn: nn.RNN, how: str) -> None:
    """orthogonal: W_hh a random orthogonal matrix; irnn (Le et al. 2015): W_hh = I and zero biases."""
    if how == "orthogonal":
        nn.init.orthogonal_(rnn.weight_hh_l0)
    elif how == "irnn":
        rnn.weight_hh_l0.copy_(torch.eye(rnn.hidden_size))
        rnn.bias_hh_l0.zero_()
        rnn.bias_ih_l0.zero_()
    else:
        raise ValueError(f"how must be 'orthogonal' or 'irnn', got {how!r}")


def _set_second_gate_bias(rnn: nn.RNNBase, value: float) -> None:
    """Every layer's bias rows H..2H: b_ih = value, b_hh = 0 (the LSTM's forget gate, the GRU's update gate)."""
    H = rnn.hidden_size
    for k in range(rnn.num_layers):
        getattr(rnn, f"bias_ih_l{k}")[H:2 * H] = value
        getattr(rnn, f"bias_hh_l{k}")[H:2 * H] = 0.0


@torch.no_grad()
def set_forget_bias(lstm: nn.LSTM, value: float) -> None:
    """Make every layer's total forget-gate bias (b_if + b_hf) equal `value` (torch's rows H..2H)."""
    if not isinstance(lstm, nn.LSTM):
        raise ValueError(f"the forget-gate bias exists only in an nn.LSTM, not a {type(lstm).__name__}")
    _set_second_gate_bias(lstm, value)


@torch.no_grad()
def set_chrono_bias(lstm: nn.LSTM, t_max: int) -> None:
    """Chrono initialisation (Tallec & Ollivier 2018): b_f ~ log U[1, t_max − 1] per unit, b_i = −b_f (torch's RNG)."""
    if not isinstance(lstm, nn.LSTM):
        raise ValueError(f"chrono initialisation sets an nn.LSTM's gate biases, not a {type(lstm).__name__}'s")
    if t_max < 3:
        raise ValueError(f"t_max must be at least 3 (b_f ~ log U[1, t_max − 1]), got {t_max}")
    H = lstm.hidden_size
    for k in range(lstm.num_layers):
        b_f = torch.log(1 + (t_max - 2) * torch.rand(H))
        b_ih, b_hh = getattr(lstm, f"bias_ih_l{k}"), getattr(lstm, f"bias_hh_l{k}")
        b_ih[:H], b_ih[H:2 * H] = -b_f, b_f                       # torch's rows: input gate 0..H, forget H..2H
        b_hh[:2 * H] = 0.0


@torch.no_grad()
def set_update_bias(gru: nn.GRU, value: float) -> None:
    """Make the GRU's total update-gate bias (b_iz + b_hz) equal `value`; z → 1 keeps h (h' = (1 − z) n + z h).
    torch's rows: reset 0..H, update H..2H, new 2H..3H."""
    if not isinstance(gru, nn.GRU):
        raise ValueError(f"the update-gate bias exists only in an nn.GRU, not a {type(gru).__name__}")
    _set_second_gate_bias(gru, value)


@torch.no_grad()
def recall_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of bits the model reports correctly on (x, y), on the model's device."""
    dev = next(model.parameters()).device
    return accuracy(model, x.to(dev), y.to(dev))


@dataclass
class RecallRun:
    """One training run on the gap task: the model and its accuracy after every epoch."""

    seed: int
    model: RecallNet
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)

    def held(self, threshold: float = 0.95) -> bool:
        """Did the run end reporting the bit on at least `threshold` of the held-out sequences?"""
        return self.test_accuracy[-1] >= threshold


def train_recall(cell: str, gap: int, seed: int, epochs: int = 15, forget_bias: float | None = None,
                 distractors: str = "noise", fresh_data: bool = True, n_train: int = 1024,
                 hidden_size: int = 16, lr: float = 1e-2, device: torch.device | str | None = None,
                 progress: bool = False, recurrent_init: str = "default", clip: float | None = None,
                 every_epoch: bool = True, chrono_t_max: int | None = None,
                 update_bias: float | None = None) -> RecallRun:
    """Train a RecallNet from torch seed `seed` (Adam, batch 128) and measure it on 1000 held-out sequences.

    fresh_data draws a new training set every epoch (nothing to memorise); otherwise one set is reused.
    every_epoch=False measures the accuracies after the last epoch only (faster). chrono_t_max / update_bias:
    see set_chrono_bias / set_update_bias.
    All data and batches come from seeded CPU generators, so CPU and CUDA see the same numbers.
    """
    dev = torch.device(device) if device is not None else course_device()
    torch.manual_seed(seed)
    model = RecallNet(cell, hidden_size, forget_bias=forget_bias, recurrent_init=recurrent_init,
                      chrono_t_max=chrono_t_max, update_bias=update_bias).to(dev)
    run, opt, generator = RecallRun(seed, model), make_optimizer(model, "adam", lr), cpu_generator(seed)
    x_test, y_test = recall_data(1000, gap, distractors, seed=10**6 + seed)
    x, y = recall_data(n_train, gap, distractors, seed=10**5 + seed)
    for epoch in tqdm(range(epochs), desc=f"{cell}, seed {seed}", disable=not progress):
        if fresh_data:
            x, y = recall_data(n_train, gap, distractors, seed=10**4 * seed + epoch)
        x_dev, y_dev = x.to(dev), y.to(dev)
        train_epoch(model, opt, x_dev, y_dev, shuffled_batches(n_train, 128, generator), clip)
        if not every_epoch and epoch < epochs - 1:
            continue
        run.train_accuracy.append(recall_accuracy(model, x_dev, y_dev))
        run.test_accuracy.append(recall_accuracy(model, x_test, y_test))
    return run


def recall_runs(cell: str, gap: int, seeds: list[int], progress: bool = True, **options) -> list[RecallRun]:
    """One train_recall run per seed (options as in train_recall), with one progress bar over the seeds."""
    return [train_recall(cell, gap, seed, **options)
            for seed in tqdm(seeds, desc=f"{cell} on {len(seeds)} seeds", disable=not progress)]


RATE_TABLES = Path(__file__).parent / "data"


def recall_rate_table(distractors: str = "noise", gap: int = 10) -> dict[str, dict[str, list[float]]]:
    """The shipped sweep (benchmarks/recall_rates.py): per model, after each epoch, the share of runs
    holding the bit ("held", held-out accuracy >= 0.95) and their mean held-out accuracy ("mean")."""
    path = RATE_TABLES / f"recall_rates_{distractors}_gap{gap}.json"
    if not path.exists():
        raise ValueError(f"no rate table for {distractors!r} distractors at gap {gap} ({path.name} is missing)")
    runs = json.loads(path.read_text())["test_accuracy"]
    return {name: {"held": (np.asarray(acc) >= 0.95).mean(axis=0).tolist(),
                   "mean": np.asarray(acc).mean(axis=0).tolist()} for name, acc in runs.items()}


SUBJECTS = ("he", "she")
FILLERS = ("went", "to", "the", "market", "and", "then", "saw", "a", "cat", ".", "later", "sat")
SUBJECT_VOCAB = SUBJECTS + FILLERS


def encode_words(words: list[str] | str) -> torch.Tensor:
    """One-hot (T, V) float32 of a sentence (string or list of words) over SUBJECT_VOCAB."""
    if isinstance(words, str):
        words = words.split()
    unknown = [w for w in words if w not in SUBJECT_VOCAB]
    if unknown or not words:
        raise ValueError(f"words must come from {SUBJECT_VOCAB}; unknown: {unknown or 'empty sentence'}")
    ids = torch.tensor([SUBJECT_VOCAB.index(w) for w in words])
    return nn.functional.one_hot(ids, len(SUBJECT_VOCAB)).float()


def subject_data(n: int, length: int = 12, max_subjects: int = 3,
                 seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """n sentences (n, length, V) one-hot with 1..max_subjects of he/she among fillers; target (n,) = last subject."""
    if n < 1 or length < 1 or not 1 <= max_subjects <= length:
        raise ValueError(f"need n >= 1 and 1 <= max_subjects <= length, got {n}, {max_subjects}, {length}")
    rng = np.random.default_rng(seed)
    ids = rng.integers(len(SUBJECTS), len(SUBJECT_VOCAB), size=(n, length))
    last = np.zeros(n, dtype=np.int64)
    for row in range(n):
        k = rng.integers(1, max_subjects + 1)
        where = np.sort(rng.choice(length, size=k, replace=False))
        who = rng.integers(0, len(SUBJECTS), size=k)
        ids[row, where] = who
        last[row] = who[-1]
    x = nn.functional.one_hot(torch.from_numpy(ids), len(SUBJECT_VOCAB)).float()
    return x, torch.from_numpy(last)
