"""Self-checks for notebook 06 (the story): the windowing function, the ambiguous contexts, the ceiling."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .checks import CheckResult, not_attempted, check_array, check_number, failed, passed, self_check
from .story import accuracy_ceiling, ambiguous_contexts, build_vocabulary, story_tokens, story_windows


def _window_probes() -> list[tuple[list[int], int]]:
    """(ids, n_input) inputs: the story's ids, and small sequences a hard-coded answer cannot pass."""
    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    return [([word_to_id[t] for t in tokens], 3), (list(range(10, 20)), 2), ([5, 6, 7, 8], 3)]


def _check_one_window_call(function: object, ids: list[int], n_input: int) -> CheckResult:
    """Call function(ids, n_input) once and compare its (X, y) with story_windows."""
    X_ref, y_ref = story_windows(ids, n_input)
    try:
        answer = function(ids, n_input)
    except NotImplementedError:
        return not_attempted("make_windows is not written yet (it raises NotImplementedError).")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return failed(f"make_windows should return a pair (X, y), got {type(answer).__name__}.")
    X, y = (np.asarray(a) if not hasattr(a, "detach") else a.detach().cpu().numpy() for a in answer)
    if X.ndim == 2 and X.shape[0] == len(ids) - n_input + 1:
        return failed(f"X has {X.shape[0]} windows for {len(ids)} ids; the last window has no next word "
                      f"to predict: there are len(ids) - n_input = {len(ids) - n_input}.")
    result = check_array(X, X_ref, f"X for n_input={n_input}")
    return result if not result else check_array(y, y_ref, f"y for n_input={n_input}")


@self_check
def check_windows(function: object) -> CheckResult:
    """✔ if function(ids, n_input) returns (X (N, n_input), y (N,)) of every window and its next id."""
    if not callable(function):
        return failed(f"pass your function itself (check_windows(make_windows)), not {type(function).__name__}.")
    for ids, n_input in _window_probes():
        result = _check_one_window_call(function, ids, n_input)
        if not result:
            return result
    return passed("make_windows gives every window and its next id (201 windows for the story).")


def _as_context(item: object) -> tuple[str, ...]:
    """A context written as a tuple/list of words or as one string "the cat ."."""
    if isinstance(item, str):
        return tuple(item.split())
    return tuple(str(word) for word in item)  # type: ignore[union-attr]


@self_check
def check_ambiguous(answer: object) -> CheckResult:
    """✔ if answer holds exactly the story's contexts that are followed by different words."""
    if answer is None:
        return not_attempted("answer is None: not attempted yet? Collect the contexts in a set or dict.")
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        return failed(f"give a set (or list, or dict) of contexts, got {type(answer).__name__}.")
    tokens = story_tokens()
    expected = set(ambiguous_contexts(tokens))
    given = {_as_context(item) for item in answer}
    if any(len(context) != 3 for context in given):
        return failed("each context is exactly 3 words (punctuation counts), e.g. ('the', 'mice', 'had').")
    extra, missing = given - expected, expected - given
    if extra:
        return failed(f"{sorted(extra)[0]} is always followed by the same word (or never appears): "
                      "a context is ambiguous only if two *different* words follow it.")
    if missing:
        return failed(f"you found {len(given)} of {len(expected)}: look for a context that appears twice.")
    return passed(f"the {len(expected)} ambiguous contexts are {sorted(expected)}.")


def _ceiling_hint(value: float, best: int, total: int) -> str | None:
    """A hint for the typical wrong ceilings (rounded, tokens for windows, lost windows off the total), or None."""
    lost = total - best
    off_by_one = ("close, but not it: every token after the first 3 is the next word of exactly one window, so "
                  "there are tokens − 3 windows (a rounded number is not it either); give the exact fraction "
                  "windows right / windows, e.g. a / b.")
    hints = [(best, f"{best} is the number of windows a model can get right; give it as a fraction of all {total} "
              "windows."),
             ((best + 1) / (total + 1), off_by_one), ((best - 1) / (total - 1), off_by_one),
             (best / (total + 3), "divide by the number of windows (tokens − 3), not by the number of tokens."),
             ((total + 3 - lost) / (total + 3), f"the story has {total + 3} tokens but {total} windows "
              "(tokens − 3): count windows, not tokens."),
             ((best - lost) / (total - lost), f"the {lost} lost windows are still windows: {best} of all {total} "
              "can be right."),
             (1.0, "each ambiguous context appears twice with two different next words: "
              "at most one of the two can be right, for each of the two contexts."),
             ((total - 1) / total, "each ambiguous context appears twice with two different next words: "
              "at most one of the two can be right, for each of the two contexts.")]
    for wrong, hint in hints:
        if np.isclose(value, wrong, rtol=1e-9, atol=0):
            return hint
    if abs(value - 100 * best / total) < 0.05:
        return "give a fraction between 0 and 1, not a percentage."
    if abs(value - best / total) < 5e-4:
        return f"{value} is close but rounded: give the exact fraction (windows right / windows), e.g. a / b."
    if best / total < value <= 1:
        return (f"{value} is too large: each ambiguous context appears twice with two different next words, and at "
                "most one of the two can be right.")
    return None


@self_check
def check_ceiling(answer: object) -> CheckResult:
    """✔ only if answer is the best possible accuracy over all windows, 199/201, to 6 significant digits."""
    best, total = accuracy_ceiling(story_tokens())
    if isinstance(answer, Fraction):   # an exact fraction such as Fraction(199, 201) is a number too
        answer = float(answer)
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        hint = _ceiling_hint(float(answer), best, total) if np.isfinite(float(answer)) else None
        if hint and not np.isclose(float(answer), best / total, rtol=1e-6, atol=0):
            return failed(hint)
    return check_number(answer, best / total, "the ceiling", rel_tol=1e-6)
