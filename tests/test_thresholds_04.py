"""Notebook 04's per-seed thresholds against the distributions measured over 1000 values of UNROLLED_SEED
(benchmarks/thresholds_04.py → course_utils/data/thresholds_04.json): every seed measured lies inside every
threshold, so a threshold set by hand cannot drift into the measured range unnoticed. The tail estimates behind each
threshold (p_fail <= 1e-4) are in the claims ledger, course_utils/data/ledger/04.json (benchmarks/ledger_04.py)."""

import json
import math
from pathlib import Path

import pytest

LEDGER = json.loads((Path(__file__).parents[1] / "course_utils" / "data" / "thresholds_04.json").read_text())
Q = LEDGER["quantities"]

# quantity: (lowest allowed, highest allowed), as the notebook asserts them
THRESHOLDS = {
    "order_gap": (0.01, None), "max_rate_below_1": (None, 1.0), "linear_rate_off": (None, 0.2),
    "tanh_minus_linear_max": (None, 0.0), "linear_last_min_rho_above_1": (10, None), "tanh_rate_1.1": (None, 0.95),
    "tanh_rate_1.1_over_0.5": (1.3, None), "relu_all_on_last": (100, None), "relu_vanished_of_20": (12, None),
    "weak_C_min": (0.15, None), "weak_C_max": (None, 50), "strong_horizon_0.3": (None, 10),
    "strong_horizon_1.0": (None, 30), "edge_sigma_0.5": (1.4, 2.3), "edge_sigma_1": (1.7, 2.6),
    "edge_gap_1_minus_0.5": (0.1, None), "coarse_rise_min_sigma_0.5_1": (0.0, None), "factor_1_0.05": (None, 1.0),
    "factor_3_1": (1.0, None), "chaos_growth_median_of_7": (1e3, None), "linear_spread": (10, None),
    "linear_horizon_0.2": (None, 10), "linear_excess_min": (0.0, None), "linear_excess_max": (None, math.log(100)),
    "drive_effect": (1.5, None), "rho_effect_sigma_1": (None, 4), "tanh_sigma_1_all_finite": (1, None),
    "never_of_20_at_rho_1.2_sigma_0.1": (2, 19), "far_share_d_ge_10": (None, 0.2), "term_2_over_last": (None, 0.25),
    "bit_share": (None, 0.1), "adam_over_sgd_bit_step": (1e2, 1e10), "rho_default_seed": (0.4, 1.0),
    "forget_path_+1": (None, 1e-2), "forget_path_+3": (0.2, None),
    "weak_plateau_min": (0.75, None), "weak_plateau_max": (None, 1.15), "edge16_sigma_0.5": (1.6, None),
    "edge16_sigma_1.0": (2.05, None), "rho_effect_sigma_1_1.5": (1.1, 10), "rho_default_median_H64": (0.57, 0.64),
    "rho_default_median_H128": (0.57, 0.64), "adam_noise_median_step": (0.1, 0.25),
    "strong_horizon_median_of_20_1.6": (15, 40), "strong_horizon_median_of_20_gap": (5, None),
}


def test_the_ledger_covers_1000_seeds():
    assert LEDGER["seeds"] >= 1000 and all(Q[name]["n"] == LEDGER["seeds"] for name in THRESHOLDS)


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_every_measured_seed_lies_inside_the_notebooks_threshold(name):
    low, high = THRESHOLDS[name]
    assert Q[name]["finite"] == Q[name]["n"], f"{name}: some seeds gave no finite value"
    assert low is None or Q[name]["min"] >= low, (name, Q[name]["min"], low)
    assert high is None or Q[name]["max"] <= high, (name, Q[name]["max"], high)


def test_default_init_radius_over_100000_draws_supports_the_asserts():
    draws, medians, q99s = (LEDGER[k] for k in ("rho_default_draws", "rho_default_median_of_1000",
                                                "rho_default_q99_of_1000"))
    assert draws["n"] >= 100_000 and 0.4 < draws["min"] and draws["max"] < 1.0
    assert 0.59 < medians["min"] and medians["max"] < 0.63 and q99s["max"] < 0.9


def test_chrono_forget_path_lies_between_bias_1_and_bias_3_at_every_seed():
    assert Q["forget_path_chrono"]["min"] > Q["forget_path_+1"]["max"]
    assert Q["forget_path_chrono"]["max"] < Q["forget_path_+3"]["min"]
