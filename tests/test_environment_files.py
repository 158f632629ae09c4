"""One source of truth: pyproject's ranges, the lock, the test pins and both conda files agree."""

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY = {"pytest", "nbval", "playwright", "nbstripout"}


def _pins(path: Path) -> dict[str, Version]:
    """name -> pinned version of every `name==version` line of a requirements file."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _satisfied(requirements: list[str], pins: dict[str, Version]) -> list[str]:
    """Requirements that the pins miss or violate (local labels like +cpu ignored)."""
    bad = []
    for text in requirements:
        req = Requirement(text)
        pin = pins.get(canonicalize_name(req.name))
        if pin is None or not req.specifier.contains(Version(pin.public), prereleases=True):
            bad.append(f"{text} (lock: {pin})")
    return bad


def test_lock_satisfies_every_runtime_dependency():
    assert _satisfied(_pyproject()["dependencies"], _pins(ROOT / "requirements/lock.txt")) == []


def test_test_pins_satisfy_the_test_extra_and_stay_out_of_the_runtime_lock():
    runtime, test = _pins(ROOT / "requirements/lock.txt"), _pins(ROOT / "requirements/test.txt")
    assert _satisfied(_pyproject()["optional-dependencies"]["test"], test) == []
    assert not TEST_ONLY & set(runtime)
    assert not set(runtime) & set(test), "a package is pinned twice"
    assert "-r lock.txt" in (ROOT / "requirements/test.txt").read_text()


def test_torch_is_the_local_cpu_release():
    assert _pins(ROOT / "requirements/lock.txt")["torch"] == Version("2.13.0")


def _conda_pip_section(path: Path) -> tuple[list[str], list[str]]:
    env = yaml.safe_load(path.read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return conda, pip


def test_both_conda_files_install_the_same_lock_with_the_cpu_torch_index():
    for path in (ROOT / "environment.yml", ROOT / "binder/environment.yml"):
        conda, pip = _conda_pip_section(path)
        assert sorted(conda) == ["pip", "python=3.11"], path
        lock_lines = [line for line in pip if line.startswith("-r ")]
        assert len(lock_lines) == 1
        assert (path.parent / lock_lines[0][3:]).resolve() == ROOT / "requirements/lock.txt"
        assert any("download.pytorch.org/whl/cpu" in line for line in pip)


def test_binder_installs_the_package_without_touching_the_pins():
    post_build = (ROOT / "binder/postBuild").read_text()
    assert "pip install --no-deps -e ." in post_build


def test_makefile_installs_the_test_pins_and_the_package():
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements/test.txt" in makefile and "--no-deps -e ." in makefile
