"""Notebook 07's table of many seeds: the three taggers on both_sides_data (forward, reversed, bidirectional),
the encoder–decoder reversing 3, 6, 9 tokens (and 9 at four times the budget) (teacher forcing and its own outputs), the
test-set noise of the best one-direction guess, and the size of the unmasked-loss error on a padded batch.
--extra adds, per seed, where the bidirectional tagger's votes switch (switch_votes) and the 6-token
encoder–decoder's accuracy by output position and right after its first wrong token; --add-extra puts those
lists into the shipped table.

    nice -n 10 .venv/bin/python benchmarks/shape_runs.py --seeds 0 200 --out benchmarks/results/shape_runs_a.json
    .venv/bin/python benchmarks/shape_runs.py --merge benchmarks/results/shape_runs_*.json
    nice -n 10 .venv/bin/python benchmarks/shape_runs.py --extra 0 200 --out benchmarks/results/shape_extra.json [--only ...]
    .venv/bin/python benchmarks/shape_runs.py --add-extra benchmarks/results/shape_extra*.json
    nice -n 10 .venv/bin/python benchmarks/shape_runs.py --blocks 1000 1120 --out benchmarks/results/shape_blocks.json
    nice -n 10 .venv/bin/python benchmarks/shape_runs.py --bidirectional 10000 11500 --out benchmarks/results/shape_bidirectional.json
    nice -n 10 .venv/bin/python benchmarks/shape_runs.py --bidirectional 11500 11710 --out benchmarks/results/shape_bidirectional_b.json

--blocks measures the notebook's bidirectional section as the notebook runs it at UNROLLED_SEED = k: one block of
4 runs per direction trained together (tagger_block(seed_block(4))), and the best bidirectional run's votes.

--merge writes course_utils/data/shapes_runs.json (shipped with the course; the notebook and tests read it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from course_utils.both_sides import (DIRECTIONS, RATE, SHAPES_TABLE, STEPS, direction_votes, moved_by_last_step,
                                     span_example, switch_votes, tagger_block, tagger_run, vote_correlations)
from course_utils.seq2seq import after_first_slip, position_accuracies, reverse_run
from course_utils.shape_tasks import both_sides_data, one_side_guess, past_only_ceiling, reverse_data

RUNS = ((5, 3), (5, 6), (5, 9), (20, 9))     # (epochs, length) of the encoder–decoders, as in the notebook


def one_seed(seed: int) -> dict:
    """Every trained quantity of one seed."""
    row: dict = {"seed": seed}
    models = {}
    for direction in DIRECTIONS:
        models[direction], row[direction] = tagger_run(direction, seed, device="cpu")
    x_test, _ = both_sides_data(2000, STEPS, seed=seed + 7, rate=RATE)
    row["votes"] = vote_correlations(models["bidirectional"], x_test)
    x_one = x_test[span_example(x_test)]
    row["moved"] = {d: moved_by_last_step(m, x_one) for d, m in models.items()}
    for epochs, T in RUNS:
        row[f"s2s {epochs} {T}"] = reverse_run(T, epochs, seed, device="cpu")[1]
    return row


def switch_row(seed: int) -> dict:
    """One seed's bidirectional tagger: where its votes switch, on the notebook's held-out set."""
    model, acc = tagger_run("bidirectional", seed, device="cpu")
    x_test, _ = both_sides_data(2000, STEPS, seed=seed + 7, rate=RATE)
    return {"seed": seed, "bidirectional": acc, **switch_votes(model, x_test)}


def reverse_row(seed: int, T: int, epochs: int) -> dict:
    """One seed's reverser of T tokens: accuracy by output position and right after its first slip."""
    reverser, accs = reverse_run(T, epochs, seed, device="cpu")
    x, y = reverse_data(1000, T, seed=100 * seed + 50 + T)
    return {"seed": seed, **accs, "by position": position_accuracies(reverser, x, y),
            "after first slip": after_first_slip(reverser, x, y)}


