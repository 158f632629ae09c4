"""Notebook 00's ledger (course_utils/data/ledger/00.json): of its nine asserts one is on a random quantity, the
numpy-vs-torch gap of tanh(W x + b) at random W, x, b; measured by running the notebook's cells up to it at many
UNROLLED_SEED values. The other eight are the same at every seed and device.

Run: nice -n 10 .venv/bin/python benchmarks/ledger_00.py [--seeds 1000-1999] [--jobs 1]
"""

from __future__ import annotations

import argparse

from ledger_common import fixed_items, make_entry, run_notebook_at_seeds, seed_range, seeds_argument, write_ledger

NOTEBOOK = "00_start_here.ipynb"
FORMULA_CELL = "04d3b79f"
BOUND_WHY = ("float64 rounding: tanh is 1-Lipschitz, so the gap is at most the two pre-activations' rounding gap plus "
             "an ulp of tanh, about 4e-16 x (|W||x| + |b|); reaching 1e-12 needs a term near 1e3, i.e. a standard "
             "normal draw beyond 19 sd (chance < 1e-70). Measured values are 0 to a few 1e-16.")
FIXED = [
    ("e2364c1e", "assert not problems", "the packages installed on the machine: the same at every seed"),
    ("6d2f59fc", "probe.sum().item() == 2048", "1024 x 2 is exact in float32 on every device"),
    ("9805ae4d", "scrubber.n_steps == len(t)", "the scrubber's steps are the fixed 12 steps of t"),
    ("9805ae4d", "np.allclose(scrubber.values(\"hidden\")[5], waves[5], atol=1e-3)",
     "fixed waves (no random numbers); the scrubber stores 4 digits"),
    ("65dc6f8f", "np.allclose(live.figure.data[0].y, np.tanh(3.0 * s))", "a fixed curve, no random numbers"),
    ("dcf231d0", "check_dense_tanh(dense_tanh_solution, record=False)",
     "the checker's probes come from its own fixed generator (default_rng(0)), not UNROLLED_SEED"),
    ("29581077", "check_output_size(4, record=False)", "an exact integer answer"),
    ("cb857acf", "sum(progress.counts().values()) == 26", "the number of exercises in the course: fixed"),
]


def main() -> None:
    """Measure the formula check's gap at each seed and write the ledger."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seeds_argument(parser)
    args = parser.parse_args()
    got = run_notebook_at_seeds(f"notebooks/{NOTEBOOK}", seed_range(args.seeds), {"error": "error"},
                                stop_after=FORMULA_CELL, jobs=args.jobs)
    failed = [f for f in got["_failed"] if f]
    assert not failed, f"cells failed at some seeds: {failed[:5]}"
    entries = [make_entry("00.numpy_torch_gap", FORMULA_CELL, "error < 1e-12",
                          "max |numpy − torch| of tanh(W x + b), W (3, 2), x, b standard normal", got["error"],
                          "draws", None, 1e-12, "bound", p_fail=1e-30, why=BOUND_WHY)]
    path = write_ledger("00", NOTEBOOK, entries, fixed_items(FIXED), prose=[])
    e = entries[0]
    print(f"{path}: n {e['n']}, min {e['min']:.2g}, median {e['median']:.2g}, max {e['max']:.2g}")


if __name__ == "__main__":
    main()
