"""Self-checks for notebook 08 (The Time Machine): perplexity from log-probabilities, one level of
Kneser–Ney smoothing, and a hidden unit that counts the letters of the current word."""

from __future__ import annotations

import copy
import json
import numbers
from functools import lru_cache
from pathlib import Path

import numpy as np

from .checks import CheckResult, check_array, failed, not_attempted, passed, self_check

TRACKING_THRESHOLD = 0.5   # |correlation| with "letters into the current word" a unit needs to count as tracking it
UNIT_CHARS = 4000          # the stretch of the test text the units are read over


def _call(function: object, name: str, *args) -> tuple[object, CheckResult | None]:
    """function(*copies of args), or the ✘ that says why it could not be used."""
    if not callable(function):
        return None, failed(f"pass your function itself (e.g. check(my_{name})), not {type(function).__name__}.")
    try:
        answer = function(*copy.deepcopy(args))
    except NotImplementedError:
        return None, not_attempted(f"{name} is not written yet (it raises NotImplementedError).")
    if answer is None:
        return None, failed(f"{name} returned None: is a `return` missing?")
    return answer, None


def _as_float(answer: object) -> float | None:
    """A single number from a float, a 0-d array, or a one-element array, tensor or list; None if it is not one."""
    try:
        value = np.asarray(answer.detach().cpu() if hasattr(answer, "detach") else answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(value.reshape(())) if value.size == 1 else None   # reshape: numpy 2 refuses float() on shape (1,)


def _named_slip(answer: object, slips: list[tuple[object, str]], otherwise: str) -> str:
    """The hint of the first usual slip the answer equals, else `otherwise`."""
    return next((hint for slip, hint in slips if np.allclose(answer, slip, rtol=1e-6, atol=1e-9)), otherwise)


def _perplexity_probes() -> list[np.ndarray]:
    """Log-probability arrays of several lengths and spreads (a constant answer cannot pass them all)."""
    rng = np.random.default_rng(8)
    return [np.log(rng.uniform(0.05, 0.9, size=n)) for n in (1, 7, 50, 400)] + [np.log(np.full(10, 0.25))]


def _perplexity_hint(value: float, log_probs: np.ndarray) -> str:
    """Name the usual slip that gives `value` for these log-probabilities."""
    mean = log_probs.mean()
    slips = [(np.exp(mean), "exp(mean log p) is 1 / perplexity: the loss is −log p, so use exp(−mean)."),
             (np.exp(-log_probs.sum()), "that is exp of the *total* loss: average over the characters first."),
             (2.0 ** (-mean), "these are natural logs (ln): use exp, not 2 ** (that would need log2 p)."),
             (-mean, "that is the mean loss (nats per character); perplexity is exp of it."),
             (1 / np.exp(log_probs).mean(), "1 / (mean p) averages the probabilities; perplexity is exp of the "
                                            "mean −log p (a geometric mean), which punishes a bad guess more.")]
    return _named_slip(value, slips, f"perplexity = {value:.4g} is wrong for these log-probabilities: "
                                     "it is exp(−(1/N) Σ ln p_i).")


@self_check
def check_perplexity(function: object) -> CheckResult:
    """✔ if function(log_probs) returns exp(−mean(log_probs)) for arrays of natural-log probabilities."""
    for log_probs in _perplexity_probes():
        answer, problem = _call(function, "perplexity", log_probs)
        if problem is not None:
            return problem
        value = _as_float(answer)
        if value is None:
            return failed(f"perplexity should return one number, got {type(answer).__name__} {np.shape(answer)}.")
        if not np.isfinite(value):
            return failed("perplexity returned NaN or inf: check for a log of 0 or an overflow.")
        if not np.isclose(value, np.exp(-log_probs.mean()), rtol=1e-6):
            return failed(_perplexity_hint(value, log_probs))
    return passed("perplexity = exp(mean loss): right on 5 test inputs (a uniform guess over 4 gives 4).")


def kneser_ney_reference(count, total, types, discount, p_lower) -> np.ndarray:
    """One interpolated Kneser–Ney level: (max(c − D, 0) + D · N1+ · p_lower) / c(h•), or p_lower if c(h•) = 0."""
    count, total, types, p_lower = (np.asarray(a, dtype=float) for a in (count, total, types, p_lower))
    seen = total > 0
    mixed = (np.maximum(count - discount, 0) + discount * types * p_lower) / np.where(seen, total, 1.0)
    return np.where(seen, mixed, p_lower)


def _kneser_ney_probes() -> list[tuple]:
    """(count, total, types, discount, p_lower): whole distributions of seen contexts, and an unseen one."""
    rng = np.random.default_rng(80)
    probes = []
    for vocab, seen in ((6, 3), (12, 5), (30, 1)):
        count = np.zeros(vocab)
        count[rng.choice(vocab, seen, replace=False)] = rng.integers(1, 9, seen)
        p_lower = rng.dirichlet(np.ones(vocab))
        probes.append((count, np.full(vocab, count.sum()), np.full(vocab, seen), 0.75, p_lower))
    p_lower = rng.dirichlet(np.ones(5))
    probes.append((np.zeros(5), np.zeros(5), np.zeros(5), 0.6, p_lower))   # a context never seen
    return probes


def _kneser_ney_hint(answer: np.ndarray, probe: tuple) -> str:
    """Name the usual slip in the smoothing formula."""
    count, total, types, D, p_lower = probe
    seen_total = np.where(total > 0, total, 1.0)
    if np.all(total == 0):
        return "for a context never seen (c(h•) = 0) the level has nothing to say: return p_lower there."
    if np.any(answer < 0):
        return "a probability below 0: for a character never seen after h, c − D is negative; use max(c − D, 0)."
    slips = [((count + D * types * p_lower) / seen_total,
              "the probabilities sum to more than 1: subtract the discount D from every seen count."),
             ((np.maximum(count - D, 0) + D * p_lower) / seen_total,
              "the mass freed is D for each *distinct* character seen after h, D · N1+(h•), and it goes to p_lower."),
             (np.maximum(count - D, 0) / seen_total + D * types * p_lower,
              "divide the freed mass D · N1+(h•) by c(h•) too: it is a share of the context's count.")]
    if abs(answer.sum() - 1) > 1e-6:
        otherwise = (f"the probabilities sum to {answer.sum():.4f}; a seen context's should sum to 1: "
                     "compare with the formula.")
    else:
        otherwise = ("they sum to 1, but the mass freed by the discount is shared out wrongly: character w gets "
                     "D · N1+(h•) / c(h•) times p_lower[w], the lower level's probability of that same w.")
    return _named_slip(answer, slips, otherwise)


@self_check
def check_kneser_ney(function: object) -> CheckResult:
    """✔ if function(count, total, types, discount, p_lower) gives one interpolated Kneser–Ney level."""
    for probe in _kneser_ney_probes():
        answer, problem = _call(function, "kneser_ney", *probe)
        if problem is not None:
            return problem
        result = check_array(answer, kneser_ney_reference(*probe), "your probabilities", atol=1e-9)
        if result:
            continue
        array = np.asarray(answer.detach().cpu() if hasattr(answer, "detach") else answer, dtype=float) \
            if "wrong values" in result.message or "NaN" in result.message else None
        if array is None:
            return result
        return failed(_kneser_ney_hint(array, probe))
    return passed("one level of interpolated Kneser–Ney: each seen context's probabilities sum to 1.")


UNITS_FILE = Path(__file__).parent / "data" / "time_machine_units.json"


@lru_cache(maxsize=1)
def word_correlations() -> np.ndarray:
    """(hidden,) word_correlations_of_shipped_model() as shipped in UNITS_FILE (computed once, on the CPU)."""
    return np.array(json.loads(UNITS_FILE.read_text())["letters_into_word_r"])


def word_correlations_of_shipped_model() -> np.ndarray:
    """(hidden,) correlation of each cell c_t of the shipped LSTM with "letters into the current word" over the
    first UNIT_CHARS characters of the test text."""
    from .char_analysis import letters_into_word, unit_correlations
    from .char_model import cell_states, load_model
    from .corpus import novel_vocabulary, time_machine

    text = time_machine()["test"][:UNIT_CHARS + 1]
    model, _ = load_model()
    _, cells = cell_states(model, novel_vocabulary().encode(text))
    return unit_correlations(cells, letters_into_word(text)[:-1])


@self_check
def check_tracking_unit(unit: object) -> CheckResult:
    """✔ if the shipped LSTM's cell `unit` follows "letters into the current word" (|r| >= TRACKING_THRESHOLD)."""
    if unit is None:
        return not_attempted("unit is None: not attempted yet? Give the index of one hidden unit.")
    correlations = word_correlations()
    if isinstance(unit, bool) or not isinstance(unit, numbers.Integral):
        return failed(f"give one unit's index as a whole number 0..{len(correlations) - 1}, got {unit!r}.")
    if not 0 <= unit < len(correlations):
        return failed(f"the LSTM has {len(correlations)} hidden units: give an index 0..{len(correlations) - 1}.")
    r = float(correlations[unit])
    if abs(r) < TRACKING_THRESHOLD:
        return failed(f"the cell of unit {unit} has correlation only {r:+.2f} with the letters read into the word: "
                      "compute every unit's correlation and sort by its size (a negative one counts too).")
    return passed(f"unit {unit} counts its way through each word: correlation {r:+.2f}.")