def block_row(k: int, size: int = 4) -> dict:
    """The notebook's block at UNROLLED_SEED = k: accuracies per direction and run, and the best bidirectional run's
    vote sum error, vote correlations, switch votes and outputs moved by the last step (cells 48-57)."""
    block = tagger_block(list(range(k * size, k * size + size)), device="cpu")
    row: dict = {"k": k, **{d: [acc for _, acc in runs] for d, runs in block.items()}}
    best = int(np.argmax(row["bidirectional"]))
    models = {d: runs[best][0] for d, runs in block.items()}
    x_test, _ = both_sides_data(2000, STEPS, seed=k + 7, rate=RATE)
    forward, backward, b = direction_votes(models["bidirectional"], x_test)
    with torch.no_grad():
        logits = models["bidirectional"](x_test)
    row["vote_err"] = float((forward + backward + b - (logits[..., 1] - logits[..., 0])).abs().max())
    row["votes"] = vote_correlations(models["bidirectional"], x_test)
    row["switch"] = switch_votes(models["bidirectional"], x_test)
    x_one = x_test[span_example(x_test)]
    row["moved"] = {d: moved_by_last_step(m, x_one) for d, m in models.items()}
    return row


EXTRA = {"switch votes": switch_row, "reverse 6": lambda seed: reverse_row(seed, 6, 5),
         "reverse 9 20 epochs": lambda seed: reverse_row(seed, 9, 20)}


def add_extra(paths: list[str]) -> None:
    """Put the --extra lists of `paths` into the shipped table, sorted by seed."""
    table = json.loads(SHAPES_TABLE.read_text())
    parts = [json.load(open(p)) for p in paths]
    for key in EXTRA:
        table[key] = sorted((r for p in parts for r in p.get(key, [])), key=lambda r: r["seed"])
    SHAPES_TABLE.write_text(json.dumps(_rounded(table), separators=(",", ":")))
    print(f"wrote {SHAPES_TABLE}: " + ", ".join(f"{k} {len(table[k])}" for k in EXTRA))


def guess_noise(draws: int, n_test: int = 2000) -> list[float]:
    """Held-out accuracy of the best past-only guess on `draws` fresh test sets of n_test sequences."""
    return [float((one_side_guess(x, RATE) == y).float().mean()) for x, y in
            (both_sides_data(n_test, STEPS, seed=10**6 + d, rate=RATE) for d in range(draws))]


def masking_gap(seed: int) -> float:
    """|unmasked − masked loss| on the notebook's padded batch (lengths 7, 4, 2, 5), drawn exactly as the notebook
    draws it on the CPU: an untrained bidirectional GRU and read-out, random sequences and targets."""
    torch.manual_seed(seed)
    gru = nn.GRU(2, 5, batch_first=True, bidirectional=True)
    lengths = torch.tensor([7, 4, 2, 5])
    sequences = [torch.randn(n, 2) for n in lengths.tolist()]
    for n in lengths.tolist():
        torch.randn(7 - n, 2)                                    # the notebook's garbage padding
    torch.manual_seed(seed)
    readout = nn.Linear(10, 2)
    targets = pad_sequence([torch.randint(0, 2, (n,)) for n in lengths.tolist()], batch_first=True)
    with torch.no_grad():
        packed = pack_padded_sequence(pad_sequence(sequences, batch_first=True), lengths, batch_first=True,
                                      enforce_sorted=False)
        output = pad_packed_sequence(gru(packed)[0], batch_first=True, total_length=7)[0]
        per_step = nn.functional.cross_entropy(readout(output).transpose(1, 2), targets, reduction="none")
    mask = torch.arange(7)[None] < lengths[:, None]
    return abs(per_step.mean().item() - ((per_step * mask).sum(1) / lengths).mean().item())


