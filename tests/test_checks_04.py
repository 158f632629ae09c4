"""Checkers of notebook 04: the reference passes, typical mistakes get hints, bad input never raises."""

import math

import numpy as np
import pytest

from course_utils.checks_04 import (check_clip, check_horizon, check_step_jacobian, reference_clip,
                                    reference_horizon, reference_step_jacobian)


def test_reference_step_jacobian_passes():
    assert check_step_jacobian(reference_step_jacobian)
    assert check_step_jacobian(lambda h, W: np.diag(1 - h ** 2) @ W)


@pytest.mark.parametrize("wrong, hint", [
    (lambda h, W: W, "derivative is missing"),
    (lambda h, W: np.diag(1 - h) @ W, "squared"),
    (lambda h, W: W @ np.diag(1 - h ** 2), "LEFT"),
    (lambda h, W: (1 - h ** 2) * W, "LEFT"),
    (lambda h, W: np.diag(1 - h ** 2) @ W.T, "transpose"),
    (lambda h, W: np.diag(1 - np.tanh(h) ** 2) @ W, "already tanh")])
def test_typical_step_jacobian_mistakes_get_hints(wrong, hint):
    result = check_step_jacobian(wrong)
    assert not result and hint in result.message


@pytest.mark.parametrize("bad", [None, 3, "W", lambda h, W: None, lambda h, W: np.full_like(W, np.nan),
                                 lambda h, W: h, lambda h, W: 1 / 0, lambda h: h])
def test_step_jacobian_bad_input_gives_message_not_exception(bad):
    result = check_step_jacobian(bad)
    assert not result and result.message


def test_step_jacobian_checker_does_not_let_mutation_fool_it():
    def mutating(h, W):
        W *= 0
        return W
    assert not check_step_jacobian(mutating)


def test_horizon_right_and_wrong():
    assert reference_horizon() == 66 and 0.9 ** 66 < 1e-3 <= 0.9 ** 65
    assert check_horizon(66) and check_horizon(66.0) and check_horizon(np.int64(66))
    assert "one more step" in check_horizon(65).message
    assert "round" in check_horizon(math.log(1e-3) / math.log(0.9)).message
    message = check_horizon(10).message
    assert "rule of thumb" in message and "tutorial" in message and "seed" not in message
    assert "bases" in check_horizon(28).message and "bases" in check_horizon(151).message


@pytest.mark.parametrize("bad", [None, "66", [66], float("nan"), True, np.array([1.0, 2.0])])
def test_horizon_bad_input_gives_message_not_exception(bad):
    result = check_horizon(bad)
    assert not result and result.message


def _good_clip(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    return [g * min(1.0, max_norm / (total + 1e-6)) for g in grads]


def test_reference_clip_passes_and_matches_torch_semantics():
    assert check_clip(_good_clip)
    g = [np.array([3.0, 4.0])]
    assert np.allclose(reference_clip(g, 1.0)[0], [0.6, 0.8], atol=1e-6)
    assert np.allclose(reference_clip(g, 10.0)[0], [3.0, 4.0])


@pytest.mark.parametrize("wrong, hint", [
    (lambda gs, m: [g * min(1.0, m / np.linalg.norm(g)) for g in gs], "each tensor"),
    (lambda gs, m: [np.clip(g, -m, m) for g in gs], "clamps"),
    (lambda gs, m: [g * m / math.sqrt(sum(float(np.sum(x ** 2)) for x in gs)) for g in gs], "already below"),
    (lambda gs, m: [g / max(m, math.sqrt(sum(float(np.sum(x ** 2)) for x in gs))) if m < math.sqrt(
        sum(float(np.sum(x ** 2)) for x in gs)) else g for g in gs], "forgot to multiply")])
def test_typical_clip_mistakes_get_hints(wrong, hint):
    result = check_clip(wrong)
    assert not result and hint in result.message, result.message


@pytest.mark.parametrize("bad", [None, 1.0, lambda gs, m: None, lambda gs, m: gs[0], lambda gs, m: [np.nan * g for g in gs],
                                 lambda gs, m: [g[:1] for g in gs], lambda gs, m: 1 / 0, lambda gs: gs])
def test_clip_bad_input_gives_message_not_exception(bad):
    result = check_clip(bad)
    assert not result and result.message


def test_near_misses_and_hard_coded_answers_fail():
    from course_utils.checks_04 import _jacobian_probes
    assert not check_step_jacobian(lambda h, W: reference_step_jacobian(h, W) + 0.005)
    first = reference_step_jacobian(*_jacobian_probes()[0])
    assert not check_step_jacobian(lambda h, W: first)
    assert not check_clip(lambda gs, m: [g + 0.005 for g in _good_clip(gs, m)])
    assert not check_horizon(66.005)


def test_clip_checker_does_not_mutate_a_learners_list_in_a_way_that_fools_it():
    def in_place(grads, max_norm):
        out = _good_clip(grads, max_norm)
        for g in grads:
            g *= 0
        return out
    assert check_clip(in_place)
