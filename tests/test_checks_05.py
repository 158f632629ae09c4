"""Checkers of notebook 05: the reference passes, typical mistakes get hints, bad input never raises."""

import numpy as np
import pytest

from course_utils.checks_05 import (HELD_C0, LEAKY_F, cell_update, check_cell_update, check_held_cell,
                                    check_leaky_cell)


def test_reference_cell_update_passes():
    assert check_cell_update(cell_update)


def test_cell_update_stub_says_not_written_yet():
    def stub(f, i, g, c_prev):
        raise NotImplementedError

    result = check_cell_update(stub)
    assert not result and "not written yet" in result.message


@pytest.mark.parametrize("wrong,hint", [
    (lambda f, i, g, c: f * c + g, "input gate is missing"),
    (lambda f, i, g, c: i * c + f * g, "swapped"),
    (lambda f, i, g, c: f * g + i * c, "swapped"),
    (lambda f, i, g, c: f * c + i, "candidate g is missing"),
    (lambda f, i, g, c: np.tanh(f * c + i * g), "not squashed")])
def test_typical_cell_update_mistakes_get_hints(wrong, hint):
    result = check_cell_update(wrong)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad", [None, 3, "f*c", lambda f, i, g, c: None,
                                 lambda f, i, g, c: np.full_like(c, np.nan), lambda f, i, g, c: c[:1],
                                 lambda f, i, g, c: 1 / 0, lambda f: f])
def test_cell_update_bad_input_gives_message_not_exception(bad):
    result = check_cell_update(bad)
    assert not result and result.message


def test_held_cell_right_and_wrong():
    assert check_held_cell(HELD_C0)
    assert "keep everything" in check_held_cell(0.0).message
    assert "tanh" in check_held_cell(float(np.tanh(HELD_C0))).message


def test_leaky_cell_right_and_wrong():
    assert check_leaky_cell(HELD_C0 * LEAKY_F ** 10)
    assert "one step" in check_leaky_cell(HELD_C0 * LEAKY_F).message
    assert not check_leaky_cell(HELD_C0)


@pytest.mark.parametrize("bad", [None, "0.8", [0.8], float("nan"), True, np.array([1.0, 2.0])])
def test_number_checks_bad_input_give_message_not_exception(bad):
    for check in (check_held_cell, check_leaky_cell):
        result = check(bad)
        assert not result and result.message


@pytest.mark.parametrize("wrong, hint", [
    (lambda f, i, g, c: i * g, "old cell is missing"),
    (lambda f, i, g, c: (1 - f) * c + i * g, "not (1 − f)"),
    (lambda f, i, g, c: f * c + i / (1 + np.exp(-g)), "do not apply a sigmoid"),
    (lambda f, i, g, c: f @ c + i @ g, "use *, not @"),
])
def test_cell_update_names_the_typical_mistake(wrong, hint):
    result = check_cell_update(wrong)
    assert not result and hint in result.message


def test_leaky_cell_accepts_two_significant_digits_and_names_a_missing_c0():
    assert check_leaky_cell(0.28)
    result = check_leaky_cell(0.9 ** 10)
    assert not result and "c_0 = 0.8" in result.message
