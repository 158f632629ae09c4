"""Every notebook checker is strict: the reference answer passes, an answer 0.005 off fails with a
hint, a function hard-coded to the answer of the checker's first probe fails on the next probe, a
function that changes its inputs in place cannot fool it, and an answer of the wrong shape is named so."""

from __future__ import annotations

import numpy as np
import pytest

import torch

from course_utils import checks_00, checks_01, checks_02, checks_03, checks_04, checks_05, checks_06, checks_07
from course_utils.gym import WORKOUTS
from course_utils.story import accuracy_ceiling, ambiguous_contexts, story_tokens, story_windows

NUDGE = 0.005  # a near miss: far beyond float round-off, small enough to look right by eye


def nudged(value):
    """value + NUDGE: elementwise for arrays, in each part of a pair (h_t, p_t) or (X, y)."""
    if isinstance(value, tuple):
        return tuple(nudged(part) for part in value)
    return np.asarray(value, dtype=float) + NUDGE if np.ndim(value) else value + NUDGE


def near_miss(reference):
    """A learner's function whose every output is the reference's output + NUDGE."""
    return lambda *args: nudged(reference(*args))


def hard_coded(reference):
    """A learner's function that returns, for any input, the reference's output on the first input
    the checker tries (its first probe): right on probe 0, wrong on every other probe."""
    first = []

    def answer(*args):
        if not first:
            first.append(reference(*args))
        return first[0]

    return answer


def fill_missed_one_day_off(days):
    """Non-numeric near miss of fill_missed: the reference's list with its last day one workout off."""
    filled = checks_02.reference_fill_missed(days)
    return filled[:-1] + [WORKOUTS[(WORKOUTS.index(filled[-1]) + 1) % len(WORKOUTS)]]


AMBIGUOUS = set(ambiguous_contexts(story_tokens()))
BEST, WINDOWS = accuracy_ceiling(story_tokens())

# (checker, reference function, words of its ✘ for an answer hard-coded to the first probe's output)
FUNCTION_CHECKERS = {
    "dense_tanh": (checks_00.check_dense_tanh, checks_00.dense_tanh_reference, "should have shape (4,)"),
    "rnn_step": (checks_01.check_rnn_step, checks_01.reference_rnn_step, "wrong values"),
    "param_count": (checks_01.check_param_count, checks_01.reference_param_count, "rnn_param_count(3, 4, 3)"),
    "encode": (checks_02.check_encode, checks_02.reference_encode, "the 1 is in the wrong place"),
    "predict_next": (checks_02.check_predict_next, checks_02.reference_predict_next, "h_t has the right shape"),
    "fill_missed": (checks_02.check_fill_missed, checks_02.reference_fill_missed, "one entry per day"),
    "backward_step": (checks_03.check_backward_step, checks_03.reference_backward_step, "wrong values"),
    "cell_update": (checks_05.check_cell_update, checks_05.cell_update, "should have shape (4,)"),
    "lstm_step": (checks_05.check_lstm_step, checks_05.lstm_step_stacked, "should have shape (5,)"),
    "windows": (checks_06.check_windows, story_windows, "X for n_input=2 should have shape (8, 2)"),
}

# (checker, reference answer, its near miss, words the ✘ message must contain), every exercise
NEAR_MISSES = {
    **{name: (check, reference, near_miss(reference), "largest error 0.005")
       for name, (check, reference, _) in FUNCTION_CHECKERS.items()},
    "param_count": (checks_01.check_param_count, checks_01.reference_param_count,
                    near_miss(checks_01.reference_param_count), "is too large"),
    # fill_missed returns names, not numbers: the closest near miss is one day's workout wrong
    "fill_missed": (checks_02.check_fill_missed, checks_02.reference_fill_missed, fill_missed_one_day_off,
                    "Hint: expected"),
    "output_size": (checks_00.check_output_size, 4, 4 + NUDGE, "is too large"),
    "step_gradient": (checks_03.check_step_gradient, sum(checks_03.scalar_rnn_parts()),
                      sum(checks_03.scalar_rnn_parts()) + NUDGE, "is too large"),
    # a number of steps: 4.005 is the +0.005 near miss, and it is not a whole number
    "smallest_window": (checks_03.check_smallest_window, 4, 4 + NUDGE, "whole number"),
    "held_cell": (checks_05.check_held_cell, checks_05.HELD_C0, checks_05.HELD_C0 + NUDGE, "is too large"),
    "leaky_cell": (checks_05.check_leaky_cell, checks_05.HELD_C0 * checks_05.LEAKY_F ** checks_05.HELD_STEPS,
                   checks_05.HELD_C0 * checks_05.LEAKY_F ** checks_05.HELD_STEPS + NUDGE, "is too large"),
    # 199/201 + 0.005 lies within 3e-5 of 200/201, the answer of a learner who loses one window, not two
    "ceiling": (checks_06.check_ceiling, BEST / WINDOWS, BEST / WINDOWS + NUDGE, "at most one of the two"),
    # a set of contexts: the closest near miss is one context swapped for a repeated, unambiguous one
    "ambiguous": (checks_06.check_ambiguous, AMBIGUOUS,
                  {min(AMBIGUOUS), ("got", "up", "and")}, "always followed by the same word"),
}


