"""Self-checks for notebook 04 (vanishing and exploding gradients): each answers ✔ or ✘ with a hint."""

from __future__ import annotations

import math

import numpy as np
import torch

from .checks import CheckResult, not_attempted, check_array, check_function, failed, passed, self_check

# Exercise 2: a gradient shrinks by exactly RATE per step; when does it first fall below THRESHOLD?
RATE, THRESHOLD = 0.9, 1e-3


def reference_step_jacobian(h_t: np.ndarray, W_hh: np.ndarray) -> np.ndarray:
    """∂h_t/∂h_{t-1} = diag(1 - h_t²) W_hh of a tanh RNN: (H, H)."""
    return (1.0 - h_t ** 2)[:, None] * W_hh


_WRONG_JACOBIANS = {
    "the tanh derivative is missing: multiply the rows of W_hh by 1 - h_t².":
        lambda h, W: W,
    "tanh' is 1 - h_t² (squared), not 1 - h_t.":
        lambda h, W: np.diag(1.0 - h) @ W,
    "diag(1 - h_t²) goes on the LEFT (it scales the rows: unit i's own slope), not W_hh @ diag(...).":
        lambda h, W: W @ np.diag(1.0 - h ** 2),
    "∂h_t/∂h_{t-1} uses W_hh itself (h_t = tanh(W_hh h_{t-1} + …)), not its transpose.":
        lambda h, W: np.diag(1.0 - h ** 2) @ W.T,
    "h_t is already tanh(a_t): the slope is 1 - h_t², not 1 - tanh(h_t)².":
        lambda h, W: np.diag(1.0 - np.tanh(h) ** 2) @ W,
}


def _jacobian_probes() -> list[tuple[np.ndarray, np.ndarray]]:
    """(h_t, W_hh) pairs with H = 3, 4, 5."""
    rng = np.random.default_rng(4)
    return [(np.tanh(rng.normal(size=H)), rng.normal(size=(H, H))) for H in (3, 4, 5)]


@self_check
def check_step_jacobian(function: object) -> CheckResult:
    """Exercise 1: function(h_t, W_hh) -> ∂h_t/∂h_{t-1} (H, H)."""
    name = "your step_jacobian"
    result = check_function(function, _jacobian_probes(), reference_step_jacobian, name)
    if result or not callable(function):
        return result
    h, W = _jacobian_probes()[1]
    try:
        answer = np.asarray(function(h.copy(), W.copy()), dtype=float)
    except Exception:   # check_function's message already says what went wrong
        return result
    for hint, wrong in _WRONG_JACOBIANS.items():
        expected = wrong(h, W)
        if answer.shape == expected.shape and np.allclose(answer, expected, atol=1e-9):
            return failed(f"{name} is not right yet: {hint}")
    return result


def reference_horizon(rate: float = RATE, threshold: float = THRESHOLD) -> int:
    """The smallest whole d with rate**d < threshold."""
    d = math.ceil(math.log(threshold) / math.log(rate))
    return d + 1 if rate ** d >= threshold else d


@self_check
def check_horizon(answer: object) -> CheckResult:
    """Exercise 2: the first whole number of steps d with RATE**d < THRESHOLD."""
    expected, exact = reference_horizon(), math.log(THRESHOLD) / math.log(RATE)
    if hasattr(answer, "item") and np.size(answer) == 1:
        answer = answer.item()
    if answer is None:
        return not_attempted("horizon is None: not attempted yet? Fill in the cell and run it again.")
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return failed(f"horizon should be a number of steps, got {type(answer).__name__}.")
    if not np.isfinite(float(answer)):
        return failed("horizon is NaN or inf: 0.9 < 1, so 0.9**d does fall below 1e-3 eventually.")
    answer = float(answer)
    if answer == expected:
        return passed(f"{RATE}**{expected} = {RATE ** expected:.2e} < {THRESHOLD:g} but {RATE}**{expected - 1} = "
                      f"{RATE ** (expected - 1):.2e} is not: {expected} steps.")
    if not answer.is_integer() and abs(answer - exact) < 0.01:
        return failed(f"{answer:.2f} solves 0.9**d = 1e-3 exactly; steps are whole numbers: round it the right way.")
    hints = {expected - 1: f"{RATE}**{expected - 1} = {RATE ** (expected - 1):.3g} is still above 1e-3: one more step.",
             10: ("10 is the tutorial's rule of thumb of section 4 ('beyond ~10 steps the gradient is too small'); "
                  "it ignores the rate. Solve 0.9**d < 1e-3 for d."),
             round(math.log10(THRESHOLD) / math.log(RATE)): "you mixed logarithm bases: use the same log on both sides "
                                                             "(d > log(1e-3) / log(0.9)).",
             round(math.log(THRESHOLD) / math.log10(RATE)): "you mixed logarithm bases: use the same log on both sides "
                                                             "(d > log(1e-3) / log(0.9))."}
    for value, hint in hints.items():
        if abs(answer - value) <= (0 if value == expected - 1 else 1):
            return failed(f"horizon = {answer:g}: {hint}")
    return failed(f"horizon = {answer:g} is {'too large' if answer > expected else 'too small'}: "
                  "solve 0.9**d < 1e-3 for the smallest whole d (take logs).")


