"""The synthetic tasks of notebook 07: shapes, targets and the past-only ceiling."""

import numpy as np
import pytest
import torch

from course_utils.shape_plots import unrolled_diagram, unrolled_layout
from course_utils.shape_tasks import (count_up_data, majority_data, marker_later_data, next_digit_data,
                                      past_only_ceiling, reverse_data, running_parity_data)


def test_every_task_has_its_shape():
    assert [t.shape for t in next_digit_data(5, seed=1)] == [(5, 10), (5,)]
    assert [t.shape for t in count_up_data(5, 6, seed=1)] == [(5, 10), (5, 6)]
    assert [t.shape for t in majority_data(5, 9, seed=1)] == [(5, 9, 2), (5,)]
    assert [t.shape for t in running_parity_data(5, 10, seed=1)] == [(5, 10, 2), (5, 10)]
    assert [t.shape for t in reverse_data(5, 4, seed=1)] == [(5, 4, 4), (5, 5)]
    assert [t.shape for t in marker_later_data(5, 12, seed=1)] == [(5, 12, 2), (5, 12)]


def test_targets_follow_their_rules():
    x, y = count_up_data(20, 6, seed=2)
    assert torch.equal(y[:, 0], x.argmax(1)) and torch.all((y[:, 1:] - y[:, :-1]) % 10 == 1)
    x, y = majority_data(50, 7, seed=2)
    assert torch.equal(y, (x[..., 1].sum(1) > 3.5).long())
    x, y = running_parity_data(50, 8, seed=2)
    assert torch.equal(y, (x[..., 1].cumsum(1) % 2).long())
    x, y = reverse_data(30, 5, seed=2)
    assert torch.equal(y[:, :5], x.argmax(-1).flip(1)) and torch.all(y[:, 5] == 4)


def test_marker_later_targets_look_only_at_later_steps():
    x, y = marker_later_data(200, 12, seed=3)
    marker = x[..., 1].numpy()
    for t in range(12):
        assert np.array_equal(y[:, t].numpy(), (marker[:, t + 1:].sum(1) > 0).astype(int))


def test_past_only_ceiling_is_the_accuracy_of_the_best_past_only_guess():
    x, y = marker_later_data(20000, 12, seed=4)
    guess = (1 - 0.9 ** (11 - torch.arange(12))) > 0.5
    measured = (y == guess.long()).float().mean().item()
    assert abs(measured - past_only_ceiling(12)) < 0.01


@pytest.mark.parametrize("call", [lambda: majority_data(3, 4, seed=0), lambda: marker_later_data(3, 4, seed=0, rate=0),
                                  lambda: reverse_data(0, 4, seed=0)])
def test_bad_sizes_raise_clear_errors(call):
    with pytest.raises(ValueError):
        call()


def test_layout_is_read_from_the_shapes():
    assert unrolled_layout((8, 10), (8, 10)).name == "one-to-one"
    assert unrolled_layout((8, 10), (8, 6, 10)).outputs == list(range(6))
    assert unrolled_layout((8, 9, 2), (8, 2)).outputs == [8]
    assert unrolled_layout((8, 9, 2), (8, 9, 2)).inputs == list(range(9))
    u = unrolled_layout((8, 5, 4), (8, 6, 5), encoder_decoder=True)
    assert (u.columns, u.split, u.outputs) == (11, 5, list(range(5, 11)))
    with pytest.raises(ValueError):
        unrolled_layout((8, 5, 4), (8, 6, 5))


def test_diagram_draws_one_box_per_input_state_and_output():
    fig = unrolled_diagram((8, 5, 4), (8, 6, 5), encoder_decoder=True)
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 5 + 11 + 6
