"""Notebook 04's gap-task experiments and the table of 100 seeds its claims rest on."""

import math

import numpy as np
import pytest
import torch

from course_utils.gap_experiments import (CLIP_BUDGET, GAP_TABLE, GATE_TABLE, GATE_VARIANTS, LAG_VARIANTS, lag_run,
                                          load_gap_table, plausible_count, rate_text, train_sgd, train_truncated,
                                          wilson_interval)
from course_utils.memory_task import RecallNet


def test_wilson_interval_contains_the_rate_and_narrows_with_n():
    lo, hi = wilson_interval(30, 100)
    assert lo < 0.3 < hi and 0.2 < lo and hi < 0.4
    lo_big, hi_big = wilson_interval(300, 1000)
    assert hi_big - lo_big < hi - lo
    assert wilson_interval(0, 100)[0] == 0 and wilson_interval(100, 100)[1] == pytest.approx(1)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(6, 5)


def test_plausible_count_rejects_only_draws_far_from_the_table_rate():
    assert plausible_count(5, 5, 98, 100) and plausible_count(3, 5, 98, 100)
    assert not plausible_count(0, 5, 100, 100)          # 0 of 5 where 100 of 100 held: p ≈ 1e-9
    assert not plausible_count(5, 5, 0, 100)
    assert plausible_count(1, 5, 5, 100) and plausible_count(0, 5, 50, 100)


def test_rate_text_names_the_interval():
    assert rate_text(30, 100) == "30% of runs (95% interval 22%–40%)"


def test_sgd_run_records_norms_before_clipping_and_clipping_bounds_every_step():
    unclipped, clipped = train_sgd(3, None, steps=8, device="cpu"), train_sgd(3, 1.0, steps=8, device="cpu")
    assert len(unclipped.losses) == len(unclipped.grad_norms) == 8
    assert unclipped.grad_norms[0] == pytest.approx(clipped.grad_norms[0])     # the same first gradient
    assert clipped.clipped_fraction(1.0) == np.mean(clipped.grad_norms > 1.0)
    assert 0 <= clipped.test_accuracy <= 1 and clipped.held() == (clipped.test_accuracy >= 0.95)


def test_spike_is_inf_once_the_loss_is_not_finite():
    run = train_sgd(0, None, steps=2, device="cpu")
    run.losses = np.array([0.7, math.nan])
    assert run.spike() == math.inf


def test_truncation_at_a_window_longer_than_the_sequence_is_full_bptt():
    assert train_truncated(2, 3, 50, steps=4, device="cpu") == train_truncated(2, 3, None, steps=4, device="cpu")


def test_lag_run_rejects_unknown_variants_and_partial_epochs():
    with pytest.raises(ValueError, match="variant"):
        lag_run("LSTM", 20, 0)
    with pytest.raises(ValueError, match="multiple of 4"):
        lag_run("GRU", 20, 0, steps=10)


def test_the_table_covers_seeds_0_to_99_the_blocks_of_3_runs_up_to_unrolled_seed_32_and_every_experiment():
    table = load_gap_table()
    runs = table["runs"]
    assert [row["seed"] for row in runs] == list(range(100))
    for row in runs:
        assert set(row["lag"]) == set(LAG_VARIANTS)
        assert all(0 <= acc <= 1 for by_lag in row["lag"].values() for acc in by_lag.values())
        assert set(row["sgd"]) == {"irnn", "irnn clipped", "default clipped"}
        assert set(row["truncation"]) == {"window 5", "full"}
    assert len(table["long_runs"]) >= 20 and GAP_TABLE.name == "gap_task_runs.json"


