"""Self-checks for notebook 05 (LSTM gates): every answer gets a ✔ or a ✘ with a hint, never a traceback."""

from __future__ import annotations

import copy
from itertools import permutations

import numpy as np

from .checks import (CheckResult, check_array, check_function, check_number, describe_error, failed,
                     not_attempted, passed, self_check)
from .lstm import sigmoid

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



# Exercise 2: one whole LSTM step with torch's stacked weights (rows i, f, g, o).
def lstm_step_stacked(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, W_ih: np.ndarray,
                      W_hh: np.ndarray, b_ih: np.ndarray, b_hh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference step: (h_t, c_t), each (H,), from x_t (D,), h_prev, c_prev (H,), W_ih (4H, D), W_hh (4H, H)."""
    return _lstm_variant((x_t, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh))


def _lstm_variant(args: tuple, order: str = "ifgo", gate: object = sigmoid, candidate: object = np.tanh,
                  keep_old: bool = True, squash_h: bool = True, both_biases: bool = True) -> tuple:
    """The LSTM step with one thing changed: how a typical wrong answer computes (h_t, c_t)."""
    x, h, c, W_ih, W_hh, b_ih, b_hh = args
    pre = dict(zip(order, np.split(W_ih @ x + W_hh @ h + b_ih + (b_hh if both_biases else 0), 4)))
    i, f, o, g = gate(pre["i"]), gate(pre["f"]), gate(pre["o"]), candidate(pre["g"])
    c_t = (f * c if keep_old else 0) + i * g
    return o * (np.tanh(c_t) if squash_h else c_t), c_t


def _lstm_step_probes() -> list[tuple[np.ndarray, ...]]:
    """(x_t, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh) with D != H, so a transposed weight cannot pass."""
    rng = np.random.default_rng(7)
    return [(rng.normal(size=D), rng.uniform(-1, 1, H), rng.normal(size=H), rng.normal(size=(4 * H, D)),
             rng.normal(size=(4 * H, H)), rng.normal(size=4 * H), rng.normal(size=4 * H))
            for D, H in [(3, 2), (2, 5), (4, 3)]]


LSTM_STEP_MISTAKES = [
    ("torch stacks the gate rows as i, f, g, o (rows 0:H are i, H:2H f, 2H:3H g, 3H:4H o), "
     "not in the order of the equations.", [{"order": "".join(p)} for p in permutations("ifgo") if p != tuple("ifgo")]),
    ("g is the candidate value: squash it with tanh (−1..1), not a sigmoid.", [{"candidate": sigmoid}]),
    ("the gates i, f, o are sigmoids (0..1: how much to let through); only g uses tanh.",
     [{"gate": np.tanh}, {"gate": np.tanh, "candidate": sigmoid}]),
    ("the old cell is missing: c_t = f ⊙ c_prev + i ⊙ g.", [{"keep_old": False}]),
    ("h_t = o ⊙ tanh(c_t): the cell is squashed before the output gate.", [{"squash_h": False}]),
    ("torch has two biases, b_ih and b_hh, and adds both.", [{"both_biases": False}]),
]


def _lstm_step_hint(answer: object, args: tuple) -> str | None:
    """The hint for a typical wrong (h_t, c_t), or None when the answer is none of them."""
    try:
        h, c = (np.asarray(part, dtype=float) for part in answer)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    expected = _lstm_variant(args)
    if h.shape == c.shape == expected[0].shape and np.allclose(h, expected[1]) and np.allclose(c, expected[0]):
        return "return the pair in the order (h_t, c_t)."
    for hint, variants in LSTM_STEP_MISTAKES:
        for kwargs in variants:
            wrong_h, wrong_c = _lstm_variant(args, **kwargs)
            if h.shape == wrong_h.shape and np.allclose(h, wrong_h) and np.allclose(c, wrong_c):
                return hint
    return None


@self_check
def check_lstm_step(function: object) -> CheckResult:
    """Does lstm_step(x_t, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh) return torch's (h_t, c_t)?"""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check_lstm_step(my_lstm_step)`), not {type(function).__name__}.")
    for args in _lstm_step_probes():
        h_ref, c_ref = lstm_step_stacked(*copy.deepcopy(args))
        try:
            answer = function(*copy.deepcopy(args))
        except NotImplementedError:
            return not_attempted("lstm_step is not written yet (it raises NotImplementedError).")
        except Exception as error:
            message = describe_error(error)
            if "shapes" in message:
                message += (f" Here W_ih is (4H, D) = {args[3].shape}: W_ih @ x_t gives all four gates'"
                            " pre-activations at once, (4H,).")
            return failed(f"lstm_step raised {message}")
        hint = _lstm_step_hint(answer, args)
        if hint:
            return failed(f"not yet: {hint}")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return failed(f"lstm_step should return the pair (h_t, c_t), got {type(answer).__name__}.")
        for name, part, ref in (("h_t", answer[0], h_ref), ("c_t", answer[1], c_ref)):
            result = check_array(part, ref, f"your {name}")
            if not result:
                return result
    return passed("lstm_step matches torch's LSTM step on 3 test inputs (D ≠ H, torch's i, f, g, o rows).")
