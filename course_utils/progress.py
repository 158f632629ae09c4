"""Your progress through the course: every self-check's outcome, kept in one small JSON file.

The file is `unrolled_progress.json` in your course folder (the folder that holds `notebooks/`), or
the path in the environment variable UNROLLED_PROGRESS ("off" records nothing). Nothing leaves your
machine, except on a class hub: there each check also sends the record to the instructor's class
view (UNROLLED_CLASS_RECORD_URL, set by the hub) with your own hub token; the file stays yours.

Every write takes a lock, reads the file, changes one exercise and replaces the whole file with
`os.replace`: a crash leaves the old file or the new one, never half of one, and two kernels that
record at the same moment both count. Standard library only: the hub's progress view imports it too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Iterator

FILE_NAME = "unrolled_progress.json"
FORMAT = 1
HINT_CHARS = 300        # a hint longer than this is cut (the file stays small)
MAX_HINTS = 5           # distinct hints kept per exercise, the latest last
CLASS_URL_ENV = "UNROLLED_CLASS_RECORD_URL"
SEND_TIMEOUT_S = 5
_told: set[str] = set()


class ProgressFileError(ValueError):
    """The progress file is not a progress record (damaged, or some other file)."""


def course_folder(start: Path | None = None) -> Path:
    """The course folder: the nearest of `start` (default: the working folder) and its parents that
    holds notebooks/00_start_here.ipynb; `start` itself when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks" / "00_start_here.ipynb").is_file():
            return folder
    return here


def progress_path() -> Path | None:
    """Where progress is recorded: UNROLLED_PROGRESS, else the course folder's file; None when off."""
    setting = os.environ.get("UNROLLED_PROGRESS", "").strip()
    if setting.lower() == "off":
        return None
    return Path(setting).expanduser() if setting else course_folder() / FILE_NAME


def now_stamp() -> str:
    """The time now in UTC, ISO 8601 to the second ('2026-12-04T18:30:05Z')."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(stamp: str) -> dt.datetime:
    """A stamp written by `now_stamp` as an aware datetime."""
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def empty_record() -> dict:
    """A record with no exercise in it."""
    return {"format": FORMAT, "exercises": {}}


def parse_record(text: str) -> dict:
    """The record in `text`; ProgressFileError saying what is wrong when it is not one."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProgressFileError(f"not valid JSON: {error}") from None
    if not isinstance(record, dict) or not isinstance(record.get("exercises"), dict):
        raise ProgressFileError("no 'exercises' table in it")
    for name, entry in record["exercises"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("attempts"), int):
            raise ProgressFileError(f"the entry of exercise {name!r} is not a progress entry")
    return record


def tell(message: str, once: bool = False) -> None:
    """Show the learner a message (stderr: a notebook shows it under the cell)."""
    if once and message in _told:
        return
    _told.add(message)
    print(message, file=sys.stderr)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file (.<name>.lock beside it) while the block runs."""
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+b") as handle:
        if os.name == "nt":                      # pragma: no cover  (Windows: the first byte)
            import msvcrt
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        else:
            import fcntl
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield                                    # closing the file releases the lock


def set_aside(path: Path) -> Path:
    """Move a damaged file to <name>.damaged-<time> beside it (kept for a look); the new path."""
    aside = path.with_name(f"{path.name}.damaged-{now_stamp().replace(':', '')}")
    os.replace(path, aside)
    return aside


def read_record(path: Path) -> dict:
    """The record in `path` (call it under `locked`); an empty one when there is no file. A damaged
    file is set aside, with a message saying so, and a fresh record starts."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_record()
    try:
        return parse_record(text)
    except ProgressFileError as error:
        aside = set_aside(path)
        tell(f"Your progress file {path} could not be read ({error}). It was kept as {aside.name} "
             "and a fresh record starts now: exercises you check again count from here.")
        return empty_record()


