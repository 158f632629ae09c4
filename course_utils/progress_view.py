"""The learner's course map: every exercise of every notebook with its state, from the progress file.

`show_progress()` in any notebook displays it (`show_progress("04")` for one notebook's part);
`reset_progress(confirm=True)` starts the record afresh.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from .course_map import NOTEBOOKS
from .progress import exercise_state, load_progress, progress_path, reset_progress

__all__ = ["ProgressView", "show_progress", "reset_progress", "map_rows"]

SYMBOL = {"passed": "✔", "tried": "✘", "untried": "○"}
# Light fills with near-black text (contrast ≥ 12:1); the state is in the symbol and words too.
FILL = {"passed": "#d4efe6", "tried": "#fbe3cf", "untried": "#f2f2f2"}
BORDER = {"passed": "#009E73", "tried": "#D55E00", "untried": "#999999"}


def state_words(state: dict) -> str:
    """'passed (2 tries)' (the tries it took to pass), 'tried 3 times, not passed yet' or 'not tried'."""
    tries = state["attempts"]
    if state["state"] == "passed":
        tries = state.get("attempts_to_pass") or tries
        return f"passed ({tries} {'try' if tries == 1 else 'tries'})"
    if state["state"] == "tried":
        return f"tried {tries} {'time' if tries == 1 else 'times'}, not passed yet"
    return "not tried"


def map_rows(record: dict, notebook: str | None = None,
             now: dt.datetime | None = None) -> list[dict]:
    """One row per notebook (or only the one whose number or stem starts with `notebook`): its
    stem, title and exercises, each with id, name, what it asks, and its state."""
    rows = []
    for stem, title, exercises in NOTEBOOKS:
        if notebook and not stem.startswith(str(notebook)):
            continue
        items = []
        for name, what in exercises:
            exercise = f"{stem[:2]}.{name}"
            entry = record["exercises"].get(exercise)
            state = exercise_state(entry, now)
            if state["state"] == "passed":             # tries after the pass do not count here
                state["attempts_to_pass"] = entry.get("attempts_to_pass")
            items.append({"id": exercise, "name": name, "what": what, **state})
        rows.append({"stem": stem, "title": title, "exercises": items})
    return rows


@dataclass
class ProgressView:
    """The course map as a notebook shows it (HTML) or prints it (text)."""

    rows: list[dict]
    path: Path | None

    def counts(self) -> dict[str, int]:
        """How many exercises are passed, tried (not passed yet) and not tried."""
        states = [item["state"] for row in self.rows for item in row["exercises"]]
        return {key: states.count(key) for key in SYMBOL}

    def summary(self) -> str:
        """'Passed 5 of 26 exercises; 2 tried, not passed yet.'"""
        counts = self.counts()
        total = sum(counts.values())
        return (f"Passed {counts['passed']} of {total} exercises; "
                f"{counts['tried']} tried, not passed yet.")

    def __repr__(self) -> str:
        lines = [self.summary()]
        for row in self.rows:
            lines.append(f"{row['stem'][:2]} {row['title']}")
            lines += [f"   {SYMBOL[i['state']]} {i['name']}: {state_words(i)}" for i in row["exercises"]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><th scope='row' style='text-align:left;padding:4px 8px'>{row['stem'][:2]} "
                        f"{html.escape(row['title'])}</th><td style='padding:4px;text-align:left'>"
                        f"{''.join(chip(item) for item in row['exercises'])}</td></tr>" for row in self.rows)
        where = f"Recorded in <code>{html.escape(str(self.path))}</code>." if self.path else \
            "Progress is not recorded here (UNROLLED_PROGRESS=off)."
        return (f"<div class='unrolled-progress'><p><b>{html.escape(self.summary())}</b> "
                f"{SYMBOL['passed']} passed · {SYMBOL['tried']} tried, not passed yet · "
                f"{SYMBOL['untried']} not tried</p>"
                f"<table aria-label='Course map: your exercises'>{cells}</table>"
                f"<p style='font-size:90%'>{where}</p></div>")


def chip(item: dict) -> str:
    """One exercise as a labelled chip: symbol, name, and its state in a tooltip and for screen readers."""
    words = state_words(item)
    if item["state"] == "tried" and item["hint"]:
        words += f"; last hint: {item['hint']}"
    state = item["state"]
    style = (f"display:inline-block;margin:2px 4px;padding:2px 8px;border-radius:10px;color:#111;"
             f"background:{FILL[state]};border:2px solid {BORDER[state]}")
    label = html.escape(f"{item['name']} ({item['what']}): {words}", quote=True)
    return (f"<span role='img' aria-label='{label}' title='{label}' style='{style}'>"
            f"{SYMBOL[state]} {html.escape(item['name'])}</span>")


def show_progress(notebook: str | None = None) -> ProgressView:
    """Your course map: every exercise with ✔ passed, ✘ tried or ○ not tried (only notebook
    `notebook`'s, e.g. "04", when given). Display it by leaving it last in a cell."""
    return ProgressView(map_rows(load_progress(), notebook), progress_path())
