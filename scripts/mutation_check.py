"""Re-run the proof that the guard tests catch the real bugs of issue 33 ("Tests that let real bugs through").

Each mutation is one exact old → new string replacement in one course_utils module: a real bug that the rest
of the suite let through. The script copies course_utils/ and the guard tests (tests/test_guard_*.py,
tests/conftest.py) to a throwaway folder (the working tree is never changed), checks that the unchanged copy
passes and is the one imported, then, for each mutation, applies it to the copy, runs its guard test file
there and prints a table: mutation → killed (a test FAILED) or survived.

    .venv/bin/python scripts/mutation_check.py            # every mutation
    .venv/bin/python scripts/mutation_check.py gap-held   # only the ones named

Exit status 1 when a mutation survives or the unchanged copy does not pass. tests/test_mutation_check.py
checks that every old string is still found exactly once in today's sources, so the table cannot rot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    """One bug: replace `old` (found exactly once) with `new` in `module`; `tests` must then fail."""

    name: str
    module: str
    old: str
    new: str
    tests: str
    bug: str


def _m(name: str, module: str, old: str, new: str, tests: str, bug: str) -> Mutation:
    return Mutation(name, f"course_utils/{module}.py", old, new, f"tests/test_guard_{tests}.py", bug)


MUTATIONS: tuple[Mutation, ...] = (
    _m("progress-off-case", "progress", 'if setting.lower() == "off":', 'if setting == "off":', "progress",
       "UNROLLED_PROGRESS=OFF records to a file named OFF"),
    _m("progress-hint-cut", "progress", "        hint = hint[:HINT_CHARS]\n", "", "progress",
       "the 300-character hint cut is dropped"),
    _m("progress-last-five", "progress", "+ [hint])[-MAX_HINTS:]", "+ [hint])[:MAX_HINTS]", "progress",
       "the first five hints are kept instead of the last five"),
    _m("progress-second-pass", "progress", 'if passed and not new["passed"]:', "if passed:", "progress",
       "a later pass overwrites the first pass's time and tries"),
    _m("progress-world-writable", "progress", "os.chmod(temporary, 0o644)", "os.chmod(temporary, 0o666)",
       "progress", "the record is written world-writable"),
    _m("progress-stuck-seconds", "progress", ".total_seconds() // 60", ".seconds // 60", "progress",
       "stuck uses .seconds: 1 day 5 min reads as 5 min"),
    _m("view-passed-hint", "progress_view", 'if item["state"] == "tried" and item["hint"]:', 'if item["hint"]:',
       "progress_view", "a passed exercise's chip shows its last failed hint"),
    _m("view-label-unquoted", "progress_view", 'words}", quote=True)', 'words}", quote=False)', "progress_view",
       "the chip's aria-label is not attribute-quoted (an apostrophe breaks out)"),
    _m("gap-held-strict", "gap_experiments", "return self.test_accuracy >= HELD", "return self.test_accuracy > HELD",
       "gap_experiments", "held() uses > instead of >= 0.95"),
    _m("gap-no-detach", "gap_experiments", "h = h.detach()", "h = h", "gap_experiments",
       "truncation without detach() is full BPTT"),
    _m("widget-frames-no-sigma", "gradient_widgets", 'norm_curve(W_unit, drive, rho, activation, drive_std)["norm"]',
       'norm_curve(W_unit, drive, rho, activation)["norm"]', "gradient_widgets",
       "the radius frames ignore the drive σ"),
    _m("widget-bound-frobenius", "gradient_widgets", "np.linalg.norm(W_hh, 2) ** d", "np.linalg.norm(W_hh) ** d",
       "gradient_widgets", "Pascanu's bound computed with the Frobenius norm"),
    _m("checks07-tolerance", "checks_07", "expected.numpy(), name, atol=1e-6)", "expected.numpy(), name, atol=1e-5)",
       "checks", "07's final-state tolerance 1e-6 → 1e-5 accepts an answer 5e-6 off"),
    _m("check-number-atol", "checks", "rtol=rel_tol, atol=0)", "rtol=rel_tol)", "checks",
       "check_number without atol=0 accepts 0.0 for 5e-9"),
    _m("scrubber-onehot-range", "scrubbers", "        return 0.0, 1.0\n", "        return -1.0, 1.0\n", "scrubbers",
       "a one-hot panel's colour range becomes [-1, 1]"),
    _m("course-map-labels", "course_map", 'f"{stem[:2]} {name}: {what}"', 'f"{name}: {what}"', "course_map",
       "the labels lose the notebook number"),
    _m("train-accuracy-mode", "train", "model.train(was_training)", "model.train()", "train",
       "accuracy() leaves the model in training mode"),
    _m("train-clip-by-value", "train", "nn.utils.clip_grad_norm_(model.parameters(), clip)",
       "nn.utils.clip_grad_value_(model.parameters(), clip)", "train", "clipping by value instead of by norm"),
    _m("runtime-or-and", "runtime", 'if on.type != "cuda" or peak == 0:', 'if on.type != "cuda" and peak == 0:',
       "runtime", "UNROLLED_REQUIRE_CUDA=1 accepts a CUDA run that allocated nothing"),
)

# Other readings of two of the bugs, killed by the same tests (not counted among its 19).
VARIANTS: tuple[Mutation, ...] = (
    _m("view-label-no-quotes", "progress_view", "aria-label='{label}'", "aria-label={label}", "progress_view",
       "(variant) the aria-label's value has no quotes around it"),
    _m("train-accuracy-no-eval", "train", "    model.eval()\n", "", "train",
       "(variant) accuracy() measures in training mode (dropout on)"),
)


def mutated_source(source: str, mutation: Mutation) -> str:
    """`source` with the mutation applied; ValueError unless its old string occurs exactly once."""
    count = source.count(mutation.old)
    if count != 1:
        raise ValueError(f"{mutation.name}: {mutation.old!r} occurs {count} times in {mutation.module}, not once")
    return source.replace(mutation.old, mutation.new)


def make_copy() -> Path:
    """A throwaway copy of course_utils/, the guard tests and their conftest; its path."""
    copy = Path(tempfile.mkdtemp(prefix="unrolled-mutants-"))
    shutil.copytree(ROOT / "course_utils", copy / "course_utils", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "tests").mkdir()
    for test in [ROOT / "tests" / "conftest.py", *sorted((ROOT / "tests").glob("test_guard_*.py"))]:
        shutil.copy2(test, copy / "tests" / test.name)
    return copy


def _env(copy: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(copy), "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
            "COLUMNS": "400"}                                  # pytest's summary lines keep the whole message


def imported_from(copy: Path) -> str:
    """Where `import course_utils` resolves with the copy's environment."""
    return subprocess.run([sys.executable, "-c", "import course_utils; print(course_utils.__file__)"], cwd=copy,
                          env=_env(copy), capture_output=True, text=True, check=True).stdout.strip()


