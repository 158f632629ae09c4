"""Self-checks for notebook 05 (LSTM gates): every answer gets a ✔ or a ✘ with a hint, never a traceback."""

from __future__ import annotations

import numpy as np

from .checks import CheckResult, check_function, check_number, failed, self_check

# Exercise 2: a cell holds c_0 = 0.8 for 10 steps with the input gate shut (i = 0).
HELD_C0, HELD_STEPS, LEAKY_F = 0.8, 10, 0.9


def cell_update(f: np.ndarray, i: np.ndarray, g: np.ndarray, c_prev: np.ndarray) -> np.ndarray:
    """Reference cell update c_t = f ⊙ c_{t-1} + i ⊙ g (all (H,) or (B, H))."""
    return f * c_prev + i * g


def _cell_probes() -> list[tuple[np.ndarray, ...]]:
    """Gate values (f, i, g, c_prev) to try the learner's update on, with f, i in (0, 1)."""
    rng = np.random.default_rng(5)
    probes = []
    for shape in [(3,), (4,), (2, 5)]:
        f, i = rng.uniform(0.05, 0.95, shape), rng.uniform(0.05, 0.95, shape)
        probes.append((f, i, rng.uniform(-1, 1, shape), rng.normal(0, 2, shape)))
    return probes


@self_check
def check_cell_update(function: object) -> CheckResult:
    """Does the learner's cell_update(f, i, g, c_prev) compute f ⊙ c_prev + i ⊙ g?"""
    if callable(function):
        f, i, g, c = _cell_probes()[0]
        try:
            answer = np.asarray(function(f, i, g, c), dtype=float)
        except Exception:
            answer = None  # check_function below reports the error
        hint = None if answer is None else _cell_update_hint(answer, f, i, g, c)
        if hint:
            return failed(f"not yet: {hint} (c_t = f ⊙ c_prev + i ⊙ g)")
    return check_function(function, _cell_probes(), cell_update, "cell_update")


def _cell_update_hint(answer: np.ndarray, f: np.ndarray, i: np.ndarray, g: np.ndarray, c: np.ndarray) -> str | None:
    """The hint for a typical wrong cell update, or None when the answer is none of them."""
    if answer.shape == () and np.isclose(answer, f @ c + i @ g):
        return "⊙ is the elementwise product: use *, not @ (which sums the products into one number)."
    if answer.shape != c.shape:
        return None
    swapped = "the gates are swapped: f multiplies c_prev, i multiplies g."
    hints = [("the input gate is missing: the candidate g must be scaled by i.", f * c + g),
             ("the candidate g is missing: add i ⊙ g, not i alone.", f * c + i),
             ("the old cell is missing: the forget gate keeps f ⊙ c_prev of it, then i ⊙ g is added.", i * g),
             ("f is how much to keep (1 = keep everything), so the old cell gets f ⊙ c_prev, not (1 − f) ⊙ c_prev.",
              (1 - f) * c + i * g),
             ("g is the candidate, already squashed by tanh: do not apply a sigmoid to it.",
              f * c + i / (1 + np.exp(-g))),
             (swapped, i * c + f * g), (swapped, f * g + i * c),
             ("c_t is not squashed: tanh comes later, in h_t = o ⊙ tanh(c_t).", np.tanh(f * c + i * g))]
    return next((hint for hint, value in hints
                 if np.allclose(answer, value, atol=1e-9) and not np.allclose(value, f * c + i * g)), None)


@self_check
def check_held_cell(answer: object) -> CheckResult:
    """c after HELD_STEPS steps with f = 1, i = 0, starting from c_0 = HELD_C0."""
    if isinstance(answer, (int, float, np.floating)) and not isinstance(answer, bool):
        if np.isclose(float(answer), 0.0):
            return failed("f = 1 means 'keep everything': with i = 0 nothing is added and nothing is lost.")
        if np.isclose(float(answer), np.tanh(HELD_C0)):
            return failed("that is h = tanh(c) (with o = 1); the question asks for the cell c itself.")
    return check_number(answer, HELD_C0, "c_10 with f = 1, i = 0")


@self_check
def check_leaky_cell(answer: object) -> CheckResult:
    """c after HELD_STEPS steps with f = LEAKY_F, i = 0, starting from c_0 = HELD_C0."""
    expected = HELD_C0 * LEAKY_F ** HELD_STEPS
    if isinstance(answer, (int, float, np.floating)) and not isinstance(answer, bool):
        if np.isclose(float(answer), HELD_C0 * LEAKY_F):
            return failed("that is one step; the forget gate multiplies c at every one of the 10 steps.")
        if np.isclose(float(answer), HELD_C0 - HELD_STEPS * (1 - LEAKY_F) * HELD_C0):
            return failed("the cell shrinks by a factor f each step (geometric), not by a fixed amount.")
        if np.isclose(float(answer), LEAKY_F ** HELD_STEPS, rtol=5e-3):
            return failed(f"that is f^10 alone: the cell started at c_0 = {HELD_C0}, so multiply by it.")
    # a number worked out in your head: 2 significant digits (0.28) are enough
    return check_number(answer, expected, "c_10 with f = 0.9, i = 0", rel_tol=5e-3)

