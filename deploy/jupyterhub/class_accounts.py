"""Unix accounts of the one-machine classroom hub: one per learner, made on their first spawn.

A hub name `ada` runs as the Unix user `jupyter-ada` (The Littlest JupyterHub's naming): no login
shell, no password (locked), a home only they can read (0700), in the group `unrolled-learners`.
A hub name that could not become such a user is refused at login with a message saying why; a
name whose Unix user already exists but was not made here (not in the group, another comment) is
refused too, so no hub name ever maps onto an account of the system (root, daemon, …).

Also here: the unprivileged system user the class-progress service runs as, the limits each
learner's processes start with, and the checks that learners can reach the course's venv and files.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import re
import resource
import stat
import subprocess
from pathlib import Path
from typing import Callable

PREFIX = "jupyter-"
UNIX_NAME_MAX = 32                  # useradd's limit on Debian
HUB_NAME_MAX = 64
LEARNER_GROUP = "unrolled-learners"
SERVICE_USER = "unrolled-class-view"
NOLOGIN = "/usr/sbin/nologin"
NAME_RULE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")

BAD_NAME = ("A name here may use only lowercase letters a-z, digits, '-' and '_', starting with a letter "
            "or a digit (for example ada-lovelace). Please choose another name.")
LONG_NAME = f"A name here may have at most {HUB_NAME_MAX} characters. Please choose a shorter one."
NEEDS_ROOT = ("The classroom hub must run as root: it creates a Unix account for each learner on their "
              "first start (sudo make classroom).")


def name_refusal(hub_name: str) -> str | None:
    """Why `hub_name` can't be a learner's name (None when it can)."""
    if len(hub_name) > HUB_NAME_MAX:
        return LONG_NAME
    if not NAME_RULE.match(hub_name):
        return BAD_NAME
    return None


def unix_name(hub_name: str) -> str:
    """The learner's Unix user: jupyter-<name>, or, past 32 characters, its first part and a hash."""
    name = PREFIX + hub_name
    if len(name) <= UNIX_NAME_MAX:
        return name
    digest = hashlib.sha256(hub_name.encode("utf8")).hexdigest()[:6]
    return f"{name[:UNIX_NAME_MAX - 7]}-{digest}"


def comment(hub_name: str) -> str:
    """The account's GECOS field: who it belongs to on the hub."""
    return f"Unrolled learner {hub_name}"


def account(unix: str) -> pwd.struct_passwd | None:
    """The passwd entry of `unix`, None when there is no such user."""
    try:
        return pwd.getpwnam(unix)
    except KeyError:
        return None


def in_learner_group(unix: str) -> bool:
    """Whether `unix` is a member of the learners' group."""
    try:
        return unix in grp.getgrnam(LEARNER_GROUP).gr_mem
    except KeyError:
        return False


def ownership_refusal(hub_name: str) -> str | None:
    """Why `hub_name` can't use its Unix user: it exists and was not made by this hub for that name."""
    unix = unix_name(hub_name)
    entry = account(unix)
    if entry is None or (entry.pw_gecos == comment(hub_name) and in_learner_group(unix)):
        return None
    return (f"The name {hub_name!r} is taken by an account on this machine ({unix}) that the hub did not "
            "create. Please choose another name.")


def run(command: list[str]) -> None:
    """Run an account tool; a RuntimeError with its message when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:1])} failed: {result.stderr.strip()}")


def ensure_group(name: str) -> None:
    """Create the system group `name` unless it exists."""
    try:
        grp.getgrnam(name)
    except KeyError:
        run(["groupadd", "--system", name])


def create_account(hub_name: str, homes: Path) -> pwd.struct_passwd:
    """The learner's Unix user, created when missing: no login shell, locked password, own group,
    home `homes`/jupyter-<name> with mode 0700. Raises PermissionError when the name is refused."""
    refusal = name_refusal(hub_name) or ownership_refusal(hub_name)
    if refusal:
        raise PermissionError(refusal)
    unix = unix_name(hub_name)
    if account(unix) is None:
        ensure_group(LEARNER_GROUP)
        homes.mkdir(parents=True, exist_ok=True)
        run(["useradd", "--create-home", "--home-dir", str(homes / unix), "--shell", NOLOGIN,
             "--comment", comment(hub_name), "--groups", LEARNER_GROUP, "--user-group",
             "--key", "HOME_MODE=0700", "--no-log-init", unix])
    entry = pwd.getpwnam(unix)
    os.chmod(entry.pw_dir, 0o700)            # also for a useradd that ignores HOME_MODE
    return entry


def trust_in_git(entry: pwd.struct_passwd, folders: list[str]) -> None:
    """Add `folders` to the learner's own git safe.directory list (~/.gitconfig), as the learner (no
    file of theirs is written by root), unless listed already."""
    def become() -> None:
        os.setgid(entry.pw_gid)
        os.setgroups([])
        os.setuid(entry.pw_uid)
    env = {"HOME": entry.pw_dir, "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(["git", "config", "--global", "--get-all", "safe.directory"], preexec_fn=become,
                            env=env, cwd=entry.pw_dir, capture_output=True, text=True, timeout=60).stdout.split()
    for folder in folders:
        if folder not in listed:
            subprocess.run(["git", "config", "--global", "--add", "safe.directory", folder], preexec_fn=become,
                           env=env, cwd=entry.pw_dir, check=True, capture_output=True, timeout=60)


def delete_account(unix: str) -> None:
    """Remove a learner's Unix user and its group (the home is left); nothing when absent."""
    if account(unix) is not None:
        run(["userdel", unix])


