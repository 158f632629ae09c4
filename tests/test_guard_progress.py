"""Guards on the learner's progress record (course_utils/progress.py): each test fails on one real bug
that the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

import datetime as dt
import stat

from course_utils import progress
from course_utils.progress import (HINT_CHARS, MAX_HINTS, exercise_state, parse_stamp, record_outcome,
                                   updated_entry)


def test_recording_is_off_whatever_the_case_of_off(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for setting in ("OFF", "Off", " off "):
        monkeypatch.setenv("UNROLLED_PROGRESS", setting)
        assert progress.progress_path() is None, f"UNROLLED_PROGRESS={setting!r} should turn recording off"
        assert record_outcome("00.output_size", True) is None
    assert list(tmp_path.iterdir()) == [], f"recording 'off' wrote files: {list(tmp_path.iterdir())}"


def test_a_long_hint_is_cut_to_hint_chars_in_the_entry():
    entry = updated_entry(None, False, "x" * 1000, "2026-01-01T10:00:00Z")
    assert len(entry["last_hint"]) == HINT_CHARS, f"last_hint kept {len(entry['last_hint'])} characters"
    assert [len(h) for h in entry["hints"]] == [HINT_CHARS]


def test_the_entry_keeps_the_latest_hints_not_the_first():
    entry, hints = None, [f"hint {k}" for k in range(MAX_HINTS + 3)]
    for k, hint in enumerate(hints):
        entry = updated_entry(entry, False, hint, f"2026-01-01T10:{k:02d}:00Z")
    assert entry["hints"] == hints[-MAX_HINTS:], f"kept {entry['hints']}, expected the last {MAX_HINTS}"
    assert entry["last_hint"] == hints[-1]


def test_a_second_pass_keeps_the_first_pass_time_and_tries():
    entry = updated_entry(None, False, "wrong", "2026-01-01T10:00:00Z")
    entry = updated_entry(entry, True, None, "2026-01-01T10:05:00Z")
    entry = updated_entry(entry, False, "wrong again", "2026-01-01T10:10:00Z")
    entry = updated_entry(entry, True, None, "2026-01-01T10:15:00Z")
    assert (entry["first_pass"], entry["attempts_to_pass"]) == ("2026-01-01T10:05:00Z", 2), \
        f"the later pass overwrote the first: first_pass {entry['first_pass']}, tries {entry['attempts_to_pass']}"
    assert entry["attempts"] == 4 and entry["last_attempt"] == "2026-01-01T10:15:00Z"


def test_the_record_file_is_not_writable_by_others(tmp_path):
    path = tmp_path / "unrolled_progress.json"
    record_outcome("00.output_size", True, path=path)
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o644, f"the progress file has mode {oct(mode)}, expected 0o644 (not group/world-writable)"


def test_stuck_minutes_count_whole_days():
    entry = updated_entry(None, False, "hint", "2026-01-01T10:00:00Z")
    now = parse_stamp("2026-01-01T10:00:00Z") + dt.timedelta(days=1, minutes=5)
    stuck = exercise_state(entry, now)["stuck_minutes"]
    assert stuck == 24 * 60 + 5, f"stuck for 1 day 5 min read as {stuck} minutes"
