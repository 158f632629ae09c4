"""The function checkers of notebooks 04 and 07 meet the same bar as the others (see
test_checks_near_miss.py): a function that changes its inputs in place cannot fool them, and an answer
of the wrong shape is named so."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils import checks_04, checks_07


def final_states_reference(output, H):
    """The forward direction ends at the last step, the backward one at step 0."""
    return output[:, -1, :H], output[:, 0, H:]


def _zero_inputs_in_place(*args):
    """What a careless learner's function might do to its inputs before computing."""
    for arg in args:
        if isinstance(arg, (np.ndarray, torch.Tensor)):
            arg[...] = 0.5 * arg[...] + 0.25
        elif isinstance(arg, list):
            for part in arg:
                part[...] = 0.5 * part + 0.25


MUTATING = {
    "step_jacobian": (checks_04.check_step_jacobian,
                      lambda *a: (_zero_inputs_in_place(*a), checks_04.reference_step_jacobian(*a))[1]),
    "clip": (checks_04.check_clip, lambda *a: (_zero_inputs_in_place(*a), checks_04.reference_clip(*a))[1]),
    "final_states": (checks_07.check_final_states,
                     lambda *a: (_zero_inputs_in_place(*a), final_states_reference(*a))[1]),
}

WRONG_SHAPE = {
    "step_jacobian": (checks_04.check_step_jacobian, lambda *a: checks_04.reference_step_jacobian(*a)[..., None]),
    "clip": (checks_04.check_clip, lambda *a: [g[..., None] for g in checks_04.reference_clip(*a)]),
    "final_states": (checks_07.check_final_states,
                     lambda *a: tuple(part.unsqueeze(-1) for part in final_states_reference(*a))),
}


def test_the_final_states_reference_passes():
    assert checks_07.check_final_states(final_states_reference)


@pytest.mark.parametrize("name", list(MUTATING))
def test_changing_the_inputs_in_place_cannot_fool_the_checker(name):
    check, cheat = MUTATING[name]
    result = check(cheat)
    assert not result, f"{name}: a function that changed its inputs in place passed: {result}"


@pytest.mark.parametrize("name", list(WRONG_SHAPE))
def test_a_wrong_shape_is_named(name):
    check, answer = WRONG_SHAPE[name]
    result = check(answer)
    assert not result and "shape" in result.message, result