def ensure_system_user(name: str = SERVICE_USER) -> pwd.struct_passwd:
    """An unprivileged system user with no home and no login shell (the class-progress service's)."""
    if account(name) is None:
        run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", NOLOGIN,
             "--user-group", "--comment", "Unrolled class-progress service", name])
    return pwd.getpwnam(name)


def private_folder(path: Path, owner: pwd.struct_passwd | None = None) -> Path:
    """Create `path` (mode 0700) owned by `owner` (default: this process's user); returns it."""
    path.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    os.chmod(path, 0o700)
    return path


def runtime_folder(folder: Path, owner: pwd.struct_passwd) -> None:
    """A learner's runtime folder outside their home (kernel sockets): its parent root-owned 0711
    (no learner may plant or swap another's folder), the folder the learner's own, 0700."""
    parent = folder.parent
    parent.mkdir(mode=0o711, parents=True, exist_ok=True)
    info = parent.lstat()
    if info.st_uid != 0 or stat.S_ISLNK(info.st_mode) or info.st_mode & 0o022:
        raise PermissionError(f"{parent} must be root's and not writable by others")
    private_folder(folder, owner)


def limits_preexec(memory_bytes: int, max_tasks: int) -> Callable[[], None]:
    """A preexec step: cap each process's address space (0: no cap) and the learner's tasks."""
    def apply() -> None:
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        if max_tasks:
            resource.setrlimit(resource.RLIMIT_NPROC, (max_tasks, max_tasks))
    return apply


def unreachable_by_others(path: Path) -> list[str]:
    """Folders on the way to `path` (links resolved) that other users can't enter, and `path`
    itself when they can't read (or, for a program, run) it: [] when learners can use it."""
    target = path.resolve()
    blocked = [str(folder) for folder in reversed(target.parents) if not folder.stat().st_mode & stat.S_IXOTH]
    mode = target.stat().st_mode
    needs = stat.S_IROTH | (stat.S_IXOTH if target.is_dir() or os.access(target, os.X_OK) else 0)
    if mode & needs != needs:
        blocked.append(str(target))
    return blocked


def prepare_host(state: Path, records: Path, python: Path, repo: Path) -> list[str]:
    """Ready the machine for the hub: its state folder private (0700), the service's user and its
    records folder (0700, the service's). Returns what stops it instead ([] when ready): not root,
    or a venv or course that learners' users can't reach."""
    if os.geteuid() != 0:
        return [NEEDS_ROOT]
    problems = []
    for what, path in (("the classroom venv's Python", python), ("the classroom venv", python.parent.parent),
                       ("the course repository", repo)):
        blocked = unreachable_by_others(path)
        if blocked:
            problems.append(f"learners can't use {what} ({path}): other users can't enter or read "
                            f"{', '.join(blocked)}. Build the classroom venv from a system Python and keep "
                            "the course in a shared place (see README, 'A whole class on one hub').")
    if not problems:
        private_folder(state)
        private_folder(records, ensure_system_user())
    return problems


def library_path(python: Path) -> str | None:
    """The folder of `python`'s libpython beside its real binary (a shared copy keeps its original's
    run path, which learners may not reach: the hub passes this as LD_LIBRARY_PATH); None if none."""
    lib = python.resolve().parent.parent / "lib"
    return str(lib) if any(lib.glob("libpython*.so*")) else None
