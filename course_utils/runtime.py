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
SEED_VARIABLE = "UNROLLED_SEED"
REQUIRED_PACKAGES = ("numpy", "torch", "plotly", "ipywidgets", "anywidget", "jupyterlab", "tqdm")


def device(prefer_gpu: bool = True) -> torch.device:
    """Return cuda when a GPU is available (and wanted), else cpu."""
    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def course_seed() -> int:
    """The course's seed: the whole number in the UNROLLED_SEED environment variable, 0 when unset."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f"{SEED_VARIABLE} must be a whole number >= 0, got {text!r}.")
    return int(text)


def seed_block(size: int) -> list[int]:
    """`size` seeds for a sweep over training runs: block k = course_seed() of the seeds k*size … k*size+size-1."""
    if size < 1:
        raise ValueError(f"a seed block needs at least one seed, got size={size}.")
    start = course_seed() * size
    return list(range(start, start + size))


def cpu_generator(seed: int) -> torch.Generator:
    """A seeded CPU random generator: batches drawn from it are the same whatever device trains."""
    return torch.Generator(device="cpu").manual_seed(seed)


def full_fp32_precision() -> None:
    """Turn TF32 off for float32 matmuls, convolutions and cuDNN RNNs (torch's fp32_precision
    settings; CUDA would otherwise round float32 RNNs to ~1e-3 and change training paths)."""
    settings = (torch.backends.cuda.matmul, torch.backends.cudnn, torch.backends.cudnn.conv,
                torch.backends.cudnn.rnn)
    for backend in settings:
        if hasattr(backend, "fp32_precision"):
            backend.fp32_precision = "ieee"


def seed_everything(seed: int | None = None, threads: int = 1) -> torch.device:
    """Seed Python, numpy and torch (with `seed`, by default course_seed()); use `threads` CPU
    threads; turn TF32 off; return the chosen device.

    One thread is both deterministic and fastest for the course's tiny models on a laptop.
    """
    seed = course_seed() if seed is None else seed
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    full_fp32_precision()
    configure_plotly()
    return device()


def parity_tolerance(dtype: torch.dtype = torch.float32, on: torch.device | str = "cpu") -> float:
    """Largest error allowed when two implementations of one formula are compared in `dtype` on `on`.

    float64: 1e-10 anywhere; float32: 1e-5 on a CPU, 1e-4 on CUDA (other kernels, other summation order).
    """
    if dtype == torch.float64:
        return 1e-10
    return 1e-4 if torch.device(on).type == "cuda" else 1e-5


def configure_plotly() -> None:
    """Show figures with JupyterLab's plotly renderer plus an HTML copy, so that scrubbers also
    work in a static HTML export of a notebook (nbconvert, nbviewer); colours from the course palette."""
    import plotly.io as pio

    from .plots import use_course_palette

    pio.renderers.default = PLOTLY_RENDERER
    use_course_palette()


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


def cuda_use_report(on: torch.device | str) -> str:
    """One line saying where this notebook trained; with UNROLLED_REQUIRE_CUDA=1 (make test-gpu) it also
    checks that `on` is CUDA and that CUDA memory was really allocated, and raises if not."""
    on = torch.device(on)
    peak = torch.cuda.max_memory_allocated() if torch.cuda.is_available() else 0
    if os.environ.get("UNROLLED_REQUIRE_CUDA") == "1":
        if on.type != "cuda" or peak == 0:
            raise RuntimeError(f"UNROLLED_REQUIRE_CUDA=1 but this notebook ran on {on} "
                               f"with {peak} bytes of CUDA memory allocated.")
    if on.type == "cuda":
        return f"trained on {torch.cuda.get_device_name(on)}: peak CUDA memory {peak / 2**20:.1f} MiB"
    return f"trained on the CPU ({torch.get_num_threads()} thread{'s' if torch.get_num_threads() > 1 else ''})"
