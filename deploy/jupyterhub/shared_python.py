"""A Python that every user of this machine can run, for the classroom venv (`make classroom`).

Learners' servers run as Unix users of their own, so the venv's interpreter and standard library
must be reachable by them. The course venv's own interpreter may not be (pyenv under /root, mode
0700). This prints the first candidate (e.g. /usr/bin/python3.11) that others can run and that is
at least the course venv's version (the lock was resolved for it: Debian 12's 3.11.2 is too old for
some pins); failing that, it copies the running interpreter (binary, libpython, standard library,
no site-packages) to TARGET, readable by all, and prints the copy's path. A copy keeps the
original's run path to libpython, so the hub passes LD_LIBRARY_PATH=TARGET/lib to learners
(jupyterhub_config.py: shared_library_path).

Run: python shared_python.py TARGET [CANDIDATE ...]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from class_accounts import unreachable_by_others  # noqa: E402

VERSION = "import sys; print(*sys.version_info[:3])"


def version(python: str) -> tuple[int, ...] | None:
    """The (major, minor, micro) of `python`, None when it does not run."""
    try:
        out = subprocess.run([python, "-c", VERSION], capture_output=True, text=True, timeout=30).stdout
        return tuple(int(part) for part in out.split())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def fits(python: str) -> bool:
    """Whether `python` is this interpreter's minor version, at least its micro, and others can run it."""
    found = version(python)
    return (found is not None and found[:2] == sys.version_info[:2] and found >= sys.version_info[:3]
            and not unreachable_by_others(Path(python)))


def copy_interpreter(target: Path) -> Path:
    """This interpreter's binary, libpython and standard library under `target`, readable by all."""
    base = Path(sys.base_prefix)
    minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for folder in ("bin", "lib"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy2(base / "bin" / minor, target / "bin" / minor)
    for library in (base / "lib").glob("libpython*.so*"):
        shutil.copy2(library, target / "lib" / library.name)
    stdlib = Path(sysconfig.get_paths(vars={"base": str(base), "installed_base": str(base)})["stdlib"])
    shutil.copytree(stdlib, target / "lib" / minor, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("site-packages", "test", "idlelib", "tkinter", "turtledemo"))
    (target / "lib" / minor / "site-packages").mkdir(exist_ok=True)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() or path.stat().st_mode & 0o100 else 0))
    return target / "bin" / minor


def main(argv: list[str]) -> str:
    target, candidates = Path(argv[0]).resolve(), argv[1:]
    for python in candidates:
        if python and fits(python):
            return python
    copied = target / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return str(copied if copied.exists() else copy_interpreter(target))


if __name__ == "__main__":
    print(main(sys.argv[1:]))
