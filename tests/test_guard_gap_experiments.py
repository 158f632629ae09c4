"""Guards on notebook 04's gap-task experiments (course_utils/gap_experiments.py): each test fails on one
real bug that the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

import numpy as np

from course_utils.gap_experiments import HELD, SGDRun, train_truncated


def _run(test_accuracy: float) -> SGDRun:
    """A run record with only its held-out accuracy filled in (held() reads nothing else)."""
    return SGDRun(model=None, losses=np.ones(2), grad_norms=np.ones(2), test_accuracy=test_accuracy)


def test_a_run_at_exactly_95_percent_holds_the_bit():
    assert HELD == 0.95
    assert _run(950 / 1000).held(), "950 of 1000 held-out sequences right is 'at least 95%': it holds"
    assert not _run(949 / 1000).held()


def test_a_window_of_5_steps_cuts_the_gradient_that_full_bptt_uses():
    """At gap 20 the bit lies 15 steps before a 5-step window: the cut changes training. Seeds 0-2 (CPU):
    full BPTT holds in all three runs; the truncated runs end at 0.72, 0.95, 1.0 (one below 0.95)."""
    full = [train_truncated(seed, 20, None, device="cpu") for seed in range(3)]
    window = [train_truncated(seed, 20, 5, device="cpu") for seed in range(3)]
    assert min(full) >= HELD, f"full BPTT at gap 20: {full}"
    assert min(window) < 0.9 and window != full, \
        f"a 5-step window trained like full BPTT ({window} vs {full}): is the state detached at the cut?"
