"""The shipped table behind notebook 04's claim that a smaller learning rate does not do what clipping does
(course_utils/data/gap_task_lr.json, written by benchmarks/gap_task_lr.py)."""

import json
from pathlib import Path

import pytest

from course_utils.gap_experiments import GATE_TABLE, HELD, load_gap_table, train_sgd, wilson_interval

LR_TABLE = GATE_TABLE.with_name("gap_task_lr.json")


def test_the_lr_table_covers_the_seeds_of_the_lr_0_05_runs_at_both_smaller_rates():
    runs = load_gap_table(LR_TABLE)["runs"]
    assert [row["seed"] for row in runs] == [row["seed"] for row in load_gap_table()["runs"]] == list(range(100))
    assert all(set(row["irnn"]) == {"0.005", "0.01"} for row in runs)


def test_unclipped_runs_at_a_smaller_rate_hold_the_bit_far_less_often_than_clipped_runs():
    runs, base = load_gap_table(LR_TABLE)["runs"], load_gap_table()["runs"]
    clipped = wilson_interval(sum(r["sgd"]["irnn clipped"]["accuracy"] >= HELD for r in base), len(base))
    for lr in ("0.005", "0.01"):
        held = sum(r["irnn"][lr]["accuracy"] >= HELD for r in runs)
        assert wilson_interval(held, len(runs))[1] < clipped[0]


@pytest.mark.parametrize("seed, lr", [(7, "0.005"), (41, "0.01")])
def test_lr_table_entries_reproduce_on_this_machine(seed, lr):
    row = load_gap_table(LR_TABLE)["runs"][seed]
    assert train_sgd(seed, None, lr=float(lr), device="cpu").test_accuracy == pytest.approx(
        row["irnn"][lr]["accuracy"], abs=0.02)
