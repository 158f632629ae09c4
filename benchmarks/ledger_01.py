"""The claims ledger of notebook 01 (course_utils/data/ledger/01.json; spec: LEDGER.md, issue #33).

    python benchmarks/ledger_01.py --measure --seeds 1000-1119   # run the notebook at each seed (~1 s a seed)
    python benchmarks/ledger_01.py                                # rebuild the ledger from the stored samples

--measure executes the notebook's code cells in-process at each UNROLLED_SEED and stores the value of every
quantity an assert or a prose figure is about in course_utils/data/ledger_samples_01.json; the ledger is then
built from those samples (every quantity comes from training, so the unit is "runs").
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_common import ROOT, binomial_sf, clopper_pearson_upper, make_entry, run_notebook_at_seeds, seed_range, seeds_argument, write_ledger  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "01_feedforward_vs_recurrent.ipynb"
SAMPLES = ROOT / "course_utils" / "data" / "ledger_samples_01.json"
EXPRESSIONS = {
    "rnn_acc": "rnn_acc", "mlp_acc": "mlp_acc", "window_acc": "window_acc", "surest": "surest",
    "acc_clue": "acc_clue", "acc_no_clue": "acc_no_clue",
    "reads_400": "float(ys[-1].argmax() == labels[400])",
    "h_apart": "h_apart", "apart": "apart", "p_wolf_sofa": "float(p_wolf[-1])", "p_wolf_bear": "float(p_wolf_bear[-1])",
    "length_acc": "length_acc", "window_length_acc": "window_length_acc", "guessing_bound": "guessing_bound",
    "catch": "catch", "early": "float(early)", "late": "float(late)", "default_share": "float(default_share)",
    "before_acc": "before_acc", "after_acc": "after_acc",
}


cp_upper = clopper_pearson_upper   # one-sided, 99.9% by default, in log space (any n)


def measure(seeds: range, jobs: int) -> None:
    """Run the notebook at every seed and store the samples."""
    values = run_notebook_at_seeds(NOTEBOOK, seeds, EXPRESSIONS, jobs=jobs)
    SAMPLES.write_text(json.dumps({"seeds": [seeds[0], seeds[-1]], **values}) + "\n")
    failed = [f for f in values["_failed"] if f]
    print(f"{len(seeds)} seeds, {len(failed)} with a failing cell: {failed[:3]}")


def main() -> None:
    """Measure (optionally) and write the ledger."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seeds_argument(parser, default="1000-1119")
    parser.add_argument("--measure", action="store_true")
    args = parser.parse_args()
    if args.measure:
        measure(seed_range(args.seeds), args.jobs)
    build()


def pooled_clip_bound(accuracies: list[float], n_clips: int, threshold: float) -> tuple[float, str]:
    """P(one run scores below threshold on n_clips clips) if each clip is missed independently at the 99.9%
    Clopper-Pearson bound of the per-clip miss rate pooled over all measured runs."""
    misses = int(round(sum((1 - a) * n_clips for a in accuracies)))
    upper = cp_upper(misses, n_clips * len(accuracies))
    allowed = int(np.floor((1 - threshold) * n_clips + 1e-9))        # misses that still pass
    p = binomial_sf(n_clips, allowed, upper)
    why = (f"{misses} misses in {len(accuracies)} runs × {n_clips} clips; per-clip miss rate ≤ {upper:.3g} (99.9% "
           f"Clopper-Pearson); P(more than {allowed} misses of {n_clips}) treating clips as independent")
    return p, why


def saturated(id_: str, cell: str, assert_: str, statistic: str, values: list[float], n_clips: int,
              threshold: float) -> dict:
    """An accuracy that is 100% in nearly every run: a bound from the pooled per-clip miss rate."""
    p, why = pooled_clip_bound(values, n_clips, threshold)
    return make_entry(id_, cell, assert_, statistic, values, "runs", threshold, None, "bound",
                      p_fail=float(f"{p:.6g}"), why=why)