def write_record(path: Path, record: dict) -> None:
    """Replace `path` with `record` atomically: a temporary file beside it, flushed, then renamed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.chmod(temporary, 0o644)          # mkstemp makes it 0600; the record is not secret
            json.dump(record, out, indent=1, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def updated_entry(entry: dict | None, passed: bool, hint: str | None, stamp: str) -> dict:
    """An exercise's entry after one more checked answer (pure: `entry` is not changed)."""
    new = dict(entry) if entry else {"attempts": 0, "passed": False, "first_attempt": stamp,
                                     "first_pass": None, "hints": []}
    new["attempts"] += 1
    new["last_attempt"], new["last_passed"] = stamp, passed
    if passed and not new["passed"]:
        new.update(passed=True, first_pass=stamp, attempts_to_pass=new["attempts"])
    if not passed and hint:
        hint = hint[:HINT_CHARS]
        new["last_hint"] = hint
        new["hints"] = ([h for h in new.get("hints", []) if h != hint] + [hint])[-MAX_HINTS:]
    return new


def send_to_class(record: dict) -> bool:
    """On a class hub, send the whole record to the instructor's class view with this learner's own
    token (their server's JUPYTERHUB_API_TOKEN); False when there is none or it did not take it."""
    url, token = os.environ.get(CLASS_URL_ENV, ""), os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not url or not token:
        return False
    request = urllib.request.Request(url, data=json.dumps(record).encode("utf-8"), method="POST",
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))    # straight to the hub's machine
    try:
        with opener.open(request, timeout=SEND_TIMEOUT_S) as response:
            return response.status == 200
    except (OSError, ValueError):
        tell("The class view did not take your progress just now; it is saved here and goes with "
             "your next check.", once=True)
        return False


def record_outcome(exercise: str, passed: bool, hint: str | None = None,
                   path: Path | None = None) -> dict | None:
    """Add one checked answer to the record: the exercise's new entry, or None when recording is
    off or the file could not be written (a message says why; this never raises)."""
    path = progress_path() if path is None else path
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            record = read_record(path)
            stamp = now_stamp()
            entry = updated_entry(record["exercises"].get(exercise), passed, hint, stamp)
            record["exercises"][exercise] = entry
            record["updated"] = stamp
            write_record(path, record)
        send_to_class(record)
        return entry
    except OSError as error:
        tell(f"Your progress could not be saved ({error}); the self-check itself still worked.", once=True)
        return None


def load_progress(path: Path | None = None) -> dict:
    """The whole record (empty when recording is off or nothing was recorded yet)."""
    path = progress_path() if path is None else path
    if path is None or not path.exists():
        return empty_record()
    with locked(path):
        return read_record(path)


def reset_progress(confirm: bool = False, path: Path | None = None) -> str:
    """Start your record afresh. Without confirm=True it only says what it would do; the old record
    is kept as <file>.bak (rename it back to undo)."""
    path = progress_path() if path is None else path
    if path is None:
        return "Progress is not recorded here (UNROLLED_PROGRESS=off): nothing to reset."
    count = len(load_progress(path)["exercises"])
    if not confirm:
        return (f"This would clear your record of {count} exercise(s) in {path}. "
                "Run reset_progress(confirm=True) to do it (a copy is kept as a .bak file).")
    if not path.exists():
        return "There is no progress recorded yet: nothing to reset."
    with locked(path):
        os.replace(path, path.with_name(path.name + ".bak"))
    send_to_class(empty_record())
    return f"Your progress is reset ({count} exercise(s) cleared; the old record is {path.name}.bak)."


def exercise_state(entry: dict | None, now: dt.datetime | None = None) -> dict:
    """One exercise as a view shows it: state 'passed', 'tried' or 'untried', attempts, and for a
    tried one the minutes since its first attempt (how long the learner has been stuck)."""
    if not entry:
        return {"state": "untried", "attempts": 0, "stuck_minutes": None, "hint": None}
    now = now or dt.datetime.now(dt.timezone.utc)
    stuck = None
    if not entry.get("passed"):
        try:
            stuck = max(0, int((now - parse_stamp(entry["first_attempt"])).total_seconds() // 60))
        except (KeyError, TypeError, ValueError):      # a hand-edited time: shown without minutes
            stuck = None
    return {"state": "passed" if entry.get("passed") else "tried", "attempts": entry["attempts"],
            "stuck_minutes": stuck, "hint": entry.get("last_hint")}