@pytest.mark.parametrize("name", list(NEAR_MISSES))
def test_every_checker_accepts_the_reference_answer(name):
    check, reference, _, _ = NEAR_MISSES[name]
    assert check(reference), name


@pytest.mark.parametrize("name", list(NEAR_MISSES))
def test_every_checker_rejects_a_near_miss_with_a_hint(name):
    check, _, miss, words = NEAR_MISSES[name]
    result = check(miss)
    assert not result and words in result.message, result


@pytest.mark.parametrize("name", list(FUNCTION_CHECKERS))
def test_every_function_checker_rejects_an_answer_hard_coded_for_its_first_probe(name):
    check, reference, words = FUNCTION_CHECKERS[name]
    result = check(hard_coded(reference))
    assert not result and words in result.message, result



# every function checker of every notebook: (checker, reference function)
ALL_FUNCTION_CHECKERS = {
    **{name: (check, reference) for name, (check, reference, _) in FUNCTION_CHECKERS.items()},
    "step_jacobian": (checks_04.check_step_jacobian, checks_04.reference_step_jacobian),
    "clip": (checks_04.check_clip, checks_04.reference_clip),
    "final_states": (checks_07.check_final_states, checks_07.final_states),
    "param_count_07": (checks_07.check_param_count, checks_07.rnn_param_count),
}


def mutating(reference):
    """A learner's function that overwrites its array and list inputs in place, then returns the
    reference's answer for the changed inputs: a checker that reuses the inputs would accept it."""
    def answer(*args):
        for arg in args:
            if isinstance(arg, (np.ndarray, torch.Tensor)):
                arg[...] = arg.flip(-1) * 0.5 + 0.25 if isinstance(arg, torch.Tensor) else (
                    arg[..., ::-1] * 0.5 + 0.25 if arg.dtype.kind == "f" else arg[..., ::-1])
            elif isinstance(arg, list):
                arg.reverse()
        return reference(*args)

    return answer


def with_extra_axis(value):
    """The answer with a trailing axis of size 1: (H,) becomes (H, 1); parts of a pair or list likewise."""
    if isinstance(value, (tuple, list)):
        return type(value)(with_extra_axis(part) for part in value)
    return np.asarray(value, dtype=float)[..., None]


def not_written(*args):
    """The stub a learner starts from."""
    raise NotImplementedError


# inputs are plain numbers or strings: nothing to change in place
IMMUTABLE_INPUTS = {"param_count", "param_count_07", "encode"}
# answers that are not arrays (a count, workout names): no shape to get wrong
NOT_ARRAYS = {"param_count", "param_count_07", "fill_missed"}


@pytest.mark.parametrize("name", list(ALL_FUNCTION_CHECKERS))
def test_every_function_checker_says_a_stub_is_not_written_yet(name):
    check, reference = ALL_FUNCTION_CHECKERS[name]
    assert check(reference), name
    result = check(not_written)
    assert not result and "not written yet" in result.message, result


@pytest.mark.parametrize("name", sorted(set(ALL_FUNCTION_CHECKERS) - IMMUTABLE_INPUTS))
def test_every_function_checker_cannot_be_fooled_by_changing_its_inputs_in_place(name):
    check, reference = ALL_FUNCTION_CHECKERS[name]
    result = check(mutating(reference))
    assert not result, f"{name}: a function that changed its inputs in place passed: {result}"


@pytest.mark.parametrize("name", sorted(set(ALL_FUNCTION_CHECKERS) - NOT_ARRAYS))
def test_every_function_checker_names_a_wrong_shape(name):
    check, reference = ALL_FUNCTION_CHECKERS[name]
    result = check(lambda *args: with_extra_axis(reference(*args)))
    assert not result and "shape" in result.message and "(" in result.message, result
