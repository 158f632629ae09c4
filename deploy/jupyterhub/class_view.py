"""The instructor's class table as data: learner × exercise, from each learner's progress record.

Pure functions (no JupyterHub, no network): `class_service.py` fetches the records and serves this
as JSON; tests/test_class_view.py checks it. Exercise states come from course_utils.progress, so
the learner's map and the instructor's table read a record the same way.
"""

from __future__ import annotations

import datetime as dt

from course_utils.course_map import exercise_ids, exercise_labels
from course_utils.progress import ProgressFileError, exercise_state, now_stamp, parse_record

# What the table says when there is no record to show.
STOPPED = "server not running"
NO_RECORD = "no exercise checked yet"


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


def record_from_contents(model: dict) -> dict:
    """The progress record in a Jupyter contents-API model of the file (format 'text'); raises
    ProgressFileError when the file is not a record."""
    if model.get("type") != "file" or not isinstance(model.get("content"), str):
        raise ProgressFileError("not a text file")
    return parse_record(model["content"])


def class_table(learners: dict[str, tuple[dict | None, str]], now: dt.datetime | None = None) -> dict:
    """The whole table: columns (exercise id and label, course order) and one row per learner
    (sorted by name), from {name: (record or None, status)}."""
    now = now or dt.datetime.now(dt.timezone.utc)
    labels = exercise_labels()
    return {"updated": now_stamp(),
            "exercises": [{"id": exercise, "label": labels[exercise]} for exercise in exercise_ids()],
            "learners": [learner_row(name, record, status, now)
                         for name, (record, status) in sorted(learners.items())]}