@pytest.mark.parametrize("seed", [7, 62])
def test_table_entries_reproduce_on_this_machine(seed):
    """The table is what the notebook's own code trains (CPU, one thread): two seeds, three experiments."""
    row = load_gap_table()["runs"][seed]
    assert lag_run("RNN (orthogonal)", 20, seed, device="cpu").test_accuracy[-1] == pytest.approx(
        row["lag"]["RNN (orthogonal)"]["20"], abs=0.02)
    assert train_sgd(seed, 1.0, device="cpu").test_accuracy == pytest.approx(row["sgd"]["irnn clipped"]["accuracy"], abs=0.02)
    assert train_truncated(seed, 10, 5, device="cpu") == pytest.approx(row["truncation"]["window 5"]["10"], abs=0.02)


def test_chrono_initialisation_draws_forget_biases_in_log_1_to_t_max_minus_1_and_input_biases_opposite():
    torch.manual_seed(0)
    lstm = RecallNet("lstm", 64, chrono_t_max=21).rnn
    H = 64
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()
    b_i, b_f = b[:H], b[H:2 * H]
    assert torch.all(b_f >= 0) and torch.all(b_f <= math.log(20)) and torch.allclose(b_i, -b_f)
    assert b_f.std() > 0.3                                         # spread over time scales, not one value


def test_the_update_bias_sets_the_gru_update_gate_only():
    gru = RecallNet("gru", 8, update_bias=3.0).rnn
    total = (gru.bias_ih_l0 + gru.bias_hh_l0).detach()
    assert torch.allclose(total[8:16], torch.full((8,), 3.0))      # torch's rows: reset, update, new
    with pytest.raises(ValueError, match="update-gate"):
        RecallNet("lstm", 8, update_bias=3.0)
    with pytest.raises(ValueError, match="chrono"):
        RecallNet("gru", 8, chrono_t_max=21)


def test_lag_run_trains_the_gate_variants():
    run = lag_run("GRU (update bias +3)", 5, 0, steps=4, device="cpu")
    total = (run.model.rnn.bias_ih_l0 + run.model.rnn.bias_hh_l0).detach()
    assert 0 <= run.test_accuracy[-1] <= 1 and total[16:32].mean() > 2.5    # trained 4 steps from +3
    assert lag_run("LSTM (chrono)", 5, 0, steps=4, device="cpu").model.cell == "lstm"


def test_train_sgd_with_adam_moves_the_weights_differently_from_sgd():
    sgd = train_sgd(1, None, recurrent_init="default", gap=3, steps=3, lr=1e-2, device="cpu")
    adam = train_sgd(1, None, recurrent_init="default", gap=3, steps=3, lr=1e-2, optimizer="adam", device="cpu")
    assert sgd.losses[0] == pytest.approx(adam.losses[0]) and sgd.losses[-1] != pytest.approx(adam.losses[-1])
    with pytest.raises(ValueError, match="optimizer"):
        train_sgd(1, None, steps=1, optimizer="rmsprop", device="cpu")


def test_the_gate_table_covers_every_gate_variant_and_the_clipping_budget():
    table = load_gap_table(GATE_TABLE)
    runs = table["runs"]
    assert len(runs) >= 100 and [row["seed"] for row in runs] == list(range(len(runs)))
    assert table["settings"]["clip_budget"] == CLIP_BUDGET
    for row in runs:
        assert set(row["lag"]) == set(GATE_VARIANTS) and set(row["clip_budget"]) == {"3", "5", "10", "20"}
        assert all(0 <= acc <= 1 for by_lag in row["lag"].values() for acc in by_lag.values())


@pytest.mark.parametrize("seed", [11])
def test_gate_table_entries_reproduce_on_this_machine(seed):
    row = load_gap_table(GATE_TABLE)["runs"][seed]
    assert lag_run("LSTM (chrono)", 20, seed, device="cpu").test_accuracy[-1] == pytest.approx(
        row["lag"]["LSTM (chrono)"]["20"], abs=0.02)
    run = train_sgd(seed, 1.0, recurrent_init="default", gap=3, device="cpu", **CLIP_BUDGET)
    assert run.test_accuracy == pytest.approx(row["clip_budget"]["3"]["accuracy"], abs=0.02)