def _rounded(value):
    """Floats of a run rounded to 6 decimals (the table ships with the course)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return [_rounded(v) for v in value] if isinstance(value, list) else value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs=2, default=(0, 200))
    parser.add_argument("--noise", type=int, default=0, help="test sets for the guess noise and masking draws")
    parser.add_argument("--out", default="benchmarks/results/shape_runs.json")
    parser.add_argument("--merge", nargs="*")
    parser.add_argument("--masking", type=int, default=0, help="only the masking draws, this many")
    parser.add_argument("--extra", type=int, nargs=2, help="only the EXTRA quantities, for these seeds")
    parser.add_argument("--only", choices=list(EXTRA), nargs="*", default=list(EXTRA))
    parser.add_argument("--add-extra", nargs="*")
    parser.add_argument("--bidirectional", type=int, nargs=2, help="only bidirectional taggers, 30 seeds a block")
    parser.add_argument("--blocks", type=int, nargs=2, help="the notebook's blocks of 4 taggers at these UNROLLED_SEEDs")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.add_extra:
        return add_extra(args.add_extra)
    if args.bidirectional:
        accs: list[float] = []
        for start in range(*args.bidirectional, 30):
            block = tagger_block(list(range(start, min(start + 30, args.bidirectional[1]))), device="cpu",
                                 directions=("bidirectional",))
            accs += [acc for _, acc in block["bidirectional"]]
            json.dump({"seeds": args.bidirectional, "bidirectional": accs}, open(args.out, "w"))
            print(start, min(accs), flush=True)
        return None
    if args.blocks:
        rows = []
        for k in range(*args.blocks):
            rows.append(block_row(k))
            json.dump({"blocks": rows}, open(args.out, "w"))
            print(k, {d: [round(a, 3) for a in rows[-1][d]] for d in DIRECTIONS}, flush=True)
        return None
    if args.extra:
        extra: dict = {key: [] for key in args.only}
        for seed in range(*args.extra):
            for key in extra:
                extra[key].append(EXTRA[key](seed))
            json.dump(extra, open(args.out, "w"))
            print(seed, flush=True)
        return None
    if args.merge:
        parts = [json.load(open(p)) for p in args.merge]
        table = {"runs": sorted((r for p in parts for r in p.get("runs", [])), key=lambda r: r["seed"]),
                 "ceiling": past_only_ceiling(STEPS, RATE)}
        for p in parts:
            table.update({k: v for k, v in p.items() if k not in ("runs",)})
        gaps = np.array(table.pop("masking_gap"))
        table["masking"] = {"draws": len(gaps), "below 1e-6": int((gaps < 1e-6).sum()), "median": float(np.median(gaps)),
                            "max": float(gaps.max())}
        table["masking_gap"] = [float(f"{g:.3g}") for g in gaps[:10000]]       # the first 10,000 draws
        table["guess_noise"] = [round(g, 6) for g in table["guess_noise"]]
        SHAPES_TABLE.write_text(json.dumps(_rounded(table), separators=(",", ":")))
        print(f"wrote {SHAPES_TABLE}: {len(table['runs'])} runs")
        return
    if args.masking:
        json.dump({"masking_gap": [masking_gap(s) for s in range(args.masking)]}, open(args.out, "w"))
        return
    out: dict = {"runs": []}
    if args.noise:
        out["guess_noise"] = guess_noise(args.noise)
        out["masking_gap"] = [masking_gap(s) for s in range(args.noise)]
    start = time.time()
    for seed in range(*args.seeds):
        out["runs"].append(one_seed(seed))
        r = out["runs"][-1]
        print(seed, f"{time.time() - start:.0f}s", {d: round(r[d], 3) for d in DIRECTIONS},
              {k: round(v["own outputs"], 2) for k, v in r.items() if k.startswith("s2s")}, flush=True)
        json.dump(out, open(args.out, "w"))
    json.dump(out, open(args.out, "w"))


if __name__ == "__main__":
    sys.exit(main())