def reference_clip(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    """What torch.nn.utils.clip_grad_norm_ does, as new arrays: scale all by min(1, max_norm / (‖all‖ + 1e-6))."""
    tensors = [torch.tensor(np.asarray(g, dtype=float)) for g in grads]
    for t in tensors:
        t.grad = t.clone()
    torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    return [t.grad.numpy() for t in tensors]


def _clip_probes() -> list[tuple[list[np.ndarray], float]]:
    """Gradient lists (one big and one small tensor) above and below the threshold."""
    rng = np.random.default_rng(6)
    big, small = rng.normal(0, 10, (3, 4)), rng.normal(0, 0.01, 5)
    return [([big, small], 1.0), ([big * 1e-3, small], 1.0), ([rng.normal(size=(2, 2)), rng.normal(size=3)], 0.5)]


def _wrong_clips(grads: list[np.ndarray], max_norm: float) -> dict[str, list[np.ndarray]]:
    """Typical wrong clipping functions' outputs, with the hint for each."""
    total = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    return {"each tensor was clipped on its own norm: clip_grad_norm_ uses ONE norm over all the gradients together.":
            [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads],
            "that clamps each entry to ±max_norm (clip by value); clip_grad_norm_ rescales the whole gradient.":
            [np.clip(g, -max_norm, max_norm) for g in grads],
            "you rescaled even a gradient that was already below max_norm: only scale when the norm is larger.":
            [g * max_norm / total for g in grads],
            "you divided by the norm but forgot to multiply by max_norm.":
            [g / total if total > max_norm else g for g in grads]}


@self_check
def check_clip(function: object) -> CheckResult:
    """Exercise 3: function(grads: list of arrays, max_norm) -> the clipped list, like clip_grad_norm_."""
    name = "your clip_by_global_norm"
    if not callable(function):
        return failed(f"pass your function itself, not {type(function).__name__}.")
    for grads, max_norm in _clip_probes():
        try:
            answer = function([g.copy() for g in grads], max_norm)
        except NotImplementedError:
            return not_attempted(f"{name} is not written yet (it raises NotImplementedError).")
        if not isinstance(answer, (list, tuple)) or len(answer) != len(grads):
            return failed(f"{name} should return a list of {len(grads)} arrays (one per gradient), "
                          f"got {type(answer).__name__}.")
        for hint, wrong in _wrong_clips(grads, max_norm).items():
            if all(np.shape(a) == w.shape and np.allclose(np.asarray(a, dtype=float), w, rtol=1e-5, atol=1e-9)
                   for a, w in zip(answer, wrong)) and not all(
                    np.allclose(w, r, rtol=1e-5, atol=1e-9) for w, r in zip(wrong, reference_clip(grads, max_norm))):
                return failed(f"{name} is not right yet: {hint}")
    for grads, max_norm in _clip_probes():
        answer = function([g.copy() for g in grads], max_norm)
        for k, (a, r) in enumerate(zip(answer, reference_clip(grads, max_norm))):
            result = check_array(a, r, f"tensor {k} of {name}'s output", atol=1e-6)
            if not result:
                return result
    return passed(f"{name} matches torch's clip_grad_norm_ on {len(_clip_probes())} test gradients.")
