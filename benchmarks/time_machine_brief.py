"""Notebook 08's brief training (100 steps of the same LSTM and loop as the shipped runs) at many seeds, to set
the threshold of the notebook's assert from the distribution (one CPU thread; run it under `nice`):

    nice -n 10 python benchmarks/time_machine_brief.py --seeds 0 120      # ~6 s per seed

Writes benchmarks/results/time_machine_brief.json: per seed, the validation perplexity at each evaluation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from course_utils.char_model import CharLSTM, train_stateful
from course_utils.corpus import novel_vocabulary, time_machine
from course_utils.runtime import seed_everything

OUT = Path(__file__).parent / "results" / "time_machine_brief.json"
BRIEF = dict(batch_size=32, num_steps=64, lr=3e-3, clip=1.0, max_steps=100, eval_every=25, patience=4)


def main() -> None:
    """Train the brief run at each seed of the range; write every curve, print the quantiles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs=2, default=[0, 120], help="first and one-past-last seed")
    args = parser.parse_args()
    vocab = novel_vocabulary()
    ids = {k: vocab.encode(t) for k, t in time_machine().items()}
    runs = []
    for seed in range(*args.seeds):
        seed_everything(seed)
        torch.manual_seed(seed)
        model = CharLSTM(len(vocab), embed=32, hidden=256, dropout=0.25)
        history = train_stateful(model, ids["train"], ids["val"], batch_seed=seed, progress=False, **BRIEF)
        runs.append({"seed": seed, "val_perplexity": history.val_perplexity, "seconds": history.seconds[-1]})
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps({"setup": BRIEF, "runs": runs}))
        final = np.array([r["val_perplexity"][-1] for r in runs])
        print(f"seed {seed}: {history.val_perplexity[-1]:.3f} ({history.seconds[-1]:.1f} s); "
              f"so far min {final.min():.3f} max {final.max():.3f}", flush=True)


if __name__ == "__main__":
    main()
