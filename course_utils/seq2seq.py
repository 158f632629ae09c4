"""Notebook 07's encoder–decoder that feeds its previous token back in (teacher forcing in training, its own
output when it generates), and the two small padded-batch checks: a masked loss and packing unsorted lengths.

Token ids: 0 .. vocab-1 are tokens, `vocab` is the end mark, `vocab + 1` the start token the decoder reads
first. Used the same way by the notebook and by benchmarks/shape_runs.py.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .runtime import cpu_generator
from .runtime import device as course_device
from .shape_tasks import reverse_data
from .train import History, fraction_correct


class Seq2Seq(nn.Module):
    """GRU encoder → its last state → GRU decoder that reads the previous token at every step."""

    def __init__(self, vocab: int = 4, hidden: int = 32):
        super().__init__()
        self.vocab, self.start = vocab, vocab + 1
        self.encoder = nn.GRU(vocab, hidden, batch_first=True)
        self.decoder = nn.GRU(vocab + 2, hidden, batch_first=True)
        self.readout = nn.Linear(hidden, vocab + 1)              # the tokens + the end mark

    def _feed(self, tokens: torch.Tensor) -> torch.Tensor:
        """Token ids (N, S) → one-hot decoder inputs (N, S, vocab + 2)."""
        return nn.functional.one_hot(tokens, self.vocab + 2).float()

    def forward(self, x: torch.Tensor, fed: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: x (N, T, vocab), fed (N, T') the tokens given to the decoder → logits (N, T', vocab + 1)."""
        _, h = self.encoder(x)                                   # h (1, N, H): all the decoder knows of x
        out, _ = self.decoder(self._feed(fed), h)
        return self.readout(out)

    @torch.no_grad()
    def generate(self, x: torch.Tensor, steps: int) -> torch.Tensor:
        """Free running: feed back its own previous output for `steps` steps → logits (N, steps, vocab + 1)."""
        _, h = self.encoder(x)
        token = torch.full((x.shape[0], 1), self.start, device=x.device)
        logits = []
        for _ in range(steps):
            out, h = self.decoder(self._feed(token), h)
            logits.append(self.readout(out))
            token = logits[-1].argmax(-1)                        # its own guess is the next input
        return torch.cat(logits, 1)


def teacher_inputs(targets: torch.Tensor, start: int) -> torch.Tensor:
    """The decoder's inputs under teacher forcing: the start token, then the true targets shifted by one."""
    first = torch.full_like(targets[:, :1], start)
    return torch.cat([first, targets[:, :-1]], 1)


def train_seq2seq(model: Seq2Seq, x: torch.Tensor, y: torch.Tensor, epochs: int, lr: float = 1e-2,
                  batch_size: int = 100, batch_seed: int = 0, device: torch.device | str | None = None,
                  progress: bool = True) -> History:
    """Adam with cross-entropy under teacher forcing (the decoder reads the true previous token); returns the History."""
    dev = torch.device(device) if device is not None else course_device()
    model.to(dev)
    x, y = x.to(dev), y.to(dev)
    fed, opt = teacher_inputs(y, model.start), torch.optim.Adam(model.parameters(), lr=lr)
    generator, history = cpu_generator(batch_seed), History()
    for _ in tqdm(range(epochs), desc="teacher forcing", disable=not progress, mininterval=0.25):
        for batch in torch.randperm(len(x), generator=generator).split(batch_size):
            batch = batch.to(dev)
            logits = model(x[batch], fed[batch])
            loss = nn.functional.cross_entropy(logits.flatten(0, 1), y[batch].flatten())
            opt.zero_grad()
            loss.backward()
            opt.step()
        history.loss.append(loss.item())
    return history


@torch.no_grad()
def token_accuracies(model: Seq2Seq, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Share of the T reversed tokens right (end mark not counted), fed the truth and fed its own outputs."""
    dev = next(model.parameters()).device
    x, y, T = x.to(dev), y.to(dev), x.shape[1]
    forced = model(x, teacher_inputs(y, model.start))
    free = model.generate(x, y.shape[1])
    return {"teacher forcing": fraction_correct(forced[:, :T].flatten(0, 1), y[:, :T].flatten()),
            "own outputs": fraction_correct(free[:, :T].flatten(0, 1), y[:, :T].flatten())}


@torch.no_grad()
def _right(model: Seq2Seq, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Which of the T reversed tokens are right (N, T), fed the truth and fed its own outputs, on the CPU."""
    dev = next(model.parameters()).device
    x, y, T = x.to(dev), y.to(dev), x.shape[1]
    forced = model(x, teacher_inputs(y, model.start))[:, :T].argmax(-1) == y[:, :T]
    free = model.generate(x, y.shape[1])[:, :T].argmax(-1) == y[:, :T]
    return forced.cpu(), free.cpu()


def position_accuracies(model: Seq2Seq, x: torch.Tensor, y: torch.Tensor) -> dict[str, list[float]]:
    """Share right at each of the T output positions (end mark not counted), fed the truth and fed its own outputs."""
    forced, free = _right(model, x, y)
    return {"teacher forcing": forced.float().mean(0).tolist(), "own outputs": free.float().mean(0).tolist()}


def after_first_slip(model: Seq2Seq, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """At the step after its first wrong token when generating: share right generating, and share right at those
    same steps fed the truth (sequences whose first slip is before the last token)."""
    forced, free = _right(model, x, y)
    T = free.shape[1]
    first = torch.where(~free, torch.arange(T).expand_as(free), T).min(1).values
    rows = (first < T - 1).nonzero()[:, 0]
    if len(rows) == 0:
        return {"own outputs": float("nan"), "teacher forcing": float("nan"), "sequences": 0}
    return {"own outputs": free[rows, first[rows] + 1].float().mean().item(),
            "teacher forcing": forced[rows, first[rows] + 1].float().mean().item(), "sequences": len(rows)}


def reverse_run(T: int, epochs: int, seed: int, hidden: int = 32, n_train: int = 2000,
                device: torch.device | str | None = None) -> tuple[Seq2Seq, dict[str, float]]:
    """Train a Seq2Seq to reverse T tokens (2000 sequences, batch 100) for `epochs`; accuracies on 1000 held out."""
    torch.manual_seed(seed)
    model = Seq2Seq(hidden=hidden)
    train_seq2seq(model, *reverse_data(n_train, T, seed=100 * seed + T), epochs=epochs, batch_seed=seed,
                  device=device, progress=False)
    return model, token_accuracies(model, *reverse_data(1000, T, seed=100 * seed + 50 + T))
