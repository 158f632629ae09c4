"""The instructor's class table as data: learner × exercise, from each learner's progress record.

Pure functions (no JupyterHub, no network): `class_service.py` receives the records and serves this
as JSON; tests/test_class_view.py checks it. Exercise states come from course_utils.progress, so
the learner's map and the instructor's table read a record the same way.

A record comes from a learner, who may send anything: `checked_record` reads it with a size cap,
catches nesting too deep for the parser, checks every field's type ("passed": "no" is no pass) and
cuts hints, so one learner's bad record is "record unreadable" in their row and nowhere else.
"""

from __future__ import annotations

import datetime as dt

from course_utils.course_map import exercise_ids, exercise_labels
import json

from course_utils.progress import HINT_CHARS, MAX_HINTS, ProgressFileError, exercise_state, now_stamp

# What the table says in a learner's status column.
STOPPED = "server not running"
NO_RECORD = "no exercise checked yet"
UNREADABLE = "record unreadable"
NOT_ANSWERING = "not answering"
RECORD_MAX_BYTES = 256 * 1024          # a full record (every exercise, 5 hints each) is ~50 kB
EXERCISE_ID_CHARS = 64


def learner_row(name: str, record: dict | None, status: str, now: dt.datetime) -> dict:
    """One learner's row: status, counts (passed, tried but not passed, the longest stuck) and a
    cell per exercise of the course map; an exercise id not on the map is left out."""
    exercises = (record or {}).get("exercises", {})
    cells = {exercise: exercise_state(exercises.get(exercise), now) for exercise in exercise_ids()}
    tried = [cell for cell in cells.values() if cell["state"] == "tried"]
    return {"name": name, "status": status, "cells": cells,
            "passed": sum(cell["state"] == "passed" for cell in cells.values()),
            "tried": len(tried),
            "stuck_minutes": max((cell["stuck_minutes"] for cell in tried if cell["stuck_minutes"] is not None),
                                 default=None)}


def _text(value: object, what: str, optional: bool = True) -> str | None:
    """`value` cut to HINT_CHARS when it is a string (or None, when optional); else ProgressFileError."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ProgressFileError(f"{what} is not text")
    return value[:HINT_CHARS]


def checked_entry(exercise: str, entry: object) -> dict:
    """One exercise's entry with only the fields the view shows, each of its type; ProgressFileError
    naming the exercise otherwise."""
    if not isinstance(entry, dict):
        raise ProgressFileError(f"the entry of {exercise!r} is not a table")
    attempts, passed = entry.get("attempts"), entry.get("passed", False)
    if type(attempts) is not int or attempts < 0:
        raise ProgressFileError(f"the attempts of {exercise!r} are not a count")
    if type(passed) is not bool:
        raise ProgressFileError(f"'passed' of {exercise!r} is not true or false")
    hints = entry.get("hints", [])
    if not isinstance(hints, list):
        raise ProgressFileError(f"the hints of {exercise!r} are not a list")
    return {"attempts": attempts, "passed": passed,
            "first_attempt": _text(entry.get("first_attempt"), "a time"),
            "last_hint": _text(entry.get("last_hint"), "a hint"),
            "hints": [_text(hint, "a hint", optional=False) for hint in hints[-MAX_HINTS:]]}


def checked_record(body: bytes | str) -> dict:
    """The progress record a learner sent, checked and cut to what the view needs; ProgressFileError
    saying what is wrong (too large, not JSON, nested too deep, a field of the wrong type)."""
    if len(body) > RECORD_MAX_BYTES:
        raise ProgressFileError(f"larger than {RECORD_MAX_BYTES // 1024} kB")
    try:
        record = json.loads(body)
    except RecursionError:
        raise ProgressFileError("nested too deep") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ProgressFileError(f"not valid JSON: {str(error)[:80]}") from None
    if not isinstance(record, dict) or not isinstance(record.get("exercises"), dict):
        raise ProgressFileError("no 'exercises' table in it")
    exercises = {}
    for exercise, entry in record["exercises"].items():
        if len(exercise) > EXERCISE_ID_CHARS:
            raise ProgressFileError("an exercise name is too long")
        exercises[exercise] = checked_entry(exercise, entry)
    return {"exercises": exercises}


def class_table(learners: dict[str, tuple[dict | None, str]], now: dt.datetime | None = None) -> dict:
    """The whole table: columns (exercise id and label, course order) and one row per learner
    (sorted by name), from {name: (record or None, status)}."""
    now = now or dt.datetime.now(dt.timezone.utc)
    labels = exercise_labels()
    return {"updated": now_stamp(),
            "exercises": [{"id": exercise, "label": labels[exercise]} for exercise in exercise_ids()],
            "learners": [learner_row(name, record, status, now)
                         for name, (record, status) in sorted(learners.items())]}
