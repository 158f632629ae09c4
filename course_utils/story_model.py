"""Next-word models for the story: the seed's set-up (ids as floats, 2x512 LSTM, RMSprop, batch 1)
and the done-well one (embedding, small LSTM, full batch, Adam); next-word probabilities and generation.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .train import accuracy


SEED_SETUP_RUNS = Path(__file__).parent / "data" / "seed_setup_runs.json"


def load_seed_setup_runs(path: Path = SEED_SETUP_RUNS) -> list[dict]:
    """The seed's set-up run for 50,000 steps per seed (benchmarks/seed_setup_long_runs.py): one dict per
    run with running_accuracy (per block of running_block_steps), eval_steps and all_window_accuracy."""
    return json.loads(Path(path).read_text())["runs"]


class SeedLSTM(nn.Module):
    """Seed 002's model: each word id fed as one float, n_layers x 512 LSTM, linear read-out of the
    last step; TF's BasicLSTMCell forget bias of +1 and the seed's N(0, 1) output weights."""

    def __init__(self, vocab_size: int, hidden: int = 512, n_layers: int = 2) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, n_layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)
        with torch.no_grad():
            for layer in range(n_layers):
                getattr(self.lstm, f"bias_hh_l{layer}")[hidden:2 * hidden] += 1.0  # forget gate
            nn.init.normal_(self.out.weight)
            nn.init.normal_(self.out.bias)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits (B, vocab) for ids (B, n_input): the ids themselves are the inputs (B, n_input, 1)."""
        outputs, _ = self.lstm(ids.float().unsqueeze(-1))
        return self.out(outputs[:, -1])


class StoryLSTM(nn.Module):
    """The done-well model: an embedding per word, a small LSTM, a linear read-out of the last step."""

    def __init__(self, vocab_size: int, embed: int = 16, hidden: int = 64, n_layers: int = 1) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed)
        self.lstm = nn.LSTM(embed, hidden, n_layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits (B, vocab) for ids (B, n_input)."""
        outputs, _ = self.lstm(self.embed(ids))
        return self.out(outputs[:, -1])


@torch.no_grad()
def window_accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of windows X (N, n) whose argmax prediction equals y (N,): accuracy over all windows."""
    return accuracy(model, X, y)


@dataclass
class SeedRun:
    """What the seed's training loop saw: per step, right or wrong; every eval_every steps, the
    accuracy over all windows."""

    correct: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_accuracy: list[float] = field(default_factory=list)
    eval_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def running_accuracy(self, display_step: int) -> np.ndarray:
        """The seed's printed "Average Accuracy": mean of the last display_step training steps."""
        correct = np.asarray(self.correct)
        blocks = len(correct) // display_step
        return correct[:blocks * display_step].reshape(blocks, display_step).mean(1)


def train_seed_setup(model: nn.Module, X: torch.Tensor, y: torch.Tensor, offsets: list[int],
                     lr: float = 1e-3, eval_every: int = 100, max_seconds: float | None = None) -> SeedRun:
    """The seed's loop: one window per step (batch 1) at each of offsets, RMSprop (TF's decay 0.9,
    eps 1e-10); stops early after max_seconds."""
    opt = torch.optim.RMSprop(model.parameters(), lr=lr, alpha=0.9, eps=1e-10)
    run, start = SeedRun(), time.perf_counter()
    for step, offset in enumerate(offsets, start=1):
        logits = model(X[offset:offset + 1])
        loss = nn.functional.cross_entropy(logits, y[offset:offset + 1])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.correct.append(float(logits.argmax(-1).item() == y[offset].item()))
        if step % eval_every == 0:
            run.eval_steps.append(step)
            run.eval_accuracy.append(window_accuracy(model, X, y))
            run.eval_seconds.append(time.perf_counter() - start)
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    run.seconds = time.perf_counter() - start
    return run


@dataclass
class FitResult:
    """Accuracy over all windows after each epoch, with the seconds elapsed at that point."""

    accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def time_to(self, target: float) -> float | None:
        """Seconds until accuracy first reached target, or None if it never did."""
        return next((s for a, s in zip(self.accuracy, self.seconds) if a >= target), None)


def fit_full_batch(model: nn.Module, X: torch.Tensor, y: torch.Tensor, target: float = 1.0,
                   lr: float = 3e-2, max_epochs: int = 1000, max_seconds: float = 30.0) -> FitResult:
    """Adam on all windows at once (one step per epoch) until the accuracy over all windows reaches
    target, max_epochs or max_seconds."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    result, start = FitResult(), time.perf_counter()
    for _ in range(max_epochs):
        logits = model(X)
        loss = nn.functional.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        result.accuracy.append(window_accuracy(model, X, y))
        result.seconds.append(time.perf_counter() - start)
        if result.accuracy[-1] >= target or result.seconds[-1] > max_seconds:
            break
    return result


@torch.no_grad()
def next_word_probabilities(model: nn.Module, ids: list[int]) -> np.ndarray:
    """Softmax over the vocabulary (vocab,) for the next word after the context ids."""
    device = next(model.parameters()).device
    logits = model(torch.tensor([ids], device=device))
    return torch.softmax(logits[0], -1).cpu().numpy()


@torch.no_grad()
def continue_ids(model: nn.Module, ids: list[int], n_words: int) -> list[int]:
    """Greedy continuation: n_words ids, each the argmax given the last len(ids) ids."""
    window, out = list(ids), []
    device = next(model.parameters()).device
    for _ in range(n_words):
        next_id = int(model(torch.tensor([window], device=device))[0].argmax())
        out.append(next_id)
        window = window[1:] + [next_id]
    return out


@dataclass
class Generation:
    """One answer of the generation widget: the top-k next words with probabilities, and a
    greedy continuation."""

    context: list[str]
    top_words: list[str]
    top_probs: list[float]
    continuation: list[str]


def generate(model: nn.Module, ids: list[int], id_to_word: list[str], n_words: int = 10,
             top_k: int = 5) -> Generation:
    """The top_k next words after the context ids (most probable first) and n_words of greedy text."""
    if isinstance(n_words, bool) or not isinstance(n_words, (int, np.integer)) or not 0 <= n_words <= 200:
        raise ValueError(f"the number of words to generate must be a whole number 0..200, got {n_words!r}.")
    probs = next_word_probabilities(model, ids)
    best = np.argsort(-probs, kind="stable")[:top_k]
    return Generation([id_to_word[k] for k in ids], [id_to_word[k] for k in best],
                      [float(probs[k]) for k in best],
                      [id_to_word[k] for k in continue_ids(model, ids, int(n_words))])
