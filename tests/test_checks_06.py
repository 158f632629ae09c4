"""Notebook 06's self-checks: reference answers pass, typical mistakes get the right hint, bad input a ✘."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from course_utils.checks_06 import check_ambiguous, check_ceiling, check_windows
from course_utils.story import story_windows


def windows_reference(ids, n_input):
    return story_windows(ids, n_input)


def windows_one_too_many(ids, n_input):
    X = np.array([ids[k:k + n_input] for k in range(len(ids) - n_input + 1)])
    return X, np.array(list(ids[n_input:]) + [0])


def windows_not_written(ids, n_input):
    raise NotImplementedError


def test_reference_windows_pass():
    assert check_windows(windows_reference)


def test_stub_windows_says_not_written():
    result = check_windows(windows_not_written)
    assert not result and "not written yet" in result.message


def test_one_window_too_many_gets_the_off_by_one_hint():
    result = check_windows(windows_one_too_many)
    assert not result and "no next word" in result.message


def test_windows_returning_one_array_gets_a_pair_hint():
    result = check_windows(lambda ids, n: np.zeros((3, 3)))
    assert not result and "pair (X, y)" in result.message


def test_windows_with_wrong_targets_are_caught():
    result = check_windows(lambda ids, n: (story_windows(ids, n)[0], story_windows(ids, n)[1] + 1))
    assert not result and "wrong values" in result.message


def test_windows_not_a_function():
    result = check_windows(None)
    assert not result and "function itself" in result.message


def test_windows_that_raise_are_reported_not_raised():
    result = check_windows(lambda ids, n: 1 / 0)
    assert not result and "ZeroDivisionError" in result.message


def test_ambiguous_reference_passes_in_several_spellings():
    assert check_ambiguous({("the", "cat", "."), ("up", "and", "said")})
    assert check_ambiguous(["the cat .", "up and said"])
    assert check_ambiguous({("the", "cat", "."): ["by", "some"], ("up", "and", "said"): ["he", "that"]})


def test_ambiguous_with_a_repeated_but_unambiguous_context_is_explained():
    result = check_ambiguous({("the", "cat", "."), ("up", "and", "said"), ("got", "up", "and")})
    assert not result and "same word" in result.message


def test_ambiguous_missing_one():
    result = check_ambiguous({("the", "cat", ".")})
    assert not result and "1 of 2" in result.message


def test_ambiguous_bad_input():
    assert "not attempted" in check_ambiguous(None).message
    assert "set" in check_ambiguous(42).message
    assert "exactly 3 words" in check_ambiguous(["the cat"]).message


def test_ceiling_reference_passes():
    assert check_ceiling(199 / 201)
    assert check_ceiling((201 - 2) / 201) and check_ceiling(0.990050)


@pytest.mark.parametrize("wrong", [(204 - 2) / 204, 0.992, 197 / 199, 0.990, 0.99, 199.5 / 201, 200 / 201])
def test_ceiling_rejects_every_answer_but_199_of_201(wrong):
    assert not check_ceiling(wrong)


def test_ceiling_near_misses_get_their_own_hints():
    assert "count windows, not tokens" in check_ceiling((204 - 2) / 204).message
    assert "199 of all 201" in check_ceiling(197 / 199).message
    assert "rounded" in check_ceiling(0.990).message
    assert "too large" in check_ceiling(0.992).message


def test_ceiling_typical_mistakes_get_hints():
    assert "fraction" in check_ceiling(199).message
    assert "not by the number of tokens" in check_ceiling(199 / 204).message
    assert "at most one" in check_ceiling(1.0).message
    assert "percentage" in check_ceiling(99.0).message


def test_ceiling_bad_input():
    assert not check_ceiling(None) and not check_ceiling("0.99") and not check_ceiling(float("nan"))


def test_ceiling_as_an_exact_fraction_object_is_accepted():
    assert check_ceiling(Fraction(199, 201))
    assert not check_ceiling(Fraction(200, 202))


def test_ceiling_of_199_windows_says_199_can_be_right_out_of_201():
    message = check_ceiling(199).message
    assert "199 is the number of windows a model can get right" in message and "201 windows" in message


@pytest.mark.parametrize("off_by_one", [200 / 202, 198 / 200, Fraction(200, 202)])
def test_ceiling_with_one_window_too_many_or_too_few_is_told_to_count_the_windows(off_by_one):
    message = check_ceiling(off_by_one).message
    assert "tokens − 3 windows" in message and "exact fraction" in message


def test_a_rounded_ceiling_is_told_to_give_the_exact_fraction():
    assert "rounded" in check_ceiling(0.9900).message and "rounded" in check_ceiling(0.9901).message


def test_a_ceiling_above_199_of_201_is_told_at_most_one_of_each_ambiguous_pair_is_right():
    message = check_ceiling(199 / 201 + 0.005).message
    assert "too large" in message and "at most one of the two" in message
