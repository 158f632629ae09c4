"""Time to 90%, 95% and 99.0% (= 199/201, the ceiling) over all 201 windows of the story:
the tutorial's set-up (ids as floats, 2x512 LSTM, RMSprop 1e-3, batch 1) vs ours (embedding, small
LSTM, full-batch Adam), in one run on one CPU thread (or the GPU with --gpu).

    python benchmarks/story_time_to_accuracy.py            # the tutorial set-up for up to 300 s
    python benchmarks/story_time_to_accuracy.py --quick    # up to 20 s
    python benchmarks/story_time_to_accuracy.py --budget 1200

Writes benchmarks/results/story_time_to_accuracy.json. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
from pathlib import Path

import torch

from course_utils.runtime import seed_everything
from course_utils.story import build_vocabulary, tutorial_offsets, story_tokens, story_windows
from course_utils.story_model import TutorialLSTM, StoryLSTM, fit_full_batch, train_tutorial_setup

TARGETS = {"90%": 0.90, "95%": 0.95, "99.0% (199/201)": 199 / 201}
RESULT = Path(__file__).parent / "results" / "story_time_to_accuracy.json"


def first_time(accuracy: list[float], seconds: list[float], target: float) -> float | None:
    """Seconds at which accuracy first reached target (with a little float slack), or None."""
    return next((s for a, s in zip(accuracy, seconds) if a >= target - 1e-6), None)


def run_tutorial(X: torch.Tensor, y: torch.Tensor, budget: float, eval_every: int) -> dict:
    """The tutorial's set-up for at most 50,000 steps or budget seconds."""
    torch.manual_seed(0)
    model = TutorialLSTM(112, hidden=512, n_layers=2).to(X.device)
    offsets = tutorial_offsets(204, 50_000, rng=random.Random(0))
    run = train_tutorial_setup(model, X, y, offsets, lr=1e-3, eval_every=eval_every, max_seconds=budget)
    display_step = min(1000, len(run.correct))  # the tutorial printed every 1000 steps
    running = run.running_accuracy(display_step)
    return {"steps": len(run.correct), "seconds": run.seconds,
            "final_accuracy_all_windows": run.eval_accuracy[-1] if run.eval_accuracy else None,
            "best_accuracy_all_windows": max(run.eval_accuracy, default=None),
            "running_window_steps": display_step,
            "best_running_accuracy": float(running.max()) if len(running) else None,
            "time_to": {k: first_time(run.eval_accuracy, run.eval_seconds, t) for k, t in TARGETS.items()}}


def run_ours(X: torch.Tensor, y: torch.Tensor, n_layers: int) -> dict:
    """Embedding (16) + LSTM (64) + full-batch Adam 0.03 until 199/201."""
    torch.manual_seed(0)
    model = StoryLSTM(112, embed=16, hidden=64, n_layers=n_layers).to(X.device)
    fit = fit_full_batch(model, X, y, target=199 / 201, lr=3e-2, max_epochs=2000)
    return {"epochs": len(fit.accuracy), "seconds": fit.seconds[-1],
            "final_accuracy_all_windows": fit.accuracy[-1],
            "time_to": {k: first_time(fit.accuracy, fit.seconds, t) for k, t in TARGETS.items()}}


def ratios(tutorial: dict, ours: dict, budget_used: float) -> dict:
    """tutorial time / our time per target; '>= x' when the tutorial set-up never got there within its budget."""
    out = {}
    for key in TARGETS:
        mine, theirs = ours["time_to"][key], tutorial["time_to"][key]
        if mine is None:
            out[key] = None
        elif theirs is None:
            out[key] = f">= {budget_used / mine:.0f} (tutorial set-up not reached within {budget_used:.0f} s)"
        else:
            out[key] = round(theirs / mine, 1)
    return out


def main() -> None:
    """Run both set-ups, print the result and write it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds for the tutorial's set-up")
    parser.add_argument("--quick", action="store_true", help="a 20 s budget")
    parser.add_argument("--gpu", action="store_true", help="use the GPU when there is one")
    args = parser.parse_args()
    budget = 20.0 if args.quick else args.budget
    best_device = seed_everything(0)
    device = best_device if args.gpu else torch.device("cpu")
    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    X, y = (torch.tensor(a, device=device) for a in story_windows([word_to_id[w] for w in tokens]))
    ours = {f"{n}_layer": run_ours(X, y, n) for n in (1, 2)}
    tutorial = run_tutorial(X, y, budget, eval_every=100 if budget < 60 else 500)
    result = {"device": str(device), "machine": platform.platform(terse=True),
              "torch_threads": torch.get_num_threads(), "budget_s": budget,
              "tutorial_setup": tutorial, "ours": ours,
              "ratio_tutorial_over_ours_1_layer": ratios(tutorial, ours["1_layer"], tutorial["seconds"])}
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"wrote {RESULT}")


if __name__ == "__main__":
    main()
