"""Checkers of notebook 05: the reference passes, typical mistakes get hints, bad input never raises."""

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import checks_05
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


def _lstm_mistake(**kwargs):
    """A learner's lstm_step that makes one typical mistake (see checks_05.LSTM_STEP_MISTAKES)."""
    return lambda *args: checks_05._lstm_variant(args, **kwargs)


def test_lstm_step_reference_matches_torch():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4).double()
    x, h, c = torch.randn(1, 1, 3, dtype=torch.float64), torch.randn(1, 1, 4, dtype=torch.float64), torch.randn(1, 1, 4, dtype=torch.float64)
    with torch.no_grad():
        _, (h_torch, c_torch) = lstm(x, (h, c))
    weights = [getattr(lstm, f"{n}_l0").detach().numpy() for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    h_ours, c_ours = checks_05.lstm_step_stacked(x[0, 0].numpy(), h[0, 0].numpy(), c[0, 0].numpy(), *weights)
    assert np.allclose(h_ours, h_torch[0, 0].numpy(), atol=1e-12) and np.allclose(c_ours, c_torch[0, 0].numpy(), atol=1e-12)


def test_lstm_step_solution_passes():
    assert checks_05.check_lstm_step(checks_05.lstm_step_stacked)


@pytest.mark.parametrize("kwargs, words", [
    ({"order": "figo"}, "i, f, g, o"), ({"order": "ifog"}, "i, f, g, o"),
    ({"candidate": checks_05.sigmoid}, "squash it with tanh"), ({"gate": np.tanh}, "are sigmoids"),
    ({"keep_old": False}, "old cell is missing"), ({"squash_h": False}, "tanh(c_t)"),
    ({"both_biases": False}, "two biases"),
])
def test_lstm_step_typical_mistakes_get_their_hint(kwargs, words):
    result = checks_05.check_lstm_step(_lstm_mistake(**kwargs))
    assert not result and words in result.message, result


def test_lstm_step_swapped_return_order_is_named():
    result = checks_05.check_lstm_step(lambda *a: checks_05.lstm_step_stacked(*a)[::-1])
    assert not result and "(h_t, c_t)" in result.message


def test_lstm_step_transposed_weights_get_a_shape_hint_not_a_traceback():
    def transposed(x_t, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
        return checks_05.lstm_step_stacked(x_t, h_prev, c_prev, W_ih.T, W_hh.T, b_ih, b_hh)
    result = checks_05.check_lstm_step(transposed)
    assert not result and "(4H, D)" in result.message and "Traceback" not in result.message


@pytest.mark.parametrize("answer, words", [
    (lambda *a: (np.full(2, np.nan), np.zeros(2)), "NaN"),
    (lambda *a: checks_05.lstm_step_stacked(*a)[0], "pair (h_t, c_t)"),
    ("lstm_step", "pass your function itself"),
])
def test_lstm_step_bad_answers_get_clear_messages(answer, words):
    result = checks_05.check_lstm_step(answer)
    assert not result and words in result.message, result
