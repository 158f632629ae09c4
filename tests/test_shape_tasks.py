"""The synthetic tasks of notebook 07: shapes, targets and the one-direction ceilings."""

import itertools

import numpy as np
import pytest
import torch

from course_utils.shape_plots import unrolled_diagram, unrolled_layout
from course_utils.shape_tasks import (both_sides_data, count_up_data, future_only_ceiling, majority_data,
                                      next_digit_data, one_side_guess, past_only_ceiling, reverse_data,
                                      running_parity_data)


def test_every_task_has_its_shape():
    assert [t.shape for t in next_digit_data(5, seed=1)] == [(5, 10), (5,)]
    assert [t.shape for t in count_up_data(5, 6, seed=1)] == [(5, 10), (5, 6)]
    assert [t.shape for t in majority_data(5, 9, seed=1)] == [(5, 9, 2), (5,)]
    assert [t.shape for t in running_parity_data(5, 10, seed=1)] == [(5, 10, 2), (5, 10)]
    assert [t.shape for t in reverse_data(5, 4, seed=1)] == [(5, 4, 4), (5, 5)]
    assert [t.shape for t in both_sides_data(5, 12, seed=1)] == [(5, 12, 2), (5, 12)]


def test_targets_follow_their_rules():
    x, y = count_up_data(20, 6, seed=2)
    assert torch.equal(y[:, 0], x.argmax(1)) and torch.all((y[:, 1:] - y[:, :-1]) % 10 == 1)
    x, y = majority_data(50, 7, seed=2)
    assert torch.equal(y, (x[..., 1].sum(1) > 3.5).long())
    x, y = running_parity_data(50, 8, seed=2)
    assert torch.equal(y, (x[..., 1].cumsum(1) % 2).long())
    x, y = reverse_data(30, 5, seed=2)
    assert torch.equal(y[:, :5], x.argmax(-1).flip(1)) and torch.all(y[:, 5] == 4)


def test_both_sides_data_is_one_hot_float_with_int64_labels():
    x, y = both_sides_data(50, 12, seed=3)
    assert x.dtype == torch.float32 and y.dtype == torch.int64
    assert torch.equal(x.sum(-1), torch.ones(50, 12))


def test_a_step_is_inside_a_span_when_a_marker_is_before_and_after_it():
    x, y = both_sides_data(300, 12, seed=3)
    marker = x[..., 1].numpy()
    for t in range(12):
        inside = (marker[:, :t].sum(1) > 0) & (marker[:, t + 1:].sum(1) > 0)
        assert np.array_equal(y[:, t].numpy(), inside.astype(int))


def test_both_sides_data_is_the_same_for_the_same_seed():
    assert all(torch.equal(a, b) for a, b in zip(both_sides_data(20, 8, seed=5), both_sides_data(20, 8, seed=5)))


def _brute_force_ceiling(steps: int, rate: float, side: str) -> float:
    """Best expected accuracy of any predictor that sees steps 0..t (past) or t..T-1 (future), by counting every
    one of the 2^steps marker sequences with its probability."""
    total = 0.0
    for t in range(steps):
        seen_weight = {}                                     # what it sees -> {label: probability}
        for m in itertools.product((0, 1), repeat=steps):
            p = float(np.prod([rate if b else 1 - rate for b in m]))
            label = int(any(m[:t]) and any(m[t + 1:]))
            seen = m[:t + 1] if side == "past" else m[t:]
            seen_weight.setdefault(seen, [0.0, 0.0])[label] += p
        total += sum(max(w) for w in seen_weight.values())   # the best guess for each thing it can see
    return total / steps


@pytest.mark.parametrize("steps,rate", [(6, 0.2), (7, 0.35), (5, 0.6)])
def test_one_side_ceilings_equal_a_brute_force_count_over_every_sequence(steps, rate):
    assert past_only_ceiling(steps, rate) == pytest.approx(_brute_force_ceiling(steps, rate, "past"), abs=1e-12)
    assert future_only_ceiling(steps, rate) == pytest.approx(_brute_force_ceiling(steps, rate, "future"), abs=1e-12)


@pytest.mark.parametrize("side,ceiling", [("past", past_only_ceiling), ("future", future_only_ceiling)])
def test_one_side_guess_scores_its_ceiling_on_many_sequences(side, ceiling):
    x, y = both_sides_data(20000, 12, seed=4)
    measured = (one_side_guess(x, 0.2, side) == y).float().mean().item()
    assert abs(measured - ceiling(12, 0.2)) < 0.005          # the SD over 20 000 sequences is about 0.001


def test_the_past_only_guess_reads_no_step_after_t():
    x, _ = both_sides_data(200, 10, seed=6)
    changed = x.clone()
    changed[:, 6:] = torch.tensor([0.0, 1.0])                # markers everywhere from step 6 on
    assert torch.equal(one_side_guess(x, 0.2, "past")[:, :6], one_side_guess(changed, 0.2, "past")[:, :6])


def test_the_task_is_symmetric_so_both_ceilings_are_equal_and_well_below_one():
    assert past_only_ceiling(12, 0.2) == pytest.approx(future_only_ceiling(12, 0.2), abs=1e-12)
    assert 0.83 < past_only_ceiling(12, 0.2) < 0.85


@pytest.mark.parametrize("call", [lambda: majority_data(3, 4, seed=0), lambda: both_sides_data(3, 4, seed=0, rate=0),
                                  lambda: reverse_data(0, 4, seed=0),
                                  lambda: one_side_guess(both_sides_data(2, 4, seed=0)[0], side="both")])
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
