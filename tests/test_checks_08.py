"""Notebook 08's self-checks: the solutions pass, plausible wrong answers get a hint, bad input a message."""

import numpy as np
import pytest
import torch

from course_utils.checks_08 import (TRACKING_THRESHOLD, check_kneser_ney, check_perplexity, check_tracking_unit,
                                    kneser_ney_reference, word_correlations, word_correlations_of_shipped_model)


def perplexity_solution(log_probs):
    return float(np.exp(-np.mean(log_probs)))


def test_perplexity_solution_passes_as_numpy_or_torch():
    assert check_perplexity(perplexity_solution, record=False)
    assert check_perplexity(lambda lp: torch.exp(-torch.as_tensor(lp).mean()), record=False)


@pytest.mark.parametrize("form", [
    lambda lp: np.exp(-lp.mean(keepdims=True)),                         # numpy, shape (1,)
    lambda lp: np.exp(-lp.mean(keepdims=True))[None],                   # numpy, shape (1, 1)
    lambda lp: np.float64(np.exp(-lp.mean())),                          # numpy scalar
    lambda lp: np.array(np.exp(-lp.mean())),                            # numpy, shape ()
    lambda lp: torch.exp(-torch.as_tensor(lp).mean()).reshape(1),       # torch, shape (1,)
    lambda lp: torch.exp(-torch.as_tensor(lp, dtype=torch.float64).mean(0, keepdim=True).requires_grad_()),
    lambda lp: [float(np.exp(-lp.mean()))],                             # a one-element list
    lambda lp: (np.exp(-lp.mean()),),                                   # a one-element tuple
], ids=["numpy (1,)", "numpy (1, 1)", "numpy scalar", "numpy 0-d", "torch (1,)", "torch (1,) with grad",
        "list", "tuple"])
def test_a_right_perplexity_in_a_one_element_form_passes_without_blame(form):
    result = check_perplexity(form, record=False)
    assert result, result.message
    assert "should return" not in result.message and "wrong" not in result.message


@pytest.mark.parametrize("wrong, hint", [
    (lambda lp: np.exp(np.mean(lp)), "1 / perplexity"),
    (lambda lp: np.exp(-np.sum(lp)), "average over the characters"),
    (lambda lp: 2 ** (-np.mean(lp)), "natural logs"),
    (lambda lp: -np.mean(lp), "mean loss"),
    (lambda lp: 1 / np.mean(np.exp(lp)), "geometric mean"),
])
def test_perplexity_slips_get_their_hint(wrong, hint):
    result = check_perplexity(wrong, record=False)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad, words", [
    (None, "pass your function"), (lambda lp: [1.0, 2.0], "one number"), (lambda lp: np.nan, "NaN"),
    (lambda lp: 1 / 0, "ZeroDivisionError"), (lambda lp: "four", "one number"),
])
def test_bad_perplexity_answers_get_a_message_not_a_traceback(bad, words):
    result = check_perplexity(bad, record=False)
    assert not result and words in result.message


def test_an_unwritten_perplexity_is_not_an_attempt():
    def stub(log_probs):
        raise NotImplementedError
    result = check_perplexity(stub, record=False)
    assert not result and not result.attempted


def kneser_ney_solution(count, total, types, discount, p_lower):
    mixed = (np.maximum(count - discount, 0) + discount * types * p_lower) / np.maximum(total, 1)
    return np.where(total > 0, mixed, p_lower)


def test_kneser_ney_solution_passes():
    assert check_kneser_ney(kneser_ney_solution, record=False)


def test_the_reference_level_is_a_distribution_for_a_seen_context():
    count = np.array([3, 0, 1, 0, 5.0])
    p = kneser_ney_reference(count, np.full(5, 9.0), np.full(5, 3), 0.7, np.full(5, 0.2))
    assert np.isclose(p.sum(), 1.0) and np.all(p > 0)


@pytest.mark.parametrize("wrong, hint", [
    (lambda c, t, n, D, p: np.where(t > 0, (c - D + D * n * p) / np.maximum(t, 1), p), "max(c − D, 0)"),
    (lambda c, t, n, D, p: np.where(t > 0, (c + D * n * p) / np.maximum(t, 1), p), "subtract the discount"),
    (lambda c, t, n, D, p: np.where(t > 0, (np.maximum(c - D, 0) + D * p) / np.maximum(t, 1), p), "distinct"),
    (lambda c, t, n, D, p: np.where(t > 0, np.maximum(c - D, 0) / np.maximum(t, 1) + D * n * p, p), "divide the freed"),
    (lambda c, t, n, D, p: (np.maximum(c - D, 0) + D * n * p) / t, "never seen"),
    (lambda c, t, n, D, p: np.where(t > 0, (np.maximum(c - D, 0) + D * n / len(p)) / np.maximum(t, 1), p),
     "p_lower[w]"),   # a uniform lower level instead of p_lower
    (lambda c, t, n, D, p: np.where(t > 0, (np.maximum(c - D, 0) + D * n * p[::-1]) / np.maximum(t, 1), p),
     "p_lower[w]"),   # p_lower read in the wrong order
])
def test_smoothing_slips_get_their_hint(wrong, hint):
    with np.errstate(divide="ignore", invalid="ignore"):
        result = check_kneser_ney(wrong, record=False)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad, words", [
    (42, "pass your function"), (lambda *a: None, "return"), (lambda *a: np.zeros(3), "shape"),
    (lambda *a: a[0][:, None] @ a[0][:, None], "shapes in a product"),
])
def test_bad_smoothing_answers_get_a_message_not_a_traceback(bad, words):
    result = check_kneser_ney(bad, record=False)
    assert not result and words in result.message


def test_the_shipped_unit_correlations_are_those_of_the_shipped_model():
    assert np.abs(word_correlations() - word_correlations_of_shipped_model()).max() < 2e-6


def test_the_strongest_word_unit_passes_and_the_threshold_is_met_by_few_units():
    r = word_correlations()
    best = int(np.abs(r).argmax())
    assert check_tracking_unit(best, record=False)
    assert 1 <= (np.abs(r) >= TRACKING_THRESHOLD).sum() <= 20          # a search, not a guess


@pytest.mark.parametrize("pick", ["median", "weakest", "next_to_best"])
def test_units_that_do_not_follow_the_word_get_a_hint(pick):
    r = word_correlations()
    order = np.argsort(-np.abs(r))
    unit = {"median": order[len(r) // 2], "weakest": order[-1],
            "next_to_best": next(u for u in (order[0] - 1, order[0] + 1) if abs(r[u]) < TRACKING_THRESHOLD)}[pick]
    result = check_tracking_unit(int(unit), record=False)
    assert not result and "sort by its size" in result.message


@pytest.mark.parametrize("bad, words", [(256, "0..255"), (-1, "0..255"), (3.0, "whole number"), ("18", "whole number"),
                                        (True, "whole number")])
def test_bad_unit_answers_get_a_message(bad, words):
    result = check_tracking_unit(bad, record=False)
    assert not result and words in result.message


def test_an_untouched_unit_answer_is_not_an_attempt():
    result = check_tracking_unit(None, record=False)
    assert not result and not result.attempted
