"""One small training loop for the course's torch models: device, progress bar, history."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from torch import nn
from tqdm.auto import tqdm

from .runtime import cpu_generator, device as pick_device


@dataclass
class History:
    """What a training run measured, one entry per epoch (plot it)."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        return len(self.loss)


def _flat(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Flatten (N, C) / (N, T, C) logits and matching targets for cross-entropy."""
    return logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)


@torch.no_grad()
def accuracy(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """Fraction of correct argmax predictions of model(inputs) against integer targets."""
    was_training = model.training
    model.eval()
    logits, flat_targets = _flat(model(inputs), targets)
    model.train(was_training)
    return fraction_correct(logits, flat_targets)


def fraction_correct(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """Share of rows whose argmax equals the target, as an exact count / total: a float32 mean can
    round 199/201 below the Python fraction 199 / 201 on one device and above it on another."""
    return int((logits.argmax(-1) == targets).sum()) / targets.numel()


def make_optimizer(model: nn.Module, name: str, lr: float) -> torch.optim.Optimizer:
    """adam, rmsprop or sgd on the model's parameters."""
    optimizers = {"adam": torch.optim.Adam, "rmsprop": torch.optim.RMSprop, "sgd": torch.optim.SGD}
    if name not in optimizers:
        raise ValueError(f"unknown optimizer {name!r}: choose one of {sorted(optimizers)}")
    return optimizers[name](model.parameters(), lr=lr)


def shuffled_batches(n: int, batch_size: int, generator: torch.Generator) -> list[torch.Tensor]:
    """One epoch's mini-batches: index tensors (CPU) of a random order of 0..n-1 drawn from generator."""
    order = torch.randperm(n, generator=generator)
    return list(order.split(batch_size))


def train_epoch(model: nn.Module, opt: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor,
                batches: list[torch.Tensor], clip: float | None = None) -> float:
    """One optimiser step with cross-entropy per batch of indices; return the last batch's loss."""
    for batch in batches:
        batch = batch.to(inputs.device)
        logits, flat_targets = _flat(model(inputs[batch]), targets[batch])
        loss = nn.functional.cross_entropy(logits, flat_targets)
        opt.zero_grad()
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
    return loss.item()


def train_classifier(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor, epochs: int,
                     lr: float = 1e-2, optimizer: str = "adam", batch_size: int | None = None,
                     clip: float | None = None, target_accuracy: float | None = None,
                     progress: bool = True, desc: str = "training", device: torch.device | str | None = None,
                     batch_seed: int | None = None) -> History:
    """Train with cross-entropy on (inputs, targets) on `device` (default: the course device); return the History.

    Full batch unless batch_size is given; stops early once the epoch's accuracy on all of the
    training data reaches target_accuracy. Batches come from a CPU generator seeded with batch_seed
    (default: drawn from torch's CPU random stream), so CPU and CUDA see the same batches.
    """
    dev = torch.device(device) if device is not None else pick_device()
    model.to(dev)
    inputs, targets = inputs.to(dev), targets.to(dev)
    opt = make_optimizer(model, optimizer, lr)
    n = inputs.shape[0]
    batch_size = batch_size or n
    if batch_seed is None:
        batch_seed = int(torch.randint(2**31 - 1, (1,)))
    generator = cpu_generator(batch_seed)
    history, start = History(), time.perf_counter()
    for _ in tqdm(range(epochs), desc=desc, disable=not progress, mininterval=0.25):
        batches = shuffled_batches(n, batch_size, generator)
        history.loss.append(train_epoch(model, opt, inputs, targets, batches, clip))
        history.accuracy.append(accuracy(model, inputs, targets))
        if target_accuracy is not None and history.accuracy[-1] >= target_accuracy:
            break
    history.seconds = time.perf_counter() - start
    return history