def record(id_: str, statistic: str, values: list[float]) -> dict:
    """A quantity quoted in prose without an assert."""
    return make_entry(id_, None, None, statistic, values, "runs", None, None, "none")


def build() -> None:
    """Write course_utils/data/ledger/01.json from the stored samples."""
    s = json.loads(SAMPLES.read_text())
    write_run_table(s)
    col = lambda name, f=lambda v: v: [f(v) for v in s[name]]
    entries = [
        saturated("01.rnn_acc", "329cdc2c", "rnn_acc >= 0.98", "held-out accuracy of the RNN (200 clips)",
                  col("rnn_acc"), 200, 0.98),
        normal_entry("01.rnn_minus_mlp", "329cdc2c", "rnn_acc - mlp_acc >= 0.3",
                     "RNN minus one-frame MLP, held-out accuracy", [a - b for a, b in zip(col("rnn_acc"), col("mlp_acc"))],
                     0.3, None),
        saturated("01.window_acc", "940077fa", "window_acc >= 0.98", "held-out accuracy of the window MLP (200 clips)",
                  col("window_acc"), 200, 0.98),
        normal_entry("01.surest", "aeb22094", "surest >= 0.55", "the RNN's largest confidence on 200 clue-less clips",
                     col("surest"), 0.55, None),
        saturated("01.acc_clue", "186813e3", "acc_clue >= 0.98", "3-answer RNN: held-out accuracy on clips with a clue",
                  col("acc_clue"), 150, 0.98),
        saturated("01.acc_no_clue", "186813e3", "acc_no_clue >= 0.95",
                  "3-answer RNN: 'cannot tell' on held-out clips without a clue", col("acc_no_clue"), 50, 0.95),
        normal_entry("01.h_apart_min", "83ce1f73", "np.all(h_apart[2:] > 1.0)",
                     "smallest distance between the sofa and bear states from the clue on", col("h_apart", lambda v: min(v[2:])),
                     1.0, None),
        normal_entry("01.apart_last", "83ce1f73", "apart[-1] > 0.9", "|P(wolf | bear) − P(wolf | sofa)| at the last frame",
                     col("apart", lambda v: v[-1]), 0.9, None),
        normal_entry("01.sides", "83ce1f73", "p_wolf[-1] < 0.5 < p_wolf_bear[-1]",
                     "min(0.5 − P(wolf | sofa), P(wolf | bear) − 0.5) at the last frame",
                     [min(0.5 - a, b - 0.5) for a, b in zip(col("p_wolf_sofa"), col("p_wolf_bear"))], 0.0, None,
                     threshold_expr="p_wolf < 0.5 < p_wolf_bear ⇔ the statistic > 0"),
        saturated("01.length5", "80e35bc7", "length_acc[0] >= 0.98", "RNN accuracy on 500 new 5-frame clips",
                  col("length_acc", lambda v: v[0]), 500, 0.98),
        normal_entry("01.window_bound", "80e35bc7", "all(acc <= bound + 0.08",
                     "largest (window MLP accuracy − see-the-clue-else-guess bound) over the lengths",
                     [max(a - b for a, b in zip(w, g)) for w, g in zip(col("window_length_acc"), col("guessing_bound"))],
                     None, 0.08, threshold_expr="bound + 0.08"),
    ] + position_entries(s) + records(s)
    path = write_ledger("01", NOTEBOOK.name, entries, FIXED, PROSE)
    worst = max(entries, key=lambda e: e["p_fail"])
    print(f"wrote {path}: {len(entries)} entries, worst p_fail {worst['p_fail']:.2g} ({worst['id']})")


def normal_entry(id_, cell, assert_, statistic, values, low, high, **extra) -> dict:
    """A runs entry with a normal tail."""
    return make_entry(id_, cell, assert_, statistic, values, "runs", low, high, "normal", **extra)



