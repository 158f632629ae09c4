"""Checkers of notebook 01: reference solutions pass, typical mistakes get their hint, bad input a ✘."""

import numpy as np
import torch

from course_utils.checks_01 import (check_param_count, check_rnn_step, reference_param_count,
                                    reference_rnn_step)


def test_reference_step_passes():
    assert check_rnn_step(reference_rnn_step)


def test_step_without_tanh_gets_tanh_hint():
    result = check_rnn_step(lambda x, h, Wx, Wh, b: Wx @ x + Wh @ h + b)
    assert not result and "forgot the tanh" in result.message


def test_step_ignoring_h_prev_gets_memory_hint():
    result = check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(Wx @ x + b))
    assert not result and "W_hh @ h_prev" in result.message


def test_step_with_sigmoid_gets_hint():
    result = check_rnn_step(lambda x, h, Wx, Wh, b: 1 / (1 + np.exp(-(Wx @ x + Wh @ h + b))))
    assert not result and "sigmoid" in result.message


def test_step_transposed_W_hh_gets_hint():
    result = check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(Wx @ x + Wh.T @ h + b))
    assert not result and "transposed" in result.message


def test_step_stub_not_written_yet():
    def stub(*args):
        raise NotImplementedError
    result = check_rnn_step(stub)
    assert not result and "not written yet" in result.message


def test_step_bad_inputs_give_messages():
    assert "pass your function" in check_rnn_step(None).message
    assert "NaN" in check_rnn_step(lambda *a: np.full(4, np.nan)).message
    assert "shape" in check_rnn_step(lambda *a: np.zeros(3)).message
    assert "raised ZeroDivisionError" in check_rnn_step(lambda *a: 1 / 0).message
    assert "None" in check_rnn_step(lambda *a: None).message


def test_reference_count_matches_torch():
    for D, H, C in [(6, 8, 2), (1, 1, 1), (10, 16, 5)]:
        modules = [torch.nn.RNN(D, H), torch.nn.Linear(H, C)]
        assert reference_param_count(D, H, C) == sum(p.numel() for m in modules for p in m.parameters())


def test_reference_count_passes():
    assert check_param_count(reference_param_count)


def test_count_with_one_bias_gets_torch_bias_hint():
    result = check_param_count(lambda D, H, C: H * D + H * H + H + C * H + C)
    assert not result and "two bias vectors" in result.message


def test_count_without_W_hh_gets_hint():
    result = check_param_count(lambda D, H, C: H * D + 2 * H + C * H + C)
    assert not result and "W_hh" in result.message


def test_count_bad_inputs_give_messages():
    assert "not attempted" in check_param_count(lambda D, H, C: None).message
    assert "should be a number" in check_param_count(lambda D, H, C: "82").message
    assert "pass your function" in check_param_count(82).message
    def stub(D, H, C):
        raise NotImplementedError
    assert "not written yet" in check_param_count(stub).message
    assert "raised KeyError" in check_param_count(lambda D, H, C: {}[D]).message


def test_param_count_names_a_missing_output_bias():
    result = check_param_count(lambda D, H, C: H * D + H * H + 2 * H + C * H)
    assert not result and "b_y" in result.message
