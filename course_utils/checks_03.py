"""Self-checks for notebook 03 (backpropagation through time): each answers ✔ or ✘ with a hint."""

from __future__ import annotations

import numpy as np

from .checks import CheckResult, not_attempted, check_function, check_number, failed, passed, self_check

# Exercise 2: a scalar RNN h_t = tanh(u x_t + w h_{t-1}), two steps, loss L = ½ (h_2 - y)².
SCALAR_RNN = {"u": 1.0, "w": 0.5, "h0": 0.5, "x1": 1.0, "x2": -1.0, "y": 1.0}


def reference_backward_step(dy_t: np.ndarray, da_next: np.ndarray, h_t: np.ndarray,
                            W_hh: np.ndarray, W_hy: np.ndarray) -> np.ndarray:
    """da_t = (1 - h_t²) ⊙ (W_hyᵀ dy_t + W_hhᵀ da_next): the error at step t's pre-activation (H,)."""
    return (1.0 - h_t ** 2) * (W_hy.T @ dy_t + W_hh.T @ da_next)


_WRONG_STEPS = {
    "you forgot the tanh: multiply the incoming error by tanh'(a_t) = 1 - h_t².":
        lambda dy, da, h, Whh, Why: Why.T @ dy + Whh.T @ da,
    "the tanh derivative is 1 - h_t² (squared), not 1 - h_t.":
        lambda dy, da, h, Whh, Why: (1.0 - h) * (Why.T @ dy + Whh.T @ da),
    "the error flows backwards through W_hh, so use its transpose: W_hh.T @ da_next.":
        lambda dy, da, h, Whh, Why: (1.0 - h ** 2) * (Why.T @ dy + Whh @ da),
    "you dropped the implicit part: h_t also affects the loss through h_{t+1} (add W_hh.T @ da_next).":
        lambda dy, da, h, Whh, Why: (1.0 - h ** 2) * (Why.T @ dy),
    "you dropped the error from step t's own output (add W_hy.T @ dy_t).":
        lambda dy, da, h, Whh, Why: (1.0 - h ** 2) * (Whh.T @ da),
    "tanh' multiplies the whole incoming error, both terms: (1 - h_t²) ⊙ (W_hy.T @ dy_t + W_hh.T @ da_next).":
        lambda dy, da, h, Whh, Why: (1.0 - h ** 2) * (Why.T @ dy) + Whh.T @ da,
    "tanh' multiplies the whole incoming error, both terms (you applied it to the W_hh term only).":
        lambda dy, da, h, Whh, Why: Why.T @ dy + (1.0 - h ** 2) * (Whh.T @ da),
    "h_t is already tanh(a_t): its derivative is 1 - h_t², not 1 - tanh(h_t)².":
        lambda dy, da, h, Whh, Why: (1.0 - np.tanh(h) ** 2) * (Why.T @ dy + Whh.T @ da),
}


def _step_probes() -> list[tuple]:
    """Random inputs for a backward step: H=4 hidden units, C=3 classes."""
    rng = np.random.default_rng(3)
    return [(rng.normal(size=3), rng.normal(size=4), np.tanh(rng.normal(size=4)),
             rng.normal(size=(4, 4)), rng.normal(size=(3, 4))) for _ in range(3)]


@self_check
def check_backward_step(function: object) -> CheckResult:
    """Exercise 1: function(dy_t, da_next, h_t, W_hh, W_hy) -> da_t (H,)."""
    name = "your backward step"
    result = check_function(function, _step_probes(), reference_backward_step, name)
    if result or not callable(function):
        return result
    probe = _step_probes()[0]
    try:
        answer = np.asarray(function(*probe), dtype=float)
    except Exception:  # the generic message from check_function already says what went wrong
        return result
    for hint, wrong in _WRONG_STEPS.items():
        expected = wrong(*probe)
        if answer.shape == expected.shape and np.allclose(answer, expected, atol=1e-6):
            return failed(f"{name} is not right yet: {hint}")
    return result


