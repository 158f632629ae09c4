"""make canary: will the course still work with the *latest* releases? Builds a throwaway venv
(build/canary) with the newest release of every direct dependency, runs the unit tests and nbval,
and prints which versions moved and what broke. Not part of `make test`; exit 1 when a layer fails.

torch stays at the lock's CPU build unless CANARY_TORCH=latest: the newest torch on PyPI is a
multi-GB CUDA build (set CANARY_TORCH=latest on a machine where that download is fine).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "build" / "canary"
DIRECT = ["jupyterlab", "jupyterlab-deck", "ipywidgets", "numpy", "plotly", "anywidget", "tqdm",
          "nbval", "nbstripout", "playwright", "pytest"]
LAYERS = {"unit tests": ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "--ignore=tests/browser"],
          "nbval": ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
                    "--nbval-cell-timeout=300", "notebooks"]}


def pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (names lower-cased, _ as -)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[name.strip().lower().replace("_", "-")] = version.strip()
    return found


def build(python: Path) -> None:
    """A fresh venv with the latest direct dependencies (torch: the lock's, unless CANARY_TORCH=latest)."""
    venv.create(VENV, clear=True, with_pip=True)
    torch = "torch" if os.environ.get("CANARY_TORCH") == "latest" else f"torch=={pins(ROOT / 'requirements/lock.txt')['torch']}"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade"]
    subprocess.run([*pip, *DIRECT, torch], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)


def moved_versions(python: Path) -> list[tuple[str, str, str]]:
    """(package, lock version, canary version) for every package whose version differs from the lock."""
    frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True,
                            text=True, check=True).stdout
    now = {n.lower().replace("_", "-"): v for n, _, v in (l.partition("==") for l in frozen.splitlines()) if v}
    locked = {**pins(ROOT / "requirements/lock.txt"), **pins(ROOT / "requirements/test.txt")}
    same = lambda a, b: a is not None and a.split("+")[0] == b.split("+")[0]  # noqa: E731  (2.13.0 == 2.13.0+cpu)
    return sorted((name, locked.get(name, "-"), version) for name, version in now.items()
                  if not same(locked.get(name), version))


def run_layers(python: Path) -> dict[str, tuple[bool, float, str]]:
    """Each test layer in the canary venv: (passed, seconds, last line of its output)."""
    results = {}
    for name, args in LAYERS.items():
        start = time.monotonic()
        done = subprocess.run([str(python), *args], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "OMP_NUM_THREADS": "1"})
        last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        results[name] = (done.returncode == 0, time.monotonic() - start, last)
        if done.returncode:
            print(done.stdout[-4000:], done.stderr[-2000:], sep="\n")
    return results


def main() -> int:
    python = VENV / "bin" / "python"
    build(python)
    moved = moved_versions(python)
    print(f"\n{'package':28s} {'lock':>14s} {'canary':>14s}")
    for name, locked, now in moved:
        print(f"{name:28s} {locked:>14s} {now:>14s}")
    print(f"({len(moved)} packages differ from the lock)\n")
    results = run_layers(python)
    for name, (ok, seconds, last) in results.items():
        print(f"{name:12s} {'PASS' if ok else 'FAIL'}  {seconds:6.0f} s  {last}")
    return 0 if all(ok for ok, _, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
