"""The one place that picks the device and seeds everything (Python, numpy, torch)."""

from __future__ import annotations

import os
import platform
import random
import sys
from importlib import metadata

import numpy as np
import torch

PLOTLY_RENDERER = "plotly_mimetype+notebook_connected"  # JupyterLab's renderer + HTML for static exports
REQUIRED_PACKAGES = ("numpy", "torch", "plotly", "ipywidgets", "anywidget", "jupyterlab", "tqdm")


def device(prefer_gpu: bool = True) -> torch.device:
    """Return cuda when a GPU is available (and wanted), else cpu."""
    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def seed_everything(seed: int = 0, threads: int = 1) -> torch.device:
    """Seed Python, numpy and torch; use `threads` CPU threads; return the chosen device.

    One thread is both deterministic and fastest for the course's tiny models on a laptop.
    """
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    configure_plotly()
    return device()


def configure_plotly() -> None:
    """Show figures with JupyterLab's plotly renderer plus an HTML copy, so that scrubbers also
    work in a static HTML export of a notebook (nbconvert, nbviewer)."""
    import plotly.io as pio

    pio.renderers.default = PLOTLY_RENDERER


def package_versions(names: tuple[str, ...] = REQUIRED_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package, or None when it is missing."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def environment_report() -> dict[str, object]:
    """What this machine offers the course: Python, packages, CPU threads, GPU."""
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "gpu": gpu,
        "device": str(device()),
        "packages": package_versions(),
    }


def environment_problems(report: dict[str, object]) -> list[str]:
    """Friendly hints for anything missing or too old in an environment report."""
    problems = []
    if tuple(int(p) for p in str(report["python"]).split(".")[:2]) < (3, 11):
        problems.append(f"Python {report['python']} is older than 3.11: run `make lab` to get the course venv.")
    for name, version in dict(report["packages"]).items():  # type: ignore[arg-type]
        if version is None:
            problems.append(f"`{name}` is not installed: run `make lab` (or `pip install -r requirements/lock.txt`).")
    return problems
