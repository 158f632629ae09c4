"""Checkers of notebook 03: reference solutions pass, typical mistakes get their hint, bad input a ✘."""

import numpy as np
import pytest
import torch

from course_utils.checks_03 import (SCALAR_RNN, check_backward_step, check_smallest_window,
                                    check_step_gradient, reference_backward_step, scalar_rnn_parts)


def _stub(*args):
    raise NotImplementedError


def test_reference_backward_step_passes():
    assert check_backward_step(reference_backward_step)


def test_reference_backward_step_matches_finite_differences():
    rng = np.random.default_rng(0)
    W_xh, W_hh, W_hy = rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=(2, 3))
    x_t, h_prev, dy_t, da_next = rng.normal(size=2), rng.normal(size=3), rng.normal(size=2), rng.normal(size=3)

    def surrogate(a_t):  # a loss whose gradients at y_t and a_{t+1} are dy_t and da_next
        h_t = np.tanh(a_t)
        return dy_t @ (W_hy @ h_t) + da_next @ (W_hh @ h_t)

    a_t, eps = W_xh @ x_t + W_hh @ h_prev, 1e-6
    numeric = [(surrogate(a_t + eps * e) - surrogate(a_t - eps * e)) / (2 * eps) for e in np.eye(3)]
    assert np.allclose(reference_backward_step(dy_t, da_next, np.tanh(a_t), W_hh, W_hy), numeric, atol=1e-8)


@pytest.mark.parametrize("wrong, hint", [
    (lambda dy, da, h, Whh, Why: Why.T @ dy + Whh.T @ da, "forgot the tanh"),
    (lambda dy, da, h, Whh, Why: (1 - h) * (Why.T @ dy + Whh.T @ da), "squared"),
    (lambda dy, da, h, Whh, Why: (1 - h ** 2) * (Why.T @ dy + Whh @ da), "transpose"),
    (lambda dy, da, h, Whh, Why: (1 - h ** 2) * (Why.T @ dy), "implicit part"),
    (lambda dy, da, h, Whh, Why: (1 - h ** 2) * (Whh.T @ da), "own output"),
])
def test_typical_backward_step_mistakes_get_their_hint(wrong, hint):
    result = check_backward_step(wrong)
    assert not result and hint in result.message


@pytest.mark.parametrize("answer, words", [
    (_stub, "not written yet"), (None, "function itself"), ("da", "function itself"),
    (lambda *a: np.zeros(2), "shape (4,)"), (lambda *a: np.full(4, np.nan), "NaN"),
    (lambda *a: 1 / 0, "ZeroDivisionError"), (lambda *a: "text", "numbers"),
])
def test_bad_backward_step_answers_get_a_clear_message(answer, words):
    result = check_backward_step(answer)
    assert not result and words in result.message


def test_scalar_rnn_gradient_is_explicit_plus_implicit_and_matches_finite_differences():
    explicit, implicit = scalar_rnn_parts()

    def loss(w):
        h1 = np.tanh(SCALAR_RNN["u"] * SCALAR_RNN["x1"] + w * SCALAR_RNN["h0"])
        h2 = np.tanh(SCALAR_RNN["u"] * SCALAR_RNN["x2"] + w * h1)
        return 0.5 * (h2 - SCALAR_RNN["y"]) ** 2

    w, eps = SCALAR_RNN["w"], 1e-6
    assert abs(explicit + implicit - (loss(w + eps) - loss(w - eps)) / (2 * eps)) < 1e-8
    assert abs(implicit) > 0.01 and abs(explicit) > 0.01


def test_step_gradient_accepts_the_answer_in_any_numeric_form():
    total = sum(scalar_rnn_parts())
    for answer in (total, np.float64(total), np.array(total), np.array([total]), torch.tensor(total)):
        assert check_step_gradient(answer)


@pytest.mark.parametrize("which, words", [(0, "only the explicit part"), (1, "only the implicit part")])
def test_half_of_the_step_gradient_gets_the_missing_half_named(which, words):
    result = check_step_gradient(scalar_rnn_parts()[which])
    assert not result and words in result.message


@pytest.mark.parametrize("answer, words", [
    (-sum(scalar_rnn_parts()), "sign"), (None, "not attempted"), ("1.0", "should be a number"),
    (float("nan"), "NaN"), (True, "should be a number"), (np.zeros(3), "should be a number"), (5.0, "too large"),
])
def test_wrong_or_bad_step_gradient_answers_get_a_clear_message(answer, words):
    result = check_step_gradient(answer)
    assert not result and words in result.message


def test_smallest_window_for_delay_three_is_four():
    assert check_smallest_window(4) and check_smallest_window(np.int64(4)) and check_smallest_window(4.0)


@pytest.mark.parametrize("answer, words", [
    (3, "one short"), (2, "too small"), (9, "more than needed"), (None, "not attempted"),
    ("4", "whole number"), (3.5, "whole number"), ([4], "whole number"),
])
def test_wrong_windows_get_a_hint(answer, words):
    result = check_smallest_window(answer)
    assert not result and words in result.message


@pytest.mark.parametrize("wrong, hint", [
    (lambda dy, da, h, Whh, Why: (1 - h ** 2) * (Why.T @ dy) + Whh.T @ da, "both terms"),
    (lambda dy, da, h, Whh, Why: Why.T @ dy + (1 - h ** 2) * (Whh.T @ da), "W_hh term only"),
    (lambda dy, da, h, Whh, Why: (1 - np.tanh(h) ** 2) * (Why.T @ dy + Whh.T @ da), "already tanh(a_t)"),
])
def test_backward_step_names_where_tanh_prime_went_wrong(wrong, hint):
    result = check_backward_step(wrong)
    assert not result and hint in result.message


def test_step_gradient_names_a_missing_tanh_prime_at_either_step():
    p = SCALAR_RNN
    h1 = np.tanh(p["u"] * p["x1"] + p["w"] * p["h0"])
    h2 = np.tanh(p["u"] * p["x2"] + p["w"] * h1)
    no_tanh2 = (h2 - p["y"]) * (h1 + p["w"] * (1 - h1 ** 2) * p["h0"])
    no_tanh1 = (h2 - p["y"]) * (1 - h2 ** 2) * (h1 + p["w"] * p["h0"])
    assert "tanh'(a_2)" in check_step_gradient(no_tanh2).message
    assert "tanh'(a_1)" in check_step_gradient(no_tanh1).message


def test_step_gradient_asks_for_more_digits_when_three_are_right():
    explicit, implicit = scalar_rnn_parts()
    result = check_step_gradient(float(f"{explicit + implicit:.3g}"))
    assert not result and "4 significant digits" in result.message