def run_tests(copy: Path, tests: list[str]) -> tuple[int, list[str]]:
    """pytest's exit status on `tests` in the copy, and its 'FAILED test - message' lines."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *tests],
                            cwd=copy, env=_env(copy), capture_output=True, text=True)
    failed = [line.removeprefix("FAILED ") for line in result.stdout.splitlines() if line.startswith("FAILED ")]
    return result.returncode, failed


def check_mutation(copy: Path, mutation: Mutation) -> tuple[bool, str]:
    """(killed, what failed): apply `mutation` in the copy, run its tests, restore the module."""
    target = copy / mutation.module
    original = target.read_text(encoding="utf-8")
    target.write_text(mutated_source(original, mutation), encoding="utf-8")
    try:
        status, failed = run_tests(copy, [mutation.tests])
    finally:
        target.write_text(original, encoding="utf-8")
    if status == 1 and failed:
        return True, failed[0]
    return False, f"pytest exit {status}" + (f": {failed[0]}" if failed else " (every test passed)")


def main(names: list[str]) -> int:
    chosen = [m for m in (*MUTATIONS, *VARIANTS) if not names or m.name in names]
    if names and len(chosen) != len(set(names)):
        known = [m.name for m in (*MUTATIONS, *VARIANTS)]
        print(f"unknown mutation(s): {sorted(set(names) - set(known))}; known: {known}")
        return 2
    copy = make_copy()
    try:
        where = imported_from(copy)
        if not where.startswith(str(copy)):
            print(f"the copy is not the course_utils imported ({where}): a mutation would change nothing")
            return 1
        status, failed = run_tests(copy, sorted({m.tests for m in chosen}))
        if status != 0:
            print(f"the unchanged copy fails its guard tests (exit {status}): {failed}")
            return 1
        print(f"course_utils imported from the copy {where}; unchanged, its guard tests pass.\n")
        print(f"{'mutation':26} {'module':18} {'killed':6}  first failure")
        survivors = 0
        for mutation in chosen:
            killed, detail = check_mutation(copy, mutation)
            survivors += not killed
            detail = re.sub(r"\s+", " ", detail)
            print(f"{mutation.name:26} {Path(mutation.module).stem:18} {'yes' if killed else 'NO':6}  {detail[:220]}")
        print(f"\n{len(chosen) - survivors} of {len(chosen)} mutations killed.")
        return 1 if survivors else 0
    finally:
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
