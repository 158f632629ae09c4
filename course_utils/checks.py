"""Exercise self-checks: every checker answers with a ✔ or a ✘ and a specific hint, never a traceback.

Notebook-specific checkers are built from these pieces: `check_array` compares an answer with the
reference (type, NaN, shape, transpose, value), `check_function` calls the learner's function on
probe inputs first, and `@self_check` turns any unexpected error into a friendly ✘ and records the
outcome in the learner's progress file (`progress.py`; an untouched stub is not an attempt, and a
solution cell passes record=False: its ✔ is not the learner's).
"""

from __future__ import annotations

import copy
import functools
import html
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .progress import record_outcome

PASS, FAIL = "✔", "✘"


@dataclass(frozen=True)
class CheckResult:
    """The answer of a self-check: passed or not, and a message for the learner."""

    passed: bool
    message: str
    attempted: bool = True      # False: the stub is untouched (None, NotImplementedError)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"{PASS if self.passed else FAIL} {self.message}"

    def _repr_html_(self) -> str:
        color = "#2ca02c" if self.passed else "#d62728"
        return f"<b style='color:{color}'>{html.escape(repr(self))}</b>"


def passed(message: str = "Correct!") -> CheckResult:
    """A ✔ result with its message."""
    return CheckResult(True, message)


def failed(message: str) -> CheckResult:
    """A ✘ result with its hint."""
    return CheckResult(False, message)


def not_attempted(message: str) -> CheckResult:
    """A ✘ for an untouched stub: shown like any hint, not recorded as an attempt."""
    return CheckResult(False, message, attempted=False)


# Every course exercise's checker, by exercise id ('02.encode' is check_encode in checks_02.py).
EXERCISES: dict[str, Callable[..., CheckResult]] = {}


def exercise_id(checker: Callable) -> str | None:
    """'NN.name' for a checker check_name in course_utils.checks_NN, else None (not an exercise)."""
    module = checker.__module__.rpartition(".")[2]
    if not re.fullmatch(r"checks_\d\d", module) or not checker.__name__.startswith("check_"):
        return None
    return f"{module[-2:]}.{checker.__name__.removeprefix('check_')}"


def describe_error(error: Exception) -> str:
    """The learner's error in words: numpy's and torch's shape errors become a plain hint."""
    text = str(error)
    if isinstance(error, (ValueError, RuntimeError)) and any(
            key in text for key in ("matmul", "not aligned", "cannot be multiplied", "could not be broadcast")):
        return (f"{type(error).__name__}: the shapes in a product do not fit. A @ B needs A's last size to equal "
                "B's first (W_xh is (H, D), x_t is (D,), so W_xh @ x_t is (H,)); * needs equal shapes. "
                "Print the .shape of each operand.")
    return f"{type(error).__name__}: {text}"


def self_check(checker: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
    """Decorate a checker so that any error in the learner's answer becomes a ✘ with its message, and
    each attempt at a course exercise is recorded (unless called with record=False)."""
    exercise = exercise_id(checker)

    @functools.wraps(checker)
    def wrapper(*args, record: bool = True, **kwargs) -> CheckResult:
        try:
            result = checker(*args, **kwargs)
        except Exception as error:  # the learner's code may raise anything: report, don't crash
            result = failed(f"your answer raised {describe_error(error)}")
        if record and exercise and result.attempted:
            record_outcome(exercise, result.passed, None if result.passed else result.message)
        return result

    if exercise:
        EXERCISES[exercise] = wrapper
    return wrapper


def _to_array(answer: object) -> np.ndarray | None:
    """The answer as a float array (numpy, list or torch tensor), or None if it is not numeric."""
    if hasattr(answer, "detach"):
        answer = answer.detach().cpu().numpy()
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def check_array(answer: object, expected: np.ndarray, name: str = "your answer",
                atol: float = 1e-6) -> CheckResult:
    """Compare a numeric answer with the expected array; hint at type, NaN, shape, transpose, values."""
    expected = np.asarray(expected, dtype=float)
    if answer is None:
        return not_attempted(f"{name} is None: not attempted yet? Fill in the cell above and run it again.")
    array = _to_array(answer)
    if array is None or array.dtype == object:
        return failed(f"{name} should be numbers (a numpy array), got {type(answer).__name__}.")
    if not np.all(np.isfinite(array)):
        return failed(f"{name} contains NaN or inf: check for a division by zero or an overflow.")
    if array.shape != expected.shape:
        if array.T.shape == expected.shape and np.allclose(array.T, expected, atol=atol):
            return failed(f"{name} is transposed: expected shape {expected.shape}, got {array.shape}.")
        return failed(f"{name} should have shape {expected.shape}, got {array.shape}.")
    if not np.allclose(array, expected, atol=atol):
        worst = float(np.max(np.abs(array - expected)))
        return failed(f"{name} has the right shape but wrong values (largest error {worst:.3g}).")
    return passed(f"{name} is correct.")


def check_function(function: object, probes: list[tuple], reference: Callable, name: str,
                   atol: float = 1e-6) -> CheckResult:
    """Call the learner's function on each probe's arguments and compare with the reference.

    The reference runs first, and each side gets its own copy of the arguments, so a function that
    changes its inputs in place can neither fool the check nor break the next probe."""
    if not callable(function):
        return failed(f"pass your function itself (e.g. `check(my_function)`), not {type(function).__name__}.")
    for args in probes:
        expected = reference(*copy.deepcopy(args))     # before the learner's code, which may change its inputs
        try:
            answer = function(*copy.deepcopy(args))
        except NotImplementedError:
            return not_attempted(f"{name} is not written yet (it raises NotImplementedError).")
        except Exception as error:
            return failed(f"{name} raised {describe_error(error)}")
        if answer is None:                             # the stubs raise, so this one was written
            return failed(f"{name} returned None: did you forget `return`?")
        result = check_array(answer, expected, f"the output of {name}", atol)
        if not result:
            return result
    return passed(f"{name} matches the reference on {len(probes)} test inputs.")


def check_number(answer: object, expected: float, name: str = "your answer",
                 rel_tol: float = 1e-6) -> CheckResult:
    """Compare a single number; hint at type and at how far off it is."""
    if answer is None:
        return not_attempted(f"{name} is None: not attempted yet?")
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return failed(f"{name} should be a number, got {type(answer).__name__}.")
    if not np.isfinite(float(answer)):
        return failed(f"{name} is NaN or inf.")
    if not np.isclose(float(answer), expected, rtol=rel_tol, atol=0):
        direction = "too large" if float(answer) > expected else "too small"
        return failed(f"{name} = {answer} is {direction}.")
    return passed(f"{name} = {answer} is correct.")
