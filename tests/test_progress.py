"""The learner's progress record (course_utils/progress.py), the course map and the learner's view."""

import datetime as dt
import importlib
import json
import multiprocessing
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_utils import progress
from course_utils.checks import EXERCISES
from course_utils.course_map import NOTEBOOKS, exercise_ids
from course_utils.progress import (empty_record, exercise_state, load_progress, parse_stamp, record_outcome,
                                   reset_progress, updated_entry)
from course_utils.progress_view import show_progress

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def record_file(tmp_path, monkeypatch):
    path = tmp_path / "course" / "unrolled_progress.json"
    monkeypatch.setenv("UNROLLED_PROGRESS", str(path))
    return path


def test_an_entry_counts_attempts_keeps_the_first_pass_and_the_hints():
    entry = updated_entry(None, False, "wrong shape", "2026-01-01T10:00:00Z")
    entry = updated_entry(entry, False, "wrong values", "2026-01-01T10:05:00Z")
    entry = updated_entry(entry, True, None, "2026-01-01T10:09:00Z")
    after = updated_entry(entry, False, "wrong shape", "2026-01-01T11:00:00Z")
    assert (entry["attempts"], entry["passed"], entry["attempts_to_pass"]) == (3, True, 3)
    assert entry["first_attempt"] == "2026-01-01T10:00:00Z" and entry["first_pass"] == "2026-01-01T10:09:00Z"
    assert after["passed"] and after["first_pass"] == entry["first_pass"] and not after["last_passed"]
    assert after["hints"] == ["wrong values", "wrong shape"] and after["last_hint"] == "wrong shape"
    assert entry["attempts"] == 3, "updated_entry changed its input"


def test_a_checker_records_right_wrong_and_not_the_untouched_stub_or_a_solution(record_file):
    checks_00 = importlib.import_module("course_utils.checks_00")
    checks_00.check_output_size(None)                          # the stub: not an attempt
    checks_00.check_dense_tanh(lambda W, x, b: (_ for _ in ()).throw(NotImplementedError))
    checks_00.check_output_size(4, record=False)               # a solution cell
    assert not record_file.exists()
    checks_00.check_output_size(3)
    checks_00.check_output_size(4)
    checks_00.check_dense_tanh(lambda W, x, b: W @ x + b)     # wrong values
    entries = load_progress()["exercises"]
    assert set(entries) == {"00.output_size", "00.dense_tanh"}
    size, dense = entries["00.output_size"], entries["00.dense_tanh"]
    assert (size["attempts"], size["passed"], size["attempts_to_pass"]) == (2, True, 2)
    assert "input size" in size["last_hint"]
    assert (dense["attempts"], dense["passed"], dense["first_pass"]) == (1, False, None)
    assert "wrong values" in dense["last_hint"]


def _unwritten(*args):
    raise NotImplementedError


def test_no_checker_records_an_untouched_stub(record_file):
    """Run All on a fresh notebook runs every stub: None answers and functions that raise
    NotImplementedError are not attempts, for every exercise of the course."""
    for k in range(9):
        importlib.import_module(f"course_utils.checks_{k:02d}")
    for exercise, checker in EXERCISES.items():
        code = checker.__wrapped__.__code__
        names = code.co_varnames[:code.co_argcount - len(checker.__wrapped__.__defaults__ or ())]
        result = checker(*[_unwritten if name == "function" else None for name in names])
        assert not result and not result.attempted, f"{exercise}: {result}"
    assert not record_file.exists()


def test_an_error_in_the_learners_code_is_a_recorded_attempt(record_file):
    from course_utils.checks_06 import check_windows
    result = check_windows(lambda ids, n: 1 / 0)
    assert not result and "ZeroDivisionError" in load_progress()["exercises"]["06.windows"]["last_hint"]


def _record_many(path: str, exercise: str, count: int, start) -> None:
    start.wait()                                        # every writer begins at the same moment
    for k in range(count):
        assert record_outcome(exercise, k % 2 == 1, f"hint {k}", path=Path(path)) is not None


