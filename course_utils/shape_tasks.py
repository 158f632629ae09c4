"""Synthetic tasks for the five shapes of notebook 07, and the task that needs the future.

Every generator returns float32 inputs and int64 targets as torch tensors, drawn from a numpy
generator seeded with `seed`, so the same seed gives the same data on any device.

| shape            | inputs          | targets     | task                                              |
|------------------|-----------------|-------------|---------------------------------------------------|
| one-to-one       | (n, 10)         | (n,)        | a digit -> the next digit (mod 10)                |
| one-to-many      | (n, 10)         | (n, T)      | a start digit -> count up T digits (mod 10)       |
| many-to-one      | (n, T, 2)       | (n,)        | bits -> the majority bit (T odd)                  |
| many-to-many     | (n, T, 2)       | (n, T)      | bits -> the running parity after each step        |
| encoder-decoder  | (n, T, V)       | (n, T + 1)  | tokens -> the tokens reversed, then an end mark   |
| needs the future | (n, T, 2)       | (n, T)      | filler/marker -> "does a marker come later?"      |
"""

from __future__ import annotations

import numpy as np
import torch

DIGITS = 10


def _one_hot(ids: np.ndarray, size: int) -> torch.Tensor:
    """One-hot float32 tensor of shape ids.shape + (size,)."""
    return torch.from_numpy(np.eye(size, dtype=np.float32)[ids])


def _check(n: int, steps: int, least_steps: int = 1) -> None:
    """Clear errors for sizes a task cannot have."""
    if n < 1 or steps < least_steps:
        raise ValueError(f"need n >= 1 and steps >= {least_steps}, got n={n}, steps={steps}")


def next_digit_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One-to-one: one-hot digits (n, 10) and the next digit (d + 1) mod 10 as targets (n,)."""
    _check(n, 1)
    d = np.random.default_rng(seed).integers(0, DIGITS, size=n)
    return _one_hot(d, DIGITS), torch.from_numpy((d + 1) % DIGITS)


def count_up_data(n: int, steps: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One-to-many: one-hot start digits (n, 10) and the count d, d+1, ... mod 10 as targets (n, steps)."""
    _check(n, steps)
    d = np.random.default_rng(seed).integers(0, DIGITS, size=n)
    return _one_hot(d, DIGITS), torch.from_numpy((d[:, None] + np.arange(steps)) % DIGITS)


def bits(n: int, steps: int, seed: int) -> np.ndarray:
    """Random bits (n, steps) as int64."""
    _check(n, steps)
    return np.random.default_rng(seed).integers(0, 2, size=(n, steps))


def majority_data(n: int, steps: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Many-to-one: one-hot bits (n, steps, 2) and the majority bit (n,); steps must be odd (no ties)."""
    if steps % 2 == 0:
        raise ValueError(f"majority needs an odd number of steps (no ties), got {steps}")
    b = bits(n, steps, seed)
    return _one_hot(b, 2), torch.from_numpy((2 * b.sum(1) > steps).astype(np.int64))


def running_parity_data(n: int, steps: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Many-to-many aligned: one-hot bits (n, steps, 2) and the parity of bits 0..t at each step (n, steps)."""
    b = bits(n, steps, seed)
    return _one_hot(b, 2), torch.from_numpy(np.cumsum(b, axis=1) % 2)


def reverse_data(n: int, steps: int, seed: int, vocab: int = 4) -> tuple[torch.Tensor, torch.Tensor]:
    """Encoder-decoder: one-hot tokens (n, steps, vocab) and the tokens reversed followed by the end
    mark `vocab` (n, steps + 1): the output is one step longer than the input."""
    _check(n, steps)
    tokens = np.random.default_rng(seed).integers(0, vocab, size=(n, steps))
    end = np.full((n, 1), vocab)
    return _one_hot(tokens, vocab), torch.from_numpy(np.concatenate([tokens[:, ::-1], end], axis=1))


def marker_later_data(n: int, steps: int, seed: int, rate: float = 0.1) -> tuple[torch.Tensor, torch.Tensor]:
    """Needs the future: each step is a marker with probability `rate` (else filler), one-hot (n, steps, 2);
    the target at step t is 1 when a marker appears at some later step s > t (n, steps)."""
    _check(n, steps)
    if not 0.0 < rate < 1.0:
        raise ValueError(f"rate must be in (0, 1), got {rate}")
    marker = np.random.default_rng(seed).random((n, steps)) < rate
    later = np.flip(np.cumsum(np.flip(marker, 1), 1), 1)          # markers at s >= t
    target = (later - marker) > 0                                   # markers at s > t
    return _one_hot(marker.astype(np.int64), 2), torch.from_numpy(target.astype(np.int64))


def past_only_ceiling(steps: int, rate: float = 0.1) -> float:
    """Best expected per-step accuracy on marker_later_data for a model that sees only steps 0..t:
    it can only guess P(a marker later) = 1 - (1 - rate)^(steps - 1 - t), whatever it has seen."""
    p_later = 1.0 - (1.0 - rate) ** (steps - 1 - np.arange(steps))
    return float(np.maximum(p_later, 1.0 - p_later).mean())