FIXED = [{"cell": c, "assert": a, "why": w} for c, a, w in [
    ("9de3473f", 'np.all(clips[:, -1].argmax(1) == FRAMES.index("white animal"))', "the generator puts the animal last"),
    ("329cdc2c", "torch.all(mlp_answers == mlp_answers[0])", "every clip's last frame is the same: one input, one answer"),
    ("4bc37830", "err <= 1e-6", "numpy vs torch in float64: rounding (~1e-15) at any seed"),
    ("4bc37830", "ys[-1].argmax() == y_torch[0, -1].argmax().item()", "the same float64 numbers give the same argmax"),
    ("83ce1f73", "np.all(apart[:2] == 0) and np.all(h_apart[:2] == 0)", "identical frames so far: identical states"),
    ("5238d233", "rnn_counts == [H * D + H * H + 2 * H + C * H + C] * len(lengths)", "parameter counts: exact"),
    ("5238d233", "mlp_counts == [H * T * D + H + C * H + C for T in lengths]", "parameter counts: exact"),
    ("5238d233", "crossover == 3 and mlp_counts[-1] > 8 * rnn_counts[0]", "parameter counts: exact"),
    ("a4c9e2b7", 'np.median(runs["late"]) <= 0.65', "read from the shipped run table: the same at every seed"),
    ("a4c9e2b7", 'np.mean(np.array(runs["early"]) >= 0.9) >= 0.85', "read from the shipped run table: the same at every seed"),
    ("7d2f0c11", "typical_before[-1] <= 0.6 and typical_after[-1] >= 0.95",
     "medians read from the shipped run table: the same at every seed"),
    ("0042e994", "check_rnn_step(solution_rnn_step", "the solution passes its checker (fixed cases)"),
    ("c0d6b472", "check_param_count(solution_param_count", "the solution passes its checker (fixed cases)"),
    ("c0d6b472", "solution_param_count(6, 8, 2) == n_params(ClipRNN(6, 8, 2))", "parameter counts: exact"),
]]


def position_entries(s: dict) -> list[dict]:
    """Section 4: the catch rate by clue position in 20-frame clips."""
    late = s["late"]
    return [record("01.late_share", "share right when the clue is in frames 9–19 (T = 20)", late),
            record("01.early", "share right when the clue is in frames 1–5 (T = 20)", s["early"]),
            record("01.early_at_least_90", "1 if clues in frames 1–5 are caught at least 90% of the time, else 0",
                   [float(v >= 0.9) for v in s["early"]]),
            record("01.early_below_60", "1 if clues in frames 1–5 are caught less than 60% of the time, else 0",
                   [float(v < 0.6) for v in s["early"]]),
            record("01.late_above_90", "1 if clues in frames 9–19 are caught more than 90% of the time, else 0",
                   [float(v > 0.9) for v in late]),
            record("01.len20_above_90", "1 if the RNN is right on more than 90% of 20-frame clips, else 0",
                   [float(v[3] > 0.9) for v in s["length_acc"]]),
            record("01.default_90", "1 if the RNN gave one answer to at least 90% of the late-clue clips, else 0",
                   [float(v >= 0.9) for v in s["default_share"]]),
            record("01.before15", "accuracy with 15 filler frames before the clue (clue, 1 filler, animal)",
                   [v[-1] for v in s["before_acc"]]),
            record("01.after15", "accuracy with the clue in frame 1 and 15 filler frames after it",
                   [v[-1] for v in s["after_acc"]])]


TABLE_KEYS = ("late", "early", "default_share", "length_acc", "before_acc", "after_acc")


def write_run_table(s: dict) -> None:
    """The notebook's shipped run table (course_utils/data/clip_runs_01.json): the measured runs, one row a run."""
    table = {"made_by": "benchmarks/ledger_01.py", "fillers": [0, 3, 6, 9, 12, 15],
             **{key: [[round(x, 4) for x in v] if isinstance(v, list) else round(v, 4) for v in s[key]]
                for key in TABLE_KEYS}}
    (ROOT / "course_utils" / "data" / "clip_runs_01.json").write_text(json.dumps(table) + "\n")