def scalar_rnn_parts(u: float = SCALAR_RNN["u"], w: float = SCALAR_RNN["w"], h0: float = SCALAR_RNN["h0"],
                     x1: float = SCALAR_RNN["x1"], x2: float = SCALAR_RNN["x2"],
                     y: float = SCALAR_RNN["y"]) -> tuple[float, float]:
    """dL/dw of the two-step scalar RNN split into (explicit part at step 2, implicit part via h_1)."""
    h1 = np.tanh(u * x1 + w * h0)
    h2 = np.tanh(u * x2 + w * h1)
    da2 = (h2 - y) * (1.0 - h2 ** 2)
    explicit = da2 * h1
    implicit = da2 * w * (1.0 - h1 ** 2) * h0
    return float(explicit), float(implicit)


def _as_number(answer: object) -> object:
    """A size-1 array or tensor becomes a float; anything else is returned unchanged."""
    if hasattr(answer, "detach"):
        answer = answer.detach().cpu().numpy()
    if isinstance(answer, np.ndarray) and answer.size == 1 and np.issubdtype(answer.dtype, np.number):
        return float(answer.reshape(()))
    return answer


@self_check
def check_step_gradient(answer: object) -> CheckResult:
    """Exercise 2: dL/dw of the two-step scalar RNN, explicit + implicit part."""
    answer = _as_number(answer)
    explicit, implicit = scalar_rnn_parts()
    result = check_number(answer, explicit + implicit, "dL/dw", rel_tol=1e-4)
    if result or not isinstance(answer, (int, float, np.floating)) or isinstance(answer, bool):
        return result
    for value, hint in _step_gradient_hints(explicit, implicit).items():
        if np.isclose(float(answer), value, rtol=1e-4, atol=0):
            return failed(f"dL/dw = {answer:.6g}: {hint}")
    if np.isclose(float(answer), explicit + implicit, rtol=3e-3, atol=0):   # right to 3 digits
        return failed(f"dL/dw = {answer}: close, but give at least 4 significant digits.")
    return result


def _step_gradient_hints(explicit: float, implicit: float) -> dict[float, str]:
    """Wrong values of dL/dw that learners typically get, with the hint for each."""
    p = SCALAR_RNN
    h1 = np.tanh(p["u"] * p["x1"] + p["w"] * p["h0"])
    h2 = np.tanh(p["u"] * p["x2"] + p["w"] * h1)
    no_tanh2 = (h2 - p["y"]) * (h1 + p["w"] * (1 - h1 ** 2) * p["h0"])   # δa_2 without tanh'(a_2)
    no_tanh1 = explicit + implicit / (1 - h1 ** 2)                        # the path through h_1 without tanh'(a_1)
    return {explicit: "that is only the explicit part (step 2 with h_1 held fixed): add the path w → h_1 → h_2.",
            implicit: "that is only the implicit part (through h_1): add step 2's explicit term δa_2 · h_1.",
            -(explicit + implicit): "the sign is flipped: dL/dh_2 = h_2 - y, not y - h_2.",
            float(no_tanh2): "tanh'(a_2) = 1 - h_2² is missing: δa_2 = (h_2 - y)(1 - h_2²).",
            float(no_tanh1): "tanh'(a_1) = 1 - h_1² is missing on the path through h_1: ∂h_1/∂w = (1 - h_1²) h_0."}


@self_check
def check_smallest_window(answer: object, delay: int = 3) -> CheckResult:
    """Exercise 3: the smallest truncation window that can learn 'output the symbol from `delay` steps ago'."""
    answer = _as_number(answer)
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    if answer is None:
        return not_attempted("smallest_window is None: not attempted yet?")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return failed(f"smallest_window should be a whole number of steps, got {type(answer).__name__}.")
    if answer == delay:
        return failed(f"{delay} is one short: the symbol enters at h_(t-{delay}), and the window must reach "
                      f"h_t, h_(t-1), …, h_(t-{delay}): count them.")
    if answer != delay + 1:
        return failed(f"{answer} is {'too small' if answer < delay else 'more than needed'}: "
                      f"which hidden states lie between x_(t-{delay}) and the loss at t?")
    return passed(f"a window of {answer} reaches back to h_(t-{delay}), where x_(t-{delay}) enters.")
