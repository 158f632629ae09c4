"""Next-word models for the story: the tutorial's set-up (ids as floats, 2x512 LSTM, RMSprop, batch 1)
and a better one (embedding, small LSTM, full batch, Adam); next-word probabilities and generation.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .sampling import sample_window_ids, temperature_probs
from .train import accuracy


TUTORIAL_SETUP_RUNS = Path(__file__).parent / "data" / "tutorial_setup_runs.json"


def load_tutorial_setup_runs(path: Path = TUTORIAL_SETUP_RUNS) -> list[dict]:
    """The tutorial's set-up run for 50,000 steps from several random starts, shipped with the course: one dict
    per run with running_accuracy (per block of running_block_steps), eval_steps and all_window_accuracy."""
    return json.loads(Path(path).read_text())["runs"]


INITS = ("torch_lstm", "tf1", "default")


class TutorialLSTM(nn.Module):
    """The tutorial's model: each word id fed as one float, n_layers x hidden LSTM, linear read-out of the
    last step. init: "torch_lstm" (torch's LSTM init with TF's forget bias +1 and the tutorial's N(0, 1)
    read-out), "tf1" (as TF1's BasicLSTMCell: Glorot-uniform kernels, zero biases, forget bias +1;
    N(0, 1) read-out) or "default" (torch's defaults everywhere, as StoryLSTM)."""

    def __init__(self, vocab_size: int, hidden: int = 512, n_layers: int = 2, init: str = "torch_lstm") -> None:
        super().__init__()
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}.")
        self.lstm = nn.LSTM(1, hidden, n_layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)
        if init == "tf1":
            _glorot_lstm_kernels(self.lstm)
        if init != "default":
            with torch.no_grad():
                for layer in range(n_layers):
                    getattr(self.lstm, f"bias_hh_l{layer}")[hidden:2 * hidden] += 1.0  # forget gate
                nn.init.normal_(self.out.weight)
                nn.init.normal_(self.out.bias)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits (B, vocab) for ids (B, n_input): the ids themselves are the inputs (B, n_input, 1)."""
        outputs, _ = self.lstm(ids.float().unsqueeze(-1))
        return self.out(outputs[:, -1])


@torch.no_grad()
def _glorot_lstm_kernels(lstm: nn.LSTM) -> None:
    """TF1's BasicLSTMCell init: one kernel (inputs + hidden, 4 hidden) per layer drawn Glorot-uniform,
    biases zero."""
    for layer in range(lstm.num_layers):
        w_ih, w_hh = getattr(lstm, f"weight_ih_l{layer}"), getattr(lstm, f"weight_hh_l{layer}")
        limit = (6.0 / (w_ih.shape[1] + w_hh.shape[1] + w_ih.shape[0])) ** 0.5
        w_ih.uniform_(-limit, limit)
        w_hh.uniform_(-limit, limit)
        getattr(lstm, f"bias_ih_l{layer}").zero_()
        getattr(lstm, f"bias_hh_l{layer}").zero_()


class TF1RMSprop(torch.optim.Optimizer):
    """TensorFlow 1's RMSPropOptimizer (momentum 0): the squared-gradient average starts at 1 and eps sits
    inside the root, v <- rho v + (1 - rho) g^2, w <- w - lr g / sqrt(v + eps)."""

    def __init__(self, params, lr: float = 1e-3, rho: float = 0.9, eps: float = 1e-10) -> None:
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):  # noqa: D102 (torch's signature)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                v = self.state[p].setdefault("square_avg", torch.ones_like(p))
                v.mul_(group["rho"]).addcmul_(p.grad, p.grad, value=1 - group["rho"])
                p.addcdiv_(p.grad, (v + group["eps"]).sqrt(), value=-group["lr"])


class StoryLSTM(nn.Module):
    """The better set-up's model: an embedding per word, a small LSTM, a linear read-out of the last step."""

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
class TutorialRun:
    """What the tutorial's training loop saw: per step, right or wrong; every eval_every steps, the
    accuracy over all windows."""

    correct: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_accuracy: list[float] = field(default_factory=list)
    eval_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def running_accuracy(self, display_step: int) -> np.ndarray:
        """The tutorial's printed "Average Accuracy": mean of the last display_step training steps."""
        correct = np.asarray(self.correct)
        blocks = len(correct) // display_step
        return correct[:blocks * display_step].reshape(blocks, display_step).mean(1)


def train_tutorial_setup(model: nn.Module, X: torch.Tensor, y: torch.Tensor, offsets: list[int],
                     lr: float = 1e-3, eval_every: int = 100, max_seconds: float | None = None,
                     optimizer: str = "torch") -> TutorialRun:
    """The tutorial's loop: one window per step (batch 1) at each of offsets, RMSprop with TF's decay 0.9 and
    eps 1e-10 (optimizer "torch": torch's RMSprop; "tf1": TF1RMSprop); stops early after max_seconds."""
    if optimizer not in ("torch", "tf1"):
        raise ValueError(f"optimizer must be 'torch' or 'tf1', got {optimizer!r}.")
    opt = (TF1RMSprop(model.parameters(), lr=lr, rho=0.9, eps=1e-10) if optimizer == "tf1"
           else torch.optim.RMSprop(model.parameters(), lr=lr, alpha=0.9, eps=1e-10))
    run, start = TutorialRun(), time.perf_counter()
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
def continue_ids(model: nn.Module, ids: list[int], n_words: int, temperature: float | None = None,
                 seed: int = 0) -> list[int]:
    """n_words ids, each given the last len(ids) ids: the argmax (temperature None, greedy) or drawn at
    `temperature` with course_utils.sampling (numpy generator seed)."""
    if temperature is not None:
        return sample_window_ids(lambda window: next_word_probabilities(model, window), ids, n_words,
                                 temperature, seed)
    window, out = list(ids), []
    device = next(model.parameters()).device
    for _ in range(n_words):
        next_id = int(model(torch.tensor([window], device=device))[0].argmax())
        out.append(next_id)
        window = window[1:] + [next_id]
    return out


@dataclass
class Generation:
    """One answer of the generation widget: the top-k next words with the probabilities the next word is
    drawn from (at the temperature), and a continuation."""

    context: list[str]
    top_words: list[str]
    top_probs: list[float]
    continuation: list[str]


def generate(model: nn.Module, ids: list[int], id_to_word: list[str], n_words: int = 10,
             top_k: int = 5, temperature: float | None = None, seed: int = 0) -> Generation:
    """The top_k next words after the context ids (most probable first, probabilities at `temperature`)
    and n_words of text: greedy when temperature is None, else drawn at that temperature."""
    if isinstance(n_words, bool) or not isinstance(n_words, (int, np.integer)) or not 0 <= n_words <= 200:
        raise ValueError(f"the number of words to generate must be a whole number 0..200, got {n_words!r}.")
    probs = next_word_probabilities(model, ids)
    if temperature is not None:
        probs = temperature_probs(probs, temperature, unit="word")
    best = np.argsort(-probs, kind="stable")[:top_k]
    continuation = continue_ids(model, ids, int(n_words), temperature, seed)
    return Generation([id_to_word[k] for k in ids], [id_to_word[k] for k in best],
                      [float(probs[k]) for k in best], [id_to_word[k] for k in continuation])
