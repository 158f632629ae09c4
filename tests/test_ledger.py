"""The claims ledger (issue #33, course_utils/data/ledger/NN.json): every assert of every notebook is covered, each
random threshold fails one run by chance at most 1 in 10,000 by its measured tail, prose figures match the ledger's
quantiles, and each ledger names the script that makes it. The rules themselves: tests/ledger_rules.py."""

import json
from pathlib import Path

import nbformat
import pytest

from ledger_rules import coverage_problems, entry_problems, made_by_problems, prose_problems, tail_fit_problems

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LEDGER_DIR = ROOT / "course_utils" / "data" / "ledger"


def _cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def _ledger(path: Path) -> dict:
    file = LEDGER_DIR / f"{path.name[:2]}.json"
    assert file.is_file(), f"{path.name} has no ledger file {file.relative_to(ROOT)}"
    ledger = json.loads(file.read_text(encoding="utf-8"))
    assert ledger["notebook"] == path.name, f"{file.name} describes {ledger['notebook']}, not {path.name}"
    return ledger


def _fail_on(problems: list[str], path: Path) -> None:
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_assert_is_in_the_ledger_exactly_once(path):
    _fail_on(coverage_problems(_cells(path), _ledger(path)), path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_random_threshold_fails_a_run_at_most_1_in_10000(path):
    _fail_on([p for entry in _ledger(path)["entries"] for p in entry_problems(entry)], path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_fitted_tail_agrees_with_its_own_sample(path):
    _fail_on([p for entry in _ledger(path)["entries"] for p in tail_fit_problems(entry)], path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_prose_figure_matches_the_ledger(path):
    _fail_on(prose_problems(_cells(path), _ledger(path)), path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_ledger_names_the_script_that_makes_it(path):
    _fail_on(made_by_problems(_ledger(path)), path)


def test_entry_ids_are_unique_across_the_course():
    ids = [e["id"] for f in sorted(LEDGER_DIR.glob("*.json")) for e in json.loads(f.read_text())["entries"]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
