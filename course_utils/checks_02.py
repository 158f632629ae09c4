"""Self-checks for notebook 02 (the gym schedule): one-hot days, predicting tomorrow, missed days."""

from __future__ import annotations

import copy

import numpy as np

from .checks import CheckResult, not_attempted, _to_array, check_array, failed, passed, self_check
from .gym import WORKOUTS, carry_forward, one_hot


def reference_encode(name: str) -> np.ndarray:
    """The one-hot vector of a workout name in WORKOUTS order, shape (len(WORKOUTS),)."""
    return one_hot([WORKOUTS.index(name)], len(WORKOUTS))[0]


def reference_predict_next(x_t: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray,
                           b_h: np.ndarray, W_hy: np.ndarray, b_y: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray]:
    """One RNN step and its prediction: (h_t (H,), softmax(W_hy h_t + b_y) (C,))."""
    h_t = np.tanh(W_xh @ x_t + W_hh @ h_prev + b_h)
    y_t = W_hy @ h_t + b_y
    p_t = np.exp(y_t - y_t.max())
    return h_t, p_t / p_t.sum()


def reference_fill_missed(days: list[str | None]) -> list[str]:
    """Each missed day (None) repeats the last attended workout."""
    indices = carry_forward([None if d is None else WORKOUTS.index(d) for d in days])
    return [WORKOUTS[k] for k in indices]


@self_check
def check_encode(function: object) -> CheckResult:
    """✔ if function(name) returns the one-hot vector of that workout, for every workout."""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check_encode(encode_workout)`), not {type(function).__name__}.")
    for k, name in enumerate(WORKOUTS):
        try:
            answer = function(name)
        except NotImplementedError:
            return not_attempted("encode_workout is not written yet (it raises NotImplementedError).")
        result = check_array(answer, reference_encode(name), f"encode_workout({name!r})")
        if not result:
            array = _to_array(answer)
            if array is not None and array.shape == (len(WORKOUTS),) and array.sum() == 1 and array.max() == 1:
                return failed(f"{result.message} Hint: the 1 is in the wrong place — "
                              f"{name!r} is WORKOUTS[{k}], so the 1 goes in position {k}.")
            if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
                return failed(f"{result.message} Hint: return the whole vector (e.g. np.eye(3)[k]), not the index.")
            return result
    return passed(f"encode_workout gives the one-hot vector of all {len(WORKOUTS)} workouts.")


def _predict_probes() -> list[tuple[np.ndarray, ...]]:
    """Seeded probes (x_t (3,), h_prev (4,), W_xh, W_hh, b_h, W_hy (3, 4), b_y (3,))."""
    rng = np.random.default_rng(2)
    return [(np.eye(3)[k], rng.uniform(-0.8, 0.8, 4), rng.normal(size=(4, 3)), rng.normal(size=(4, 4)) * 0.5,
             rng.normal(size=4) * 0.3, rng.normal(size=(3, 4)) * 2, rng.normal(size=3) * 0.3) for k in range(3)]


@self_check
def check_predict_next(function: object) -> CheckResult:
    """✔ if function(x_t, h_prev, W_xh, W_hh, b_h, W_hy, b_y) returns (h_t, softmax probabilities)."""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check_predict_next(predict_next)`), not {type(function).__name__}.")
    for probe in _predict_probes():
        h_t, p_t = reference_predict_next(*copy.deepcopy(probe))   # first, on copies: inputs stay intact
        try:
            answer = function(*copy.deepcopy(probe))
        except NotImplementedError:
            return not_attempted("predict_next is not written yet (it raises NotImplementedError).")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return failed("predict_next should return a pair: `return h_t, p_t`.")
        result = check_array(answer[0], h_t, "h_t")
        if not result:
            return result
        result = check_array(answer[1], p_t, "p_t")
        if not result:
            hint = _predict_hint(answer[1], probe, h_t)
            return failed(f"{result.message} Hint: {hint}") if hint else result
    return passed("predict_next gives h_t and the softmax over tomorrow's workouts.")


def _softmax(y: np.ndarray) -> np.ndarray:
    return np.exp(y - y.max()) / np.exp(y - y.max()).sum()


def _predict_hint(p_answer: object, probe: tuple[np.ndarray, ...], h_t: np.ndarray) -> str | None:
    """The hint for a typical wrong p_t (logits, no b_y, read from h_{t-1}), or None."""
    h_prev, W_hy, b_y = probe[1], probe[5], probe[6]
    mistakes = {"these are the logits y_t; apply the softmax to get p_t.": W_hy @ h_t + b_y,
                "the output bias b_y is missing: y_t = W_hy h_t + b_y.": _softmax(W_hy @ h_t),
                "p_t is read from h_{t-1}: compute h_t first, then y_t = W_hy h_t + b_y from the new state.":
                    _softmax(W_hy @ h_prev + b_y)}
    array = _to_array(p_answer)
    return next((hint for hint, wrong in mistakes.items()
                 if array is not None and array.shape == wrong.shape and np.allclose(array, wrong)), None)


FILL_PROBES: list[list[str | None]] = [
    ["shoulder", None, "biceps", "cardio"],
    ["biceps", None, None, "cardio", None, "shoulder"],
    ["cardio", "shoulder", "biceps", None],
]


def _advanced_schedule(days: list[str | None]) -> list[str]:
    """The typical mistake: a missed day filled with the *next* workout of the cycle."""
    filled: list[str] = []
    for day in days:
        filled.append(day if day is not None else WORKOUTS[(WORKOUTS.index(filled[-1]) + 1) % len(WORKOUTS)])
    return filled


@self_check
def check_fill_missed(function: object) -> CheckResult:
    """✔ if function(days) replaces every missed day (None) by the last attended workout."""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check_fill_missed(fill_missed)`), not {type(function).__name__}.")
    for days in FILL_PROBES:
        try:
            answer = function(list(days))
        except NotImplementedError:
            return not_attempted("fill_missed is not written yet (it raises NotImplementedError).")
        expected = reference_fill_missed(days)
        if answer is None:
            return failed("fill_missed returned None: did you forget `return`?")
        if not isinstance(answer, (list, tuple)):
            return failed(f"fill_missed should return a list of workout names, got {type(answer).__name__}.")
        answer = list(answer)
        if len(answer) != len(days):
            return failed(f"fill_missed({days}) should keep one entry per day ({len(days)}), got {len(answer)}.")
        if answer != expected:
            if None in answer:
                hint = "a missed day is still None: fill it with the last attended workout."
            elif answer == _advanced_schedule(days):
                hint = ("a missed day got the *next* workout of the cycle, but nothing was done that day: "
                        "the last attended workout stays the same, so repeat it.")
            else:
                hint = f"expected {expected}."
            return failed(f"fill_missed({days}) gave {answer}. Hint: {hint}")
    return passed(f"fill_missed carries the last attended workout over every gap ({len(FILL_PROBES)} logs).")