def records(s: dict) -> list[dict]:
    """Quantities quoted in prose only."""
    col = lambda name, i: [v[i] for v in s[name]]
    return [record("01.h_clue", "distance of the sofa and bear states at the clue frame", col("h_apart", 2)),
            record("01.h_last", "distance of the sofa and bear states at the last frame", col("h_apart", -1)),
            record("01.apart_clue", "|P(wolf | bear) − P(wolf | sofa)| at the clue frame", col("apart", 2)),
            record("01.apart_last_q", "|P(wolf | bear) − P(wolf | sofa)| at the last frame", col("apart", -1)),
            record("01.len10", "RNN accuracy, 10-frame clips", col("length_acc", 1)),
            record("01.len20", "RNN accuracy, 20-frame clips", col("length_acc", 3)),
            record("01.len5", "RNN accuracy, 5-frame clips", col("length_acc", 0)),
            record("01.win10", "window MLP accuracy, 10-frame clips", col("window_length_acc", 1)),
            record("01.win20", "window MLP accuracy, 20-frame clips", col("window_length_acc", 3)),
            record("01.bound10", "see-the-clue-else-guess bound, 10-frame clips", col("guessing_bound", 1)),
            record("01.bound20", "see-the-clue-else-guess bound, 20-frame clips", col("guessing_bound", 3)),
            record("01.acc_clue_q", "3-answer RNN, clips with a clue", s["acc_clue"]),
            record("01.acc_no_clue_q", "3-answer RNN, clips without a clue", s["acc_no_clue"]),
            record("01.window_acc_q", "window MLP, 5-frame clips", s["window_acc"])]


def _p(cell: str, text: str, entry: str, lo: str = "0.05", hi: str = "0.95") -> dict:
    """A prose item."""
    return {"cell": cell, "text": text, "entry": entry, "from": lo, "to": hi}


PROSE = [
    _p("aeb22094", "70–100%", "01.surest", "min", "max"), _p("669f48e4", "70–100%", "01.surest", "min", "max"),
    _p("1c3088d6", "70–100%", "01.surest", "min", "max"),
    _p("83ce1f73", "2.6–3.5", "01.h_clue"), _p("83ce1f73", "4.5–5.6", "01.h_last"),
    _p("83ce1f73", "0.998", "01.apart_last_q"), _p("83ce1f73", "0.20–0.97", "01.apart_clue"),
    _p("80e35bc7", "RNN 100%", "01.len5", "min"), _p("80e35bc7", "77–96%", "01.len10"),
    _p("80e35bc7", "62–77%", "01.len20"), _p("1c3088d6", "62–77%", "01.len20"),
    _p("80e35bc7", "69–75%", "01.win10"), _p("80e35bc7", "57–64%", "01.win20"),
    _p("80e35bc7", "70–74%", "01.bound10"), _p("80e35bc7", "58–62%", "01.bound20"),
    _p("b5d0f3c8", "caught 100% of the time", "01.early", "median"),
    _p("b5d0f3c8", "97% of runs", "01.early_at_least_90", "mean"),
    _p("186813e3", "typically 100%", "01.acc_clue_q", "median"), _p("186813e3", "and 100%", "01.acc_no_clue_q", "median"),
    _p("940077fa", "typically 100%", "01.window_acc_q", "median"),
    _p("1c3088d6", "typically 100% on held-out clips", "01.acc_no_clue_q", "median"),
    _p("b5d0f3c8", "49–73%", "01.late_share"), _p("b5d0f3c8", "2.5% of runs", "01.early_below_60", "mean"),
    _p("b5d0f3c8", "in 64% of runs", "01.default_90", "mean"), _p("b5d0f3c8", "in 2% of runs", "01.late_above_90", "mean"),
    _p("b5d0f3c8", "follow (100%", "01.after15", "median"), _p("b5d0f3c8", "(typically 50%", "01.before15", "median"),
]


if __name__ == "__main__":
    main()
