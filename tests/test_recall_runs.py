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
