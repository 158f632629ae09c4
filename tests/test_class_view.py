"""The instructor's class table (deploy/jupyterhub/class_view.py) from learners' progress records."""

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from course_utils.course_map import exercise_ids
from course_utils.progress import ProgressFileError, empty_record, updated_entry

HUB = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub"
sys.path.insert(0, str(HUB))
class_view = importlib.import_module("class_view")
NOW = dt.datetime(2026, 1, 1, 11, 0, tzinfo=dt.timezone.utc)


def _record(*answers):
    """A record from (exercise, passed, 'HH:MM') answers in order."""
    record = empty_record()
    for exercise, passed, time in answers:
        entry = record["exercises"].get(exercise)
        record["exercises"][exercise] = updated_entry(entry, passed, None if passed else "hint",
                                                      f"2026-01-01T{time}:00Z")
    return record


def test_the_table_shows_each_learners_outcomes_exactly():
    ada = _record(("00.output_size", False, "10:00"), ("00.output_size", True, "10:02"),
                  ("04.clip", False, "10:15"), ("04.clip", False, "10:20"))
    bob = _record(("00.output_size", True, "10:01"), ("99.not_on_the_map", True, "10:01"))
    table = class_view.class_table({"bob": (bob, "ok"), "ada": (ada, "ok"), "cy": (None, class_view.STOPPED)}, NOW)
    assert [e["id"] for e in table["exercises"]] == exercise_ids()
    ada_row, bob_row, cy_row = table["learners"]
    assert [r["name"] for r in table["learners"]] == ["ada", "bob", "cy"]
    assert ada_row["cells"]["00.output_size"] == {"state": "passed", "attempts": 2, "stuck_minutes": None,
                                                  "hint": "hint"}
    assert ada_row["cells"]["04.clip"] == {"state": "tried", "attempts": 2, "stuck_minutes": 45, "hint": "hint"}
    assert (ada_row["passed"], ada_row["tried"], ada_row["stuck_minutes"]) == (1, 1, 45)
    assert (bob_row["passed"], bob_row["tried"], bob_row["stuck_minutes"]) == (1, 0, None)
    assert "99.not_on_the_map" not in bob_row["cells"]
    assert cy_row["status"] == "server not running" and cy_row["passed"] == 0
    assert all(cell["state"] == "untried" for cell in cy_row["cells"].values())
    json.dumps(table)                                   # served as JSON as it is


def test_a_hand_edited_time_does_not_break_the_row():
    record = _record(("04.clip", False, "10:00"), ("04.horizon", False, "10:30"))
    record["exercises"]["04.clip"]["first_attempt"] = "this morning"
    row = class_view.learner_row("ada", record, "ok", NOW)
    assert (row["tried"], row["stuck_minutes"], row["cells"]["04.clip"]["stuck_minutes"]) == (2, 30, None)


def test_the_longest_stuck_exercise_is_the_rows_stuck_time():
    record = _record(("04.clip", False, "10:50"), ("04.horizon", False, "10:15"), ("00.output_size", False, "10:40"))
    row = class_view.learner_row("ada", record, "ok", NOW)
    assert sorted(cell["stuck_minutes"] for cell in row["cells"].values() if cell["state"] == "tried") == [10, 20, 45]
    assert row["stuck_minutes"] == 45


def test_a_sent_record_is_read_back_as_what_the_view_shows():
    record = _record(("02.encode", True, "10:00"), ("04.clip", False, "10:10"))
    checked = class_view.checked_record(json.dumps(record).encode())
    assert set(checked["exercises"]) == {"02.encode", "04.clip"}
    assert class_view.learner_row("ada", checked, "ok", NOW) == class_view.learner_row("ada", record, "ok", NOW)


@pytest.mark.parametrize("text, reason", [
    ('{"exercises": {"00.output_size": {"attempts": 1, "passed": "no"}}}', "not true or false"),
    ('{"exercises": {"00.output_size": {"attempts": "1", "passed": false}}}', "not a count"),
    ('{"exercises": {"00.output_size": {"attempts": -1, "passed": false}}}', "not a count"),
    ('{"exercises": {"00.output_size": {"attempts": 1, "passed": true, "last_hint": 7}}}', "not text"),
    ('{"exercises": {"00.output_size": {"attempts": 1, "passed": true, "hints": "h"}}}', "not a list"),
    ('{"exercises": []}', "no 'exercises' table"),
    ("[" * 200_000, "nested too deep"),
    ("{half a rec", "not valid JSON"),
    ('{"exercises": {}, "pad": "' + "x" * 300_000 + '"}', "larger than 256 kB"),
])
def test_a_record_of_the_wrong_shape_is_unreadable_with_the_reason(text, reason):
    with pytest.raises(ProgressFileError, match=reason):
        class_view.checked_record(text.encode())


def test_hints_in_a_sent_record_are_cut_and_kept_to_the_last_five():
    from course_utils.progress import HINT_CHARS, MAX_HINTS
    entry = {"attempts": 9, "passed": False, "last_hint": "x" * 10_000, "hints": [str(k) * 1000 for k in range(9)]}
    checked = class_view.checked_record(json.dumps({"exercises": {"04.clip": entry}}))["exercises"]["04.clip"]
    assert len(checked["last_hint"]) == HINT_CHARS and len(checked["hints"]) == MAX_HINTS
    assert checked["hints"][-1] == "8" * HINT_CHARS


def test_the_page_has_what_the_service_fills_in_and_sorts_and_refreshes():
    page = (HUB / "class_view.html").read_text()
    assert "{{refresh_s}}" in page and "{{xsrf}}" in page and "X-XSRFToken" in page
    assert "setInterval(refresh" in page and "aria-sort" in page and 'fetch("api/progress"' in page


def test_the_load_tests_checker_finds_any_difference_from_what_learners_did():
    """benchmarks/classroom_class.py: a view built from each learner's planned answers passes; one
    wrong attempt count or a missing learner is reported."""
    sys.path.insert(0, str(HUB.parents[1] / "benchmarks"))
    plan = importlib.import_module("classroom_class")
    names = [f"learner-{k + 1:02d}" for k in range(5)]
    records = {}
    for k, name in enumerate(names):
        answers = [(exercise, right, "10:00") for exercise, right in plan.planned_answers(k)]
        records[name] = (_record(*answers) if answers else None, "ok")
    table = class_view.class_table(records, NOW)
    assert plan.view_mismatches(table, names) == []
    states = {plan.expected_cells(k)[e][0] for k in range(5) for e in plan.expected_cells(k)}
    assert states == {"passed", "tried", "untried"}
    table["learners"][2]["cells"]["00.dense_tanh"]["attempts"] += 1
    assert len(plan.view_mismatches(table, names)) == 1
    assert plan.view_mismatches({**table, "learners": table["learners"][1:]}, names)
