"""Checkers of notebook 07: the reference passes, typical mistakes get hints, bad input never raises."""

import numpy as np
import pytest
import torch

from course_utils.checks_07 import (PARAM_PROBES, check_final_states, check_gru_shapes, check_param_count,
                                    expected_shapes, final_states, rnn_param_count)


def test_real_gru_shapes_pass_the_shape_check():
    from torch import nn
    from course_utils.checks_07 import SHAPE_BATCH, SHAPE_CONFIG, SHAPE_STEPS
    gru = nn.GRU(**SHAPE_CONFIG)
    output, h_n = gru(torch.zeros(SHAPE_BATCH, SHAPE_STEPS, SHAPE_CONFIG["input_size"]))
    assert (tuple(output.shape), tuple(h_n.shape)) == expected_shapes()
    assert check_gru_shapes(output.shape, h_n.shape)


@pytest.mark.parametrize("out, h_n, hint", [
    ((11, 3, 14), (4, 3, 7), "batch_first"),
    ((3, 11, 7), (4, 3, 7), "concatenates"),
    ((3, 11, 28), (4, 3, 7), "top layer only"),
    ((3, 11, 14), (3, 4, 7), "never batch-first"),
    ((3, 11, 14), (2, 3, 7), "AND direction"),
    ((3, 11, 14), (4, 3, 14), "not 2·H"),
])
def test_typical_shape_mistakes_get_hints(out, h_n, hint):
    result = check_gru_shapes(out, h_n)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad", [None, "3, 11, 14", 3, (3.0, 11, 14), (True, 11, 14), [object()]])
def test_shape_check_bad_input_gives_message_not_exception(bad):
    result = check_gru_shapes(bad, (4, 3, 7))
    assert not result and result.message


def test_reference_final_states_pass():
    assert check_final_states(final_states)


@pytest.mark.parametrize("wrong, hint", [
    (lambda o, H: (o[:, -1, :H], o[:, -1, H:]), "FINISHES at step 0"),
    (lambda o, H: (o[:, -1, H:], o[:, 0, :H]), "swapped"),
    (lambda o, H: (o[:, -1], o[:, 0]), "split the last axis"),
])
def test_typical_final_state_mistakes_get_hints(wrong, hint):
    result = check_final_states(wrong)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad", [None, 3, lambda o, H: None, lambda o, H: o, lambda o, H: (o, o),
                                 lambda o, H: (o[:, 0, :1], o[:, 0, :1]), lambda o, H: 1 / 0,
                                 lambda o: o, lambda o, H: (torch.full_like(o[:, 0, :H], float("nan")),) * 2])
def test_final_states_bad_input_gives_message_not_exception(bad):
    result = check_final_states(bad)
    assert not result and result.message


@pytest.mark.parametrize("D, H, L, bi", PARAM_PROBES)
def test_param_count_reference_matches_numel(D, H, L, bi):
    from torch import nn
    measured = sum(p.numel() for p in nn.RNN(D, H, num_layers=L, bidirectional=bi).parameters())
    assert rnn_param_count(D, H, L, bi) == measured


def test_reference_param_count_passes_and_stub_does_not():
    assert check_param_count(rnn_param_count)

    def stub(D, H, num_layers, bidirectional):
        raise NotImplementedError

    assert "not written yet" in check_param_count(stub).message


@pytest.mark.parametrize("wrong, hint", [
    (lambda D, H, L, bi: (2 if bi else 1) * sum(H * (D if k == 0 else (2 if bi else 1) * H) + H * H + H
                                                 for k in range(L)), "two bias vectors"),
    (lambda D, H, L, bi: rnn_param_count(D, H, L, False), "two independent sets"),
    (lambda D, H, L, bi: (2 if bi else 1) * sum(H * (D if k == 0 else H) + H * H + 2 * H for k in range(L)),
     "BOTH directions"),
])
def test_typical_param_count_mistakes_get_hints(wrong, hint):
    result = check_param_count(wrong)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad", [None, "226", lambda D, H, L, bi: None, lambda D, H, L, bi: "9",
                                 lambda D, H, L, bi: True, lambda D, H, L, bi: float("nan"), lambda D: D,
                                 lambda D, H, L, bi: np.array([1, 2])])
def test_param_count_bad_input_gives_message_not_exception(bad):
    result = check_param_count(bad)
    assert not result and result.message


def test_a_right_count_returned_as_a_float_is_refused_with_an_int_hint():
    result = check_param_count(lambda D, H, L, bi: float(rnn_param_count(D, H, L, bi)))
    assert not result and "int" in result.message and "//" in result.message


def test_a_right_count_returned_as_a_numpy_integer_passes():
    assert check_param_count(lambda D, H, L, bi: np.int64(rnn_param_count(D, H, L, bi)))


def test_the_probes_include_one_layer_one_direction():
    assert any(L == 1 and not bi for _, _, L, bi in PARAM_PROBES)
