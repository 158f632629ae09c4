"""Claims ledger for notebook 06 (LEDGER.md): runs the notebook's own training cells in-process at many
UNROLLED_SEED values, records each random quantity an assert or the prose uses, and writes
course_utils/data/ledger/06.json (entries with tails and failure chances, fixed asserts, prose figures).

    python benchmarks/ledger_06.py --runs 100          # seeds 1000..1099, ~5-15 min on one thread
    python benchmarks/ledger_06.py --from-raw          # rebuild the JSON from the saved per-run values

The long runs of the tutorial's set-up are read from course_utils/data/tutorial_setup_runs.json (shipped data:
the same at every seed), not re-trained.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from ledger_common import fixed_items, make_entry, write_ledger  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "06_mice_and_cat_story.ipynb"
RAW = ROOT / "benchmarks" / "results" / "ledger_06_runs.json"
SETUP, CELLS = "0be4761c", ["c6d9c504", "8a49a285", "bedeed21", "3827fc81", "e2a5c6b4", "be6632c1",
                            "5a7c3e91", "9317c01f", "a46ead02"]


def code_cells(path: Path = NOTEBOOK) -> dict[str, str]:
    """{cell id: source} of the notebook's code cells, magics dropped."""
    nb = json.loads(path.read_text())
    return {c["id"]: "\n".join(line for line in "".join(c["source"]).splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            for c in nb["cells"] if c["cell_type"] == "code"}


def measure(seed: int, cells: dict[str, str]) -> dict:
    """Run the training cells at UNROLLED_SEED=seed; the random quantities they assert on or quote."""
    import torch
    from course_utils.story_model import TutorialLSTM, fit_full_batch

    os.environ["UNROLLED_SEED"] = str(seed)
    ns: dict = {}
    for cid in [SETUP, *CELLS]:
        exec(cells[cid], ns)
    torch.manual_seed(ns["SEED"])   # the float model of cell bedeed21 again, run to the ceiling
    float_full = fit_full_batch(TutorialLSTM(112, hidden=64, n_layers=1, init="default"), ns["X"], ns["y"],
                                target=199 / 201, lr=3e-2, max_epochs=5000, max_seconds=600)
    some, by = ns["some"], ns["by"]
    return {"seed": seed, "embed_epochs": len(ns["embed_fit"].accuracy),
            "float_epochs": len(float_full.accuracy), "float_reached": float_full.accuracy[-1] >= 199 / 201 - 1e-9,
            "float_right_at": {k: round(201 * float_full.accuracy[min(k * len(ns["embed_fit"].accuracy),
                                                                     len(float_full.accuracy)) - 1])
                               for k in (2, 3, 4, 5)},
            "layer_epochs": {n: len(ns["fits"][n].accuracy) for n in (1, 2)},
            "layer_right": {n: round(ns["fits"][n].accuracy[-1] * 201) for n in (1, 2)},
            "held_epochs": len(ns["held_fit"].accuracy), "train_acc": ns["train_acc"],
            "shuffled_acc_10": float(ns["shuffled_acc"]), "shuffled_commonest_10": float(ns["shuffled_commonest"]),
            "lstm_unseen_right": int(ns["lstm_right"].sum()), "held_ppl": float(ns["held_ppl"]),
            "p_stopped_some": float(ns["p_stopped"][some]), "p_stopped_by": float(ns["p_stopped"][by]),
            "p_some": float(ns["p"][some]), "p_by": float(ns["p"][by]),
            "parity_err": float(max(ns["h_err"], ns["c_err"])),
            "c_range_ratio": float(ns["c_range"][ns["active"][0]] / np.median(ns["c_range"]))}


SHUFFLE_CELLS = ["c6d9c504", "8a49a285", "3827fc81", "5a7c3e91"]   # the story, section 5's models, the shuffles


def measure_shuffled(seed: int, cells: dict) -> dict:
    """Section 5's LSTM at UNROLLED_SEED=seed on the notebook's 10 shuffled stories, and always guessing ','."""
    os.environ["UNROLLED_SEED"] = str(seed)
    ns: dict = {}
    for cid in [SETUP, *SHUFFLE_CELLS]:
        exec(cells[cid], ns)
    return {"shuffled_acc_10": float(ns["shuffled_acc"]), "shuffled_commonest_10": float(ns["shuffled_commonest"])}


def commonest_draws(seeds: list[int]) -> list[float]:
    """The notebook's always-',' score over its 10 shuffles at each seed (no training: the shuffles alone)."""
    import random

    from course_utils.story import build_vocabulary, story_tokens, story_windows

    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    ids = [word_to_id[w] for w in tokens]
    out = []
    for seed in seeds:   # as cell 5a7c3e91: random.Random(SEED), then 10 rng.sample orders
        rng = random.Random(seed)
        ys = np.concatenate([story_windows(rng.sample(ids, len(ids)))[1] for _ in range(10)])
        out.append(float(np.mean(ys == word_to_id[","])))
    return out


def without_asserts(source: str, name: str):
    """source compiled with every assert removed, so a run that would fail one is still measured."""
    import ast

    class Drop(ast.NodeTransformer):
        def visit_Assert(self, node: ast.Assert) -> ast.Pass:  # noqa: N802 (ast's naming)
            return ast.copy_location(ast.Pass(), node)

    tree = ast.fix_missing_locations(Drop().visit(ast.parse(source)))
    return compile(tree, name, "exec")


def collect(seeds: list[int]) -> list[dict]:
    """measure() at each seed, asserts removed, one line of progress per run."""
    import torch

    torch.set_num_threads(1)
    os.environ["UNROLLED_PROGRESS"] = "off"
    cells = code_cells()
    cells = {cid: src for cid, src in cells.items()}
    runs = []
    for seed in seeds:
        start = time.perf_counter()
        runs.append(measure(seed, {cid: without_asserts(src, f"06:{cid}") for cid, src in cells.items()}))
        print(seed, f"{time.perf_counter() - start:.1f} s", {k: v for k, v in runs[-1].items() if k != "seed"},
              flush=True)
    return runs


def add_shuffled(runs: list[dict]) -> None:
    """measure_shuffled() at each saved run's seed, asserts removed, merged into the run's values."""
    import torch

    torch.set_num_threads(1)
    os.environ["UNROLLED_PROGRESS"] = "off"
    cells = {cid: without_asserts(src, f"06:{cid}") for cid, src in code_cells().items()}
    for run in runs:
        run.update(measure_shuffled(run["seed"], cells))
        print(run["seed"], run["shuffled_acc_10"], run["shuffled_commonest_10"], flush=True)


def entry(eid: str, cell: str | None, assert_text: str | None, statistic: str, values: list[float],
          low: float | None, high: float | None, tail: str, **extra: object) -> dict:
    """One ledger entry over training runs (ledger_common.make_entry)."""
    return make_entry(eid, cell, assert_text, statistic, [float(v) for v in values], "runs", low, high, tail, **extra)


def record(eid: str, statistic: str, values: list[float], unit: str = "runs") -> dict:
    """An entry that only records a quantity the prose quotes (no assert)."""
    return make_entry(eid, None, None, statistic, [float(v) for v in values], unit, None, None, "none")


FIXED = [
    ("c6d9c504", "(len(tokens), len(id_to_word)) == (204, 112)", "the shipped story: no randomness"),
    ("8a49a285", "X_np.shape == (len(tokens) - 3, 3)", "windowing the fixed story"),
    ("8a49a285", "all(X_np[k, j] == ids[k + j]", "windowing the fixed story"),
    ("789f655e", "check_windows(make_windows_solution", "the reference solution against the checker (unit-tested)"),
    ("4ec5ccaa", "accuracy_ceiling(tokens) == (199, 201)", "counted from the fixed story"),
    ("4ec5ccaa", "ambiguous_contexts(tokens) ==", "counted from the fixed story"),
    ("22afe1f2", "check_ambiguous(ambiguous_solution", "the reference solution against the checker"),
    ("6c8e3627", "check_ceiling(ceiling_solution", "the reference solution against the checker"),
    ("b8d2f3e1", "np.allclose(steps, closed_forms[name], rtol=1e-6)", "float64 optimiser steps on a constant "
     "gradient against their closed forms: no randomness"),
    ("de12f558", "len(tutorial_run.correct) == 60 and set(jumps[jumps > 0]) == {4}", "the offsets' structure holds "
     "by construction at every seed"),
    ("de12f558", "all(0 <= offsets[k + 1] <= 4", "randint(0, 4) restarts: by construction"),
    ("de12f558", '[word_to_id[w] for w in ("had", "a", "general")] == [18, 6, 19]', "the fixed story's vocabulary"),
    ("48f70ed8", "np.allclose(running, tutorial_run.running_accuracy(D))", "two computations of the same mean"),
    ("a3d9e1f0", "len(long_runs) >= 3", "the shipped long runs (same at every seed and device)"),
    ("a3d9e1f0", "max(late_high.max(), best_running.max()) < 0.952", "the shipped long runs (same at every seed "
     "and device): best running 0.931, best late all-window 0.915"),
    ("26c63430", "err < 1e-6", "a row lookup equals a one-hot product exactly (0.0 measured)"),
    ("e2a5c6b4", "np.isclose(ppl, ppl_product, rtol=1e-4) and ppl >= floor", "two forms of one formula (float32 "
     "vs float64); the floor 2^(4/201) is a bound for any model reading 3 words"),
    ("be6632c1", "repeated.sum() == 3 and lookup_right[3][repeated].sum() == 2", "lookup tables of the fixed story"),
    ("be6632c1", "lookup_right[3][~repeated].sum() == commonest_right.sum() == 1", "lookup tables of the fixed story"),
    ("be6632c1", "lookup_right[1].sum() == 8", "lookup table of the fixed story"),
    ("f3b6d7c5", "err < 1e-12", "an algebraic identity in float64 (1e-16 measured)"),
    ("01d619d2", 'gen.update(text="Long ago ,", n_words=5) and gen.figure.data[0].x[0] == "the"',
     "199/201 means right on every unambiguous window, and 'long ago ,' is one (cell 3827fc81 asserts 199)"),
    ("01d619d2", 'not gen.update(text="the mouses had")', "input parsing: no randomness"),
    ("01d619d2", 'not gen.update(text="the mice")', "input parsing: no randomness"),
    ("01d619d2", "not gen.update(temperature=0)", "input checking: no randomness"),
    ("9317c01f", "p_stopped.argmax() in (some, by)", "199/201 means one of the two 'the cat .' windows is right"),
]


def build_ledger(runs: list[dict]) -> dict:
    """The ledger file's content from the per-run values."""
    col = lambda key: [r[key] for r in runs]  # noqa: E731
    ratio = [r["float_epochs"] / r["embed_epochs"] for r in runs]   # runs that never got there count as >= (5000 epochs)
    layers = [max(r["layer_epochs"].values()) for r in runs]
    entries = [
        entry("06.embed_epochs", "bedeed21", "len(embed_fit.accuracy) <= 30",
              "epochs the embedding model needs to reach 199/201", col("embed_epochs"), None, 30, "normal"),
        entry("06.float_right_3x", "bedeed21", "round(float_fit.accuracy[-1] * 201) < 199",
              "windows (of 201) the float-input model gets right after 3x the embedding model's epochs (same init)",
              [r["float_right_at"]["3"] if "3" in r["float_right_at"] else r["float_right_at"][3] for r in runs],
              None, 198, "normal", threshold_expr="a count < 199: at most 198"),
        entry("06.layer_epochs", "3827fc81", "len(fits[n_layers].accuracy) <= 40",
              "epochs to 199/201, the larger of the 1- and 2-layer models", layers, None, 40, "normal"),
        entry("06.held_epochs", "be6632c1", "train_acc > 0.95",
              "epochs the held-out model needs to reach its 159/160 (>= 0.95); the assert fails only if it "
              "stops at max_epochs=300 first", col("held_epochs"), None, 300, "normal",
              threshold_expr="max_epochs=300 (train_acc reaches 159/160 before it)"),
        entry("06.shuffled_margin", "5a7c3e91", "shuffled_acc < shuffled_commonest",
              "always-',' score minus the LSTM's accuracy, both over the same 10 shuffled stories",
              [r["shuffled_commonest_10"] - r["shuffled_acc_10"] for r in runs], 0, None, "normal",
              threshold_expr="shuffled_commonest - shuffled_acc > 0"),
        record("06.shuffled_acc", "the LSTM's accuracy over the 10 shuffled stories' windows", col("shuffled_acc_10")),
        record("06.shuffled_commonest", "always-',' score over the notebook's 10 shuffled stories (no training)",
               commonest_draws(list(range(1000, 3000))), unit="draws"),
        entry("06.lstm_unseen", "be6632c1", "lstm_right.mean() < 0.3",
              "share of the 41 unseen windows the held-out LSTM gets right (commonest word 1/41, last-word table "
              "8/41: fixed)", [r["lstm_unseen_right"] / 41 for r in runs], None, 0.3, "normal"),
        entry("06.held_ppl", "be6632c1", "held_ppl > 112", "perplexity of the held-out LSTM on the 41 unseen windows",
              col("held_ppl"), 112, None, "lognormal"),
        record("06.lstm_unseen_count", "unseen windows (of 41) the held-out LSTM gets right", col("lstm_unseen_right")),
        entry("06.p_some", "9317c01f", "0.4 < p[some] < 0.6", "p(some | the cat .) after 50 more epochs",
              col("p_some"), 0.4, 0.6, "normal"),
        entry("06.p_by", "9317c01f", "0.4 < p[by] < 0.6", "p(by | the cat .) after 50 more epochs",
              col("p_by"), 0.4, 0.6, "normal"),
        entry("06.parity", "a46ead02", "h_err < tolerance and c_err < tolerance",
              "max |numpy LSTM - torch| over h_t and c_T (float32 on CPU)", col("parity_err"), None, 1e-5,
              "lognormal", threshold_expr="parity_tolerance(torch.float32, cpu) = 1e-5"),
        entry("06.c_range", "a46ead02", "c_range[active[0]] >= 1.2 * np.median(c_range)",
              "top unit's cell range / the median unit's", col("c_range_ratio"), 1.2, None, "lognormal"),
        record("06.float_ratio", "float-input epochs to 199/201 / embedding epochs (same init)", ratio),
        record("06.p_stopped_some", "p(some | the cat .) when stopped at 199/201", col("p_stopped_some")),
        record("06.p_stopped_by", "p(by | the cat .) when stopped at 199/201", col("p_stopped_by")),
        record("06.layer2_epochs", "epochs to 199/201, 2 layers", [r["layer_epochs"]["2"] if "2" in r["layer_epochs"]
                                                                     else r["layer_epochs"][2] for r in runs]),
    ]
    fixed = fixed_items(FIXED)
    return {"entries": entries, "fixed": fixed, "prose": PROSE}


PROSE: list[dict] = [   # every figure about a random quantity quoted in 06's markdown or code comments
    {"cell": "bedeed21", "text": "12–15", "entry": "06.embed_epochs", "from": "0.05", "to": "0.95"},
    {"cell": "bedeed21", "text": "10–29", "entry": "06.float_ratio", "from": "0.05", "to": "0.95"},
    {"cell": "bedeed21", "text": "168–182", "entry": "06.float_right_3x", "from": "0.05", "to": "0.95"},
    {"cell": "fb0a4eae", "text": "12–15", "entry": "06.embed_epochs", "from": "0.05", "to": "0.95"},
    {"cell": "c543725f", "text": "10–29", "entry": "06.float_ratio", "from": "0.05", "to": "0.95"},
    {"cell": "be6632c1", "text": "3–6", "entry": "06.lstm_unseen_count", "from": "0.05", "to": "0.95"},
    {"cell": "c8fbc60f", "text": "3–6", "entry": "06.lstm_unseen_count", "from": "0.05", "to": "0.95"},
    {"cell": "c8fbc60f", "text": "1618–7008", "entry": "06.held_ppl", "from": "0.05", "to": "0.95"},
    {"cell": "9317c01f", "text": "0.20–0.55", "entry": "06.p_stopped_some", "from": "0.05", "to": "0.95"},
    {"cell": "9317c01f", "text": "0.25–0.54", "entry": "06.p_stopped_by", "from": "0.05", "to": "0.95"},
    {"cell": "9317c01f", "text": "0.47–0.53", "entry": "06.p_some", "from": "min", "to": "max"},
    {"cell": "a46ead02", "text": "1.9–3.0×", "entry": "06.c_range", "from": "0.05", "to": "0.95"},
    {"cell": "f35afa76", "text": "10–29", "entry": "06.float_ratio", "from": "0.05", "to": "0.95"},
    {"cell": "f35afa76", "text": "2.2–3.3%", "entry": "06.shuffled_acc", "from": "0.05", "to": "0.95"},
    {"cell": "f35afa76", "text": "6.9%", "entry": "06.shuffled_commonest", "from": "median"},
    {"cell": "c8fbc60f", "text": "2.2–3.3%", "entry": "06.shuffled_acc", "from": "0.05", "to": "0.95"},
    {"cell": "c8fbc60f", "text": "6.9%", "entry": "06.shuffled_commonest", "from": "median"},
    {"cell": "f35afa76", "text": "3–6", "entry": "06.lstm_unseen_count", "from": "0.05", "to": "0.95"},
]


def main() -> None:
    """Measure (or reload) the runs and write the ledger file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--from-raw", action="store_true", help="rebuild from benchmarks/results/ledger_06_runs.json")
    parser.add_argument("--shuffled", action="store_true",
                        help="add the shuffled-story scores (cell 5a7c3e91) to the saved runs, then rebuild")
    args = parser.parse_args()
    if args.shuffled:
        runs = json.loads(RAW.read_text())["runs"]
        add_shuffled(runs)
        RAW.write_text(json.dumps({"runs": runs}, indent=0) + "\n")
    elif args.from_raw:
        runs = json.loads(RAW.read_text())["runs"]
    else:
        runs = collect(list(range(args.first_seed, args.first_seed + args.runs)))
        RAW.parent.mkdir(exist_ok=True)
        RAW.write_text(json.dumps({"runs": runs}, indent=0) + "\n")
    ledger = build_ledger(runs)
    path = write_ledger("06", NOTEBOOK.name, ledger["entries"], ledger["fixed"], ledger["prose"])
    for entry in ledger["entries"]:
        print(f"{entry['id']:24s} n={entry['n']} min {entry['min']:.4g} median {entry['median']:.4g} "
              f"max {entry['max']:.4g}  p_fail {entry['p_fail']:.1e}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