def test_concurrent_writers_lose_nothing(tmp_path):
    """Four processes (four kernels) record 60 outcomes each into one file at the same time."""
    path = tmp_path / "unrolled_progress.json"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    writers = [context.Process(target=_record_many, args=(str(path), ex, 60, start))
               for ex in ("00.dense_tanh", "00.output_size", "00.dense_tanh", "02.encode")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert [w.exitcode for w in writers] == [0] * 4
    entries = json.loads(path.read_text())["exercises"]
    assert {k: v["attempts"] for k, v in entries.items()} == {"00.dense_tanh": 120, "00.output_size": 60,
                                                              "02.encode": 60}
    assert all(v["passed"] and v["attempts_to_pass"] >= 2 for v in entries.values())
    assert not list(tmp_path.glob("*.tmp")), "a temporary file was left behind"


def test_a_crash_while_writing_leaves_the_old_record(record_file, monkeypatch):
    record_outcome("00.output_size", True)
    before = record_file.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(progress.json, "dump", lambda record, out, **kw: (out.write('{"exercises": {"0'), crash()))
    assert record_outcome("00.dense_tanh", False, "x") is None        # reported, not raised
    assert record_file.read_text() == before
    assert not list(record_file.parent.glob("*.tmp"))


@pytest.mark.parametrize("damage", ["{not json", '{"exercises": [1, 2]}', '[]', '{"exercises": {"a": 3}}', ""])
def test_a_damaged_file_gets_a_clear_message_and_a_fresh_start(record_file, capsys, damage):
    record_file.parent.mkdir(parents=True)
    record_file.write_text(damage)
    entry = record_outcome("00.output_size", True)
    message = capsys.readouterr().err
    assert entry["attempts"] == 1 and "could not be read" in message and "fresh record" in message
    kept = list(record_file.parent.glob("unrolled_progress.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text() == damage and kept[0].name in message
    assert list(load_progress()["exercises"]) == ["00.output_size"]


def test_an_unwritable_folder_is_reported_once_and_the_check_still_answers(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("UNROLLED_PROGRESS", str(blocker / "unrolled_progress.json"))
    from course_utils.checks_00 import check_output_size
    assert check_output_size(4) and check_output_size(4)
    assert capsys.readouterr().err.count("could not be saved") == 1


def test_recording_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("UNROLLED_PROGRESS", "off")
    monkeypatch.chdir(tmp_path)
    assert record_outcome("00.output_size", True) is None and load_progress() == empty_record()
    assert "not recorded" in reset_progress(confirm=True)
    assert list(tmp_path.iterdir()) == []


def test_the_default_file_is_in_the_course_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("UNROLLED_PROGRESS")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_start_here.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path / "notebooks")                  # where a notebook's kernel starts
    assert progress.progress_path() == tmp_path.resolve() / "unrolled_progress.json"


def test_reset_asks_first_then_keeps_a_backup(record_file):
    record_outcome("00.output_size", False, "x")
    assert "confirm=True" in reset_progress() and record_file.exists()
    assert "reset" in reset_progress(confirm=True)
    assert load_progress() == empty_record()
    assert "00.output_size" in json.loads(record_file.with_name(record_file.name + ".bak").read_text())["exercises"]


def test_exercise_state_passed_tried_untried_and_stuck_minutes():
    now = parse_stamp("2026-01-01T10:30:00Z")
    tried = updated_entry(None, False, "hint", "2026-01-01T10:00:00Z")
    assert exercise_state(None, now)["state"] == "untried"
    assert exercise_state(tried, now) == {"state": "tried", "attempts": 1, "stuck_minutes": 30, "hint": "hint"}
    done = exercise_state(updated_entry(tried, True, None, "2026-01-01T10:20:00Z"), now)
    assert (done["state"], done["attempts"], done["stuck_minutes"]) == ("passed", 2, None)


def test_an_entry_with_a_bad_time_is_still_shown():
    entry = {"attempts": 2, "passed": False, "first_attempt": "yesterday", "last_hint": "h"}
    assert exercise_state(entry) == {"state": "tried", "attempts": 2, "stuck_minutes": None, "hint": "h"}
    assert exercise_state({"attempts": 1, "passed": False})["stuck_minutes"] is None


def test_the_course_map_lists_exactly_the_courses_checkers_in_order():
    for k in range(9):
        importlib.import_module(f"course_utils.checks_{k:02d}")
    in_source_order = sorted(EXERCISES, key=lambda e: (e[:2], EXERCISES[e].__wrapped__.__code__.co_firstlineno))
    assert exercise_ids() == in_source_order, "course_map.NOTEBOOKS and the checkers disagree"
    for stem, _, exercises in NOTEBOOKS:
        source = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", 4).cells)
        for name, _ in exercises:
            assert f"check_{name}(" in source, f"{stem} never calls check_{name}"


def test_the_learners_view_shows_each_state(record_file):
    record_outcome("04.clip", False, "clip all gradients by one factor")
    record_outcome("04.horizon", True)
    view = show_progress("04")
    assert [row["stem"] for row in view.rows] == ["04_vanishing_exploding_gradients"]
    assert view.counts() == {"passed": 1, "tried": 1, "untried": 1}
    text, page = repr(view), view._repr_html_()
    assert "✔ horizon: passed (1 try)" in text and "✘ clip: tried 1 time, not passed yet" in text
    assert "○ step_jacobian: not tried" in text
    assert "last hint: clip all gradients by one factor" in page and str(record_file) in page
    assert show_progress().summary() == "Passed 1 of 26 exercises; 1 tried, not passed yet."


def test_a_passed_chip_counts_the_tries_it_took_to_pass_not_the_ones_after(record_file):
    checks_00 = importlib.import_module("course_utils.checks_00")
    for answer in (12, 3, 4, 7):                       # wrong, wrong, right, then a wrong one after the pass
        checks_00.check_output_size(answer)
    view = show_progress("00")
    assert "✔ output_size: passed (3 tries)" in repr(view)
    assert "passed (3 tries)" in view._repr_html_() and "4 tries" not in view._repr_html_()
