"""Self-checks for notebook 01 (feed-forward vs recurrent): one RNN step, the parameter count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np

from .checks import CheckResult, not_attempted, check_function, check_number, failed, passed, self_check


def reference_rnn_step(x_t: np.ndarray, h_prev: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray,
                       b_h: np.ndarray) -> np.ndarray:
    """h_t = tanh(W_xh x_t + W_hh h_prev + b_h), shape (H,)."""
    return np.tanh(W_xh @ x_t + W_hh @ h_prev + b_h)


def reference_param_count(D: int, H: int, C: int) -> int:
    """Parameters of torch's nn.RNN(D, H) + nn.Linear(H, C): two hidden biases (b_ih, b_hh)."""
    return H * D + H * H + 2 * H + C * H + C


def _step_probes() -> list[tuple[np.ndarray, ...]]:
    """Two seeded probes (x_t (3,), h_prev (4,), W_xh (4, 3), W_hh (4, 4), b_h (4,)), h_prev ≠ 0."""
    rng = np.random.default_rng(1)
    return [(rng.normal(size=3), rng.uniform(-0.9, 0.9, 4), rng.normal(size=(4, 3)) * 0.7,
             rng.normal(size=(4, 4)) * 0.7, rng.normal(size=4) * 0.5) for _ in range(2)]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


STEP_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "you forgot the tanh: h_t = tanh(…), the squashing keeps h_t in (−1, 1).":
        lambda x, h, Wx, Wh, b: Wx @ x + Wh @ h + b,
    "you used a sigmoid; the vanilla RNN of this notebook squashes with tanh.":
        lambda x, h, Wx, Wh, b: _sigmoid(Wx @ x + Wh @ h + b),
    "h_prev is ignored: add the recurrent term W_hh @ h_prev, that is the memory.":
        lambda x, h, Wx, Wh, b: np.tanh(Wx @ x + b),
    "the bias b_h is missing.":
        lambda x, h, Wx, Wh, b: np.tanh(Wx @ x + Wh @ h),
    "a matrix is transposed: use W_xh @ x_t and W_hh @ h_prev (rows = hidden units).":
        lambda x, h, Wx, Wh, b: np.tanh(Wx @ x + Wh.T @ h + b),
}


def _diagnose(function: Callable, probe: tuple, mistakes: dict[str, Callable]) -> str:
    """The hint of the first typical mistake that reproduces the learner's output, or ''."""
    try:
        answer = np.asarray(function(*probe), dtype=float)
    except Exception:
        return ""
    for hint, mistake in mistakes.items():
        expected = mistake(*probe)
        if answer.shape == expected.shape and np.allclose(answer, expected, atol=1e-6):
            return "Hint: " + hint
    return ""


@self_check
def check_rnn_step(function: object) -> CheckResult:
    """✔ if function(x_t, h_prev, W_xh, W_hh, b_h) returns tanh(W_xh x_t + W_hh h_prev + b_h)."""
    probes = _step_probes()
    result = check_function(function, probes, reference_rnn_step, "your rnn_step")
    if result or not callable(function) or not result.attempted:
        return result
    hint = _diagnose(function, probes[0], STEP_MISTAKES)
    return failed(f"{result.message} {hint}".strip())


PARAM_MISTAKES: dict[str, Callable[[int, int, int], int]] = {
    "torch's nn.RNN keeps two bias vectors (bias_ih and bias_hh), each of H numbers.":
        lambda D, H, C: H * D + H * H + H + C * H + C,
    "the recurrent weights W_hh (H × H) are missing.":
        lambda D, H, C: H * D + 2 * H + C * H + C,
    "the output layer (W_hy: C × H, and b_y: C) is missing.":
        lambda D, H, C: H * D + H * H + 2 * H,
    "the biases are missing (two of H in the RNN, one of C in the output layer).":
        lambda D, H, C: H * D + H * H + C * H,
    "the output layer's bias b_y (C numbers) is missing.":
        lambda D, H, C: H * D + H * H + 2 * H + C * H,
}

PARAM_PROBES = [(6, 8, 2), (3, 4, 3), (10, 16, 5)]


@self_check
def check_param_count(function: object) -> CheckResult:
    """✔ if function(D, H, C) counts the parameters of nn.RNN(D, H) + nn.Linear(H, C)."""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check_param_count(rnn_param_count)`), "
                      f"not {type(function).__name__}.")
    for D, H, C in PARAM_PROBES:
        try:
            answer = function(D, H, C)
        except NotImplementedError:
            return not_attempted("rnn_param_count is not written yet (it raises NotImplementedError).")
        result = check_number(answer, reference_param_count(D, H, C), f"rnn_param_count({D}, {H}, {C})")
        if not result:
            hints = [hint for hint, wrong in PARAM_MISTAKES.items()
                     if isinstance(answer, (int, float, np.number)) and answer == wrong(D, H, C)]
            return failed(f"{result.message} {'Hint: ' + hints[0] if hints else ''}".strip())
    return passed(f"rnn_param_count matches torch's count on {len(PARAM_PROBES)} sizes "
                  "— and notice: no sequence length in the formula.")


CLIP_RUNS = Path(__file__).parent / "data" / "clip_runs_01.json"


def clip_run_table() -> dict[str, list]:
    """The shipped table of notebook 01's clip experiments repeated over many training runs (one row a run)."""
    return json.loads(CLIP_RUNS.read_text())
