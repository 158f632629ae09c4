"""Self-check for notebook 00's warm-up exercise: one dense layer, tanh(W x + b)."""

from __future__ import annotations

import numpy as np

from .checks import CheckResult, check_function, check_number, failed, self_check


def dense_tanh_reference(W: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """tanh(W @ x + b): shape (H,) for W (H, D), x (D,), b (H,)."""
    return np.tanh(W @ x + b)


def _probes() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A few (W, x, b) inputs with different sizes, so a hard-coded answer cannot pass."""
    rng = np.random.default_rng(0)
    return [(rng.normal(size=(h, d)), rng.normal(size=d), rng.normal(size=h))
            for h, d in [(3, 2), (4, 4), (2, 5)]]


@self_check
def check_dense_tanh(function: object) -> CheckResult:
    """✔ if function(W, x, b) computes tanh(W x + b) for several shapes, else a hint."""
    return check_function(function, _probes(), dense_tanh_reference, "dense_tanh")


@self_check
def check_output_size(answer: object) -> CheckResult:
    """✔ if answer is the number of outputs of a dense layer with W of shape (4, 3): 4."""
    if answer == 3:
        return failed("3 is the input size (W's columns); the output has one entry per row of W.")
    return check_number(answer, 4, "the output size")
