"""The bit-across-a-gap training runs behind notebook 05's rates."""

import numpy as np
import pytest
import torch

from course_utils.memory_task import recall_runs, train_recall


def test_a_run_is_repeatable_and_records_every_epoch():
    first = train_recall("rnn", gap=3, seed=4, epochs=2, n_train=256)
    second = train_recall("rnn", gap=3, seed=4, epochs=2, n_train=256)
    assert len(first.test_accuracy) == len(first.train_accuracy) == 2
    assert first.test_accuracy == second.test_accuracy and first.train_accuracy == second.train_accuracy


def test_other_seeds_start_from_other_weights():
    a, b = (train_recall("lstm", gap=3, seed=s, epochs=0) for s in (0, 1))
    assert not torch.equal(a.model.rnn.weight_hh_l0, b.model.rnn.weight_hh_l0)


def test_fresh_data_cannot_be_memorised_but_a_fixed_set_can():
    # a 2-unit RNN on 32 fixed noise sequences with a gap of 12 memorises them; fresh data each epoch
    # gives it nothing to memorise, so training accuracy stays near the held-out one
    fixed = train_recall("rnn", gap=12, seed=0, epochs=60, n_train=32, fresh_data=False, hidden_size=16)
    fresh = train_recall("rnn", gap=12, seed=0, epochs=60, n_train=32, fresh_data=True, hidden_size=16)
    assert fixed.train_accuracy[-1] - fixed.test_accuracy[-1] > 0.2
    assert abs(fresh.train_accuracy[-1] - fresh.test_accuracy[-1]) < 0.25


def test_held_reads_the_last_held_out_accuracy():
    run = train_recall("rnn", gap=2, seed=0, epochs=1, n_train=128)
    run.test_accuracy[-1] = 0.96
    assert run.held()
    run.test_accuracy[-1] = 0.94
    assert not run.held()


def test_recall_runs_trains_one_run_per_seed():
    runs = recall_runs("gru", 2, [3, 5], progress=False, epochs=1, n_train=128)
    assert [run.seed for run in runs] == [3, 5]


@pytest.mark.parametrize("device", ["cpu"] + (["cuda"] if torch.cuda.is_available() else []))
def test_runs_use_the_same_data_on_any_device(device):
    run = train_recall("lstm", gap=3, seed=2, epochs=2, n_train=256, device=device)
    cpu = train_recall("lstm", gap=3, seed=2, epochs=2, n_train=256, device="cpu")
    assert np.allclose(run.test_accuracy, cpu.test_accuracy, atol=0.01)


def test_the_shipped_rate_table_has_a_share_and_a_mean_per_epoch_for_every_model():
    from course_utils.memory_task import recall_rate_table
    table = recall_rate_table("noise", 10)
    assert set(table) == {"RNN", "LSTM (default init)", "LSTM (forget bias +1)", "GRU"}
    for rates in table.values():
        assert len(rates["held"]) == len(rates["mean"]) == 10
        assert all(0.0 <= r <= 1.0 for r in rates["held"]) and all(0.4 <= m <= 1.0 for m in rates["mean"])


def test_a_missing_rate_table_is_named_in_a_clear_message():
    from course_utils.memory_task import recall_rate_table
    with pytest.raises(ValueError, match="no rate table for 'noise' distractors at gap 7"):
        recall_rate_table("noise", 7)


def test_measuring_only_the_last_epoch_gives_the_same_final_accuracy():
    every = train_recall("gru", gap=3, seed=1, epochs=2, n_train=256)
    last = train_recall("gru", gap=3, seed=1, epochs=2, n_train=256, every_epoch=False)
    assert last.test_accuracy == every.test_accuracy[-1:]
