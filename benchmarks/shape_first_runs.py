"""Notebook 07's first four shapes (one-to-one, one-to-many, many-to-one, aligned) and the padding check, run
from the notebook's own cells at many values of UNROLLED_SEED; writes what each assert checks.

    nice -n 10 .venv/bin/python benchmarks/shape_first_runs.py --seeds 0 200 --out benchmarks/results/shape_first.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import nbformat
import torch

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_rnn_shapes_and_bidirectional.ipynb"
WATCH = {"class OneToOne": "one_to_one", "class OneToMany": "one_to_many", "class ManyToOne": "many_to_one",
         "class Aligned": "aligned"}


def run_seed(cells: list[str], seed: int) -> dict:
    """Run the set-up, fit and the four shape cells and the packing cell at UNROLLED_SEED=seed."""
    os.environ["UNROLLED_SEED"] = str(seed)
    space: dict = {}
    row: dict = {"seed": seed}
    for source in cells:
        exec(compile(source, "<cell>", "exec"), space)
        for mark, name in WATCH.items():
            if source.startswith(mark):
                row[name] = {"accuracy": space["acc"], "epochs": space["epochs"]}
        if "def run_packed" in source:
            row["padding_naive"] = space["naive"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs=2, default=(0, 200))
    parser.add_argument("--out", default="benchmarks/results/shape_first.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    keep = [s for s in code if s.startswith(("import inspect", "def fit", *WATCH)) or "def run_packed" in s]
    rows = []
    for seed in range(*args.seeds):
        rows.append(run_seed(keep, seed))
        print(rows[-1], flush=True)
        json.dump({"runs": rows}, open(args.out, "w"))


if __name__ == "__main__":
    main()
