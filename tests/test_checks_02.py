"""Checkers of notebook 02: reference solutions pass, typical mistakes get their hint, bad input a ✘."""

import numpy as np
import pytest

from course_utils.checks_02 import (check_encode, check_fill_missed, check_predict_next,
                                    reference_encode, reference_fill_missed, reference_predict_next)
from course_utils.gym import WORKOUTS


def _stub(*args):
    raise NotImplementedError


def test_reference_encode_passes():
    assert check_encode(reference_encode)
    assert reference_encode("biceps").tolist() == [0, 1, 0]


def test_encode_in_wrong_order_gets_position_hint():
    result = check_encode(lambda name: np.eye(3)[::-1][WORKOUTS.index(name)])
    assert not result and "wrong place" in result.message


def test_encode_returning_index_gets_vector_hint():
    result = check_encode(lambda name: WORKOUTS.index(name))
    assert not result and "whole vector" in result.message


def test_encode_bad_inputs_give_messages():
    assert "not written yet" in check_encode(_stub).message
    assert "None" in check_encode(lambda name: None).message
    assert "numbers" in check_encode(lambda name: [name]).message
    assert "NaN" in check_encode(lambda name: np.full(3, np.nan)).message
    assert "pass your function" in check_encode("shoulder").message


def test_reference_predict_next_passes_and_sums_to_one():
    assert check_predict_next(reference_predict_next)
    h, p = reference_predict_next(np.eye(3)[0], np.zeros(2), np.ones((2, 3)), np.eye(2), np.zeros(2),
                                  np.ones((3, 2)), np.zeros(3))
    assert np.isclose(p.sum(), 1) and np.allclose(h, np.tanh(1))


def test_predict_next_returning_logits_gets_softmax_hint():
    def logits(x, h, Wx, Wh, b, Wy, by):
        h_t = np.tanh(Wx @ x + Wh @ h + b)
        return h_t, Wy @ h_t + by
    result = check_predict_next(logits)
    assert not result and "softmax" in result.message


def test_predict_next_single_array_gets_pair_hint():
    result = check_predict_next(lambda *a: reference_predict_next(*a)[1])
    assert not result and "pair" in result.message


def test_predict_next_bad_inputs_give_messages():
    assert "not written yet" in check_predict_next(_stub).message
    assert "h_t is None" in check_predict_next(lambda *a: (None, None)).message
    assert "raised" in check_predict_next(lambda *a: np.zeros(2) @ np.zeros(3)).message


def test_reference_fill_missed_passes():
    assert check_fill_missed(reference_fill_missed)
    assert reference_fill_missed(["cardio", None, None]) == ["cardio"] * 3


def test_fill_missed_moving_schedule_on_gets_hint():
    def advance(days):
        out = []
        for d in days:
            out.append(d if d is not None else WORKOUTS[(WORKOUTS.index(out[-1]) + 1) % 3])
        return out
    result = check_fill_missed(advance)
    assert not result and "*next* workout of the cycle" in result.message


def test_fill_missed_leaving_none_gets_hint():
    result = check_fill_missed(lambda days: days)
    assert not result and "still None" in result.message


def test_fill_missed_bad_inputs_give_messages():
    assert "not written yet" in check_fill_missed(_stub).message
    assert "forget `return`" in check_fill_missed(lambda days: None).message
    assert "list of workout names" in check_fill_missed(lambda days: 3).message
    assert "one entry per day" in check_fill_missed(lambda days: days[:1]).message
    assert "raised" in check_fill_missed(lambda days: days[99]).message


@pytest.mark.parametrize("mistake, hint", [
    ("no_b_y", "output bias b_y is missing"),
    ("from_h_prev", "read from h_{t-1}"),
])
def test_predict_next_names_a_missing_b_y_and_a_p_read_from_the_old_state(mistake, hint):
    def predict(x_t, h_prev, W_xh, W_hh, b_h, W_hy, b_y):
        h_t = np.tanh(W_xh @ x_t + W_hh @ h_prev + b_h)
        y = W_hy @ h_t if mistake == "no_b_y" else W_hy @ h_prev + b_y
        return h_t, np.exp(y) / np.exp(y).sum()

    result = check_predict_next(predict)
    assert not result and hint in result.message
