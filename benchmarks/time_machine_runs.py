"""The longer training runs of notebook 08's character LSTM on The Time Machine, several seeds for the spread,
one CPU thread (run it under `nice`):

    nice -n 10 python benchmarks/time_machine_runs.py train --seeds 0 1 2 3 4   # ~2-4 min per seed
    python benchmarks/time_machine_runs.py ship                                  # curves + one model
    python benchmarks/time_machine_runs.py units      # only the shipped model's unit correlations (exercise 3)

`train` saves each run's weights and curve under --work (not shipped). `ship` scores every run on the test
text (one stream from a zero state, the same positions as the n-gram), writes the curves and test
perplexities to course_utils/data/time_machine_runs.json, and ships run 0's weights as
course_utils/data/time_machine_lstm.pt (float16 weights, under 1 MB).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch

from course_utils.char_analysis import loss_breakdown, position_features
from course_utils.char_model import (MODEL_FILE, RUNS_FILE, CharLSTM, load_model, save_model, stream_log_probs,
                                     train_stateful)
from course_utils.corpus import novel_vocabulary, time_machine
from course_utils.ngram import KneserNey
from course_utils.runtime import seed_everything

SETUP = dict(embed=32, hidden=256, layers=1, dropout=0.25)
SHIPPED_SEED = 0   # the run whose weights ship (the notebook's figures about one model use it)
TRAINING = dict(batch_size=32, num_steps=64, lr=3e-3, clip=1.0, max_steps=3000, eval_every=100, patience=5)


def encoded() -> dict[str, np.ndarray]:
    """The three splits as ids of the novel's vocabulary."""
    vocab = novel_vocabulary()
    return {name: vocab.encode(text) for name, text in time_machine().items()}


def train_one(seed: int, work: Path) -> None:
    """Train one run from seed and save its weights and curve under work."""
    seed_everything(seed)
    ids = encoded()
    model = CharLSTM(len(novel_vocabulary()), **SETUP)
    history = train_stateful(model, ids["train"], ids["val"], batch_seed=seed, progress=False, **TRAINING)
    curve = {"seed": seed, "steps": history.steps, "seconds": [round(s, 1) for s in history.seconds],
             "train_perplexity": [round(p, 4) for p in history.train_perplexity],
             "val_perplexity": [round(p, 4) for p in history.val_perplexity],
             "best_step": history.best_step, "stopped_early": history.stopped_early}
    save_model(model, work / f"run_{seed}.pt", curve=curve)
    print(f"seed {seed}: best val {history.best_val:.3f} at step {history.best_step} "
          f"({history.seconds[-1]:.0f} s, stopped early: {history.stopped_early})", flush=True)


def best_kneser_ney(ids: dict[str, np.ndarray]) -> tuple[dict, KneserNey]:
    """Validation and test perplexity of orders 1-8, and the order best on validation."""
    vocab_size = len(novel_vocabulary())
    models = {n: KneserNey(ids["train"], n, vocab_size) for n in range(1, 9)}
    table = {n: {"val": round(m.perplexity(ids["val"]), 4), "test": round(m.perplexity(ids["test"]), 4)}
             for n, m in models.items()}
    return table, models[min(table, key=lambda n: table[n]["val"])]


def score(path: Path, ids: dict[str, np.ndarray], ngram: KneserNey, test_text: str) -> dict:
    """One saved run's curve, its validation and test perplexity (one stream each), and its loss gap over the
    n-gram on each kind of test position."""
    model, saved = load_model(path)
    val = float(np.exp(-stream_log_probs(model, ids["val"])[0].mean()))
    log_probs = stream_log_probs(model, ids["test"])[0]
    masks = {name: mask[1:] for name, mask in position_features(test_text).items()}
    gaps = {r.name: [round(r.gap, 4), round(r.half_width, 4)]
            for r in loss_breakdown(log_probs, ngram.log_probs(ids["test"])[1:], masks)}
    return {**saved["curve"], "val_stream_perplexity": round(val, 4),
            "test_perplexity": round(float(np.exp(-log_probs.mean())), 4), "gaps_over_ngram": gaps}


def ship(work: Path) -> None:
    """Score every saved run on val and test; write the runs file and ship run SHIPPED_SEED's weights."""
    seed_everything(0)
    ids = encoded()
    table, ngram = best_kneser_ney(ids)
    runs = [score(path, ids, ngram, time_machine()["test"]) for path in sorted(work.glob("run_*.pt"))]
    for run in runs:
        print(f"seed {run['seed']}: val {run['val_stream_perplexity']:.3f}, test {run['test_perplexity']:.3f}")
    shipped = next(r for r in runs if r["seed"] == SHIPPED_SEED)
    model, saved = load_model(work / f"run_{SHIPPED_SEED}.pt")
    save_model(model, MODEL_FILE, curve=saved["curve"], test_perplexity=shipped["test_perplexity"],
               val_perplexity=shipped["val_stream_perplexity"])
    RUNS_FILE.write_text(json.dumps({
        "machine": platform.platform(terse=True), "torch": torch.__version__, "torch_threads": 1,
        "model": SETUP, "training": TRAINING, "shipped_seed": SHIPPED_SEED, "kneser_ney": table,
        "ngram_order": ngram.order, "runs": runs}, separators=(",", ":")) + "\n")
    print(f"shipped seed {shipped['seed']} ({MODEL_FILE.stat().st_size / 1e6:.2f} MB), test {shipped['test_perplexity']}")


def ship_units() -> None:
    """Write the shipped model's unit correlations that check_tracking_unit reads (exercise 3)."""
    from course_utils.checks_08 import UNIT_CHARS, UNITS_FILE, word_correlations_of_shipped_model
    r = word_correlations_of_shipped_model()
    UNITS_FILE.write_text(json.dumps({"stretch_chars": UNIT_CHARS, "feature": "letters into the current word",
                                      "letters_into_word_r": [round(float(v), 6) for v in r]}) + "\n")
    print(f"wrote {UNITS_FILE}: the best unit {int(np.abs(r).argmax())}, r = {r[np.abs(r).argmax()]:+.3f}")


def main() -> None:
    """train or ship, as the command line says."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["train", "ship", "units"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--work", type=Path, default=Path("/tmp/time_machine_runs"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    if args.action == "train":
        for seed in args.seeds:
            start = time.perf_counter()
            train_one(seed, args.work)
            print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)
    elif args.action == "units":
        ship_units()
    else:
        ship(args.work)
        ship_units()


if __name__ == "__main__":
    main()
