"""Synthetic tasks for the five shapes of notebook 07, and the task that needs both the past and the future.

Every generator returns float32 inputs and int64 targets as torch tensors, drawn from a numpy
generator seeded with `seed`, so the same seed gives the same data on any device.

| shape            | inputs          | targets     | task                                              |
|------------------|-----------------|-------------|---------------------------------------------------|
| one-to-one       | (n, 10)         | (n,)        | a digit -> the next digit (mod 10)                |
| one-to-many      | (n, 10)         | (n, T)      | a start digit -> count up T digits (mod 10)       |
| many-to-one      | (n, T, 2)       | (n,)        | bits -> the majority bit (T odd)                  |
| many-to-many     | (n, T, 2)       | (n, T)      | bits -> the running parity after each step        |
| encoder-decoder  | (n, T, V)       | (n, T + 1)  | tokens -> the tokens reversed, then an end mark   |
| needs both sides | (n, T, 2)       | (n, T)      | filler/marker -> "a marker before t and after t?" |
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


def _markers(n: int, steps: int, seed: int, rate: float) -> np.ndarray:
    """Boolean (n, steps): each step is a marker with probability `rate`."""
    _check(n, steps)
    if not 0.0 < rate < 1.0:
        raise ValueError(f"rate must be in (0, 1), got {rate}")
    return np.random.default_rng(seed).random((n, steps)) < rate


def before_after(marker: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Is there a marker at some s < t, and at some s > t? Two boolean arrays shaped like marker (n, steps)."""
    before = np.cumsum(marker, 1) - marker
    after = np.flip(np.cumsum(np.flip(marker, 1), 1), 1) - marker
    return before > 0, after > 0


def both_sides_data(n: int, steps: int, seed: int, rate: float = 0.2) -> tuple[torch.Tensor, torch.Tensor]:
    """Needs both sides: each step is a marker with probability `rate` (else filler), one-hot (n, steps, 2);
    the target at step t is 1 when step t lies inside a span: a marker at some s < t and one at some s' > t."""
    marker = _markers(n, steps, seed, rate)
    before, after = before_after(marker)
    return _one_hot(marker.astype(np.int64), 2), torch.from_numpy((before & after).astype(np.int64))


def _p_some(rate: float, counts: np.ndarray) -> np.ndarray:
    """Probability of at least one marker among `counts` steps."""
    return 1.0 - (1.0 - rate) ** counts


def past_only_ceiling(steps: int, rate: float = 0.2) -> float:
    """Best expected per-step accuracy on both_sides_data for a model that sees only steps 0..t (Bayes rule):
    with no marker before t it knows the answer is 0; with one, it can only guess whether a marker comes later."""
    t = np.arange(steps)
    p_later = _p_some(rate, steps - 1 - t)
    sure = 1.0 - _p_some(rate, t)                                 # no marker before t: certainly 0
    return float(np.mean(sure + (1.0 - sure) * np.maximum(p_later, 1.0 - p_later)))


def future_only_ceiling(steps: int, rate: float = 0.2) -> float:
    """Best expected per-step accuracy on both_sides_data for a model that sees only steps t..T-1 (Bayes rule);
    the task is symmetric in time, so it equals past_only_ceiling."""
    t = np.arange(steps)
    p_before = _p_some(rate, t)
    sure = 1.0 - _p_some(rate, steps - 1 - t)                     # no marker after t: certainly 0
    return float(np.mean(sure + (1.0 - sure) * np.maximum(p_before, 1.0 - p_before)))


def one_side_guess(x: torch.Tensor, rate: float = 0.2, side: str = "past") -> torch.Tensor:
    """The Bayes-optimal guess (n, steps) of a past-only (or future-only) model on both_sides_data inputs x."""
    if side not in ("past", "future"):
        raise ValueError(f"side must be 'past' or 'future', got {side!r}")
    marker = x[..., 1].cpu().numpy() > 0.5
    steps, t = marker.shape[1], np.arange(marker.shape[1])
    before, after = before_after(marker)
    seen, unseen = (before, steps - 1 - t) if side == "past" else (after, t)
    return torch.from_numpy((seen & (_p_some(rate, unseen) > 0.5)).astype(np.int64))
