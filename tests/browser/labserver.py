"""Start a throw-away JupyterLab server and a headless Debian Chromium (shared by the browser test
and benchmarks/widget_latency.py).

The server runs from this venv on 127.0.0.1, a free port and a random token, with temporary config,
data, runtime and IPython dirs (the lab extensions are still found under sys.prefix/share/jupyter),
and is always stopped by killing its whole process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("UNROLLED_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
REPO = Path(__file__).resolve().parents[2]
INSTALL_HINT = f"Debian's Chromium is missing at {CHROMIUM}: run `apt-get install -y chromium`"


@dataclass
class LabServer:
    """A running JupyterLab: where it serves, its token, the folder it serves and its log file."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    def api(self, path: str, method: str = "GET") -> object:
        """Call the REST API (e.g. "/api/status"); the decoded JSON, or None for an empty reply."""
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def notebook_url(self, name: str) -> str:
        """The URL that opens one notebook in a fresh (reset) workspace."""
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def shutdown_kernels(self) -> None:
        """Delete every session (and so its kernel), freeing the 2-core machine for the next one."""
        for session in self.api("/api/sessions") or []:
            with contextlib.suppress(OSError):
                self.api(f"/api/sessions/{session['id']}", method="DELETE")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _lab_command(port: int, token: str, root: Path) -> list[str]:
    """The `jupyter lab` command line (app exposed as window.jupyterapp for the waits)."""
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
               "--ServerApp.terminals_enabled=False"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    return command


def _lab_env(home: Path) -> dict[str, str]:
    """Environment with private Jupyter/IPython dirs and one thread per kernel."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        path = home / name.lower()
        path.mkdir()
        env[name] = str(path)
    env.pop("JUPYTER_PATH", None)  # sys.prefix/share/jupyter (the lab extensions) stays on the path
    _write_settings(home / "jupyter_config_dir" / "lab" / "user-settings")
    return env


def _write_settings(user_settings: Path) -> None:
    """No news/update toasts (they would cover the sliders); otherwise JupyterLab's defaults."""
    quiet = {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True}
    folder = user_settings / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True)
    (folder / "notification.jupyterlab-settings").write_text(json.dumps(quiet))


def _wait_ready(server: LabServer, timeout: float) -> None:
    """Poll /api/status until it answers; fail with the server's log if it dies or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early:\n{server.log.read_text()[-3000:]}")
        with contextlib.suppress(OSError, ValueError):
            server.api("/api/status")
            return
        time.sleep(0.2)
    raise TimeoutError(f"jupyter lab not ready in {timeout:.0f} s:\n{server.log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (server and kernels), then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
            return


@contextlib.contextmanager
def running_lab(root: Path, timeout: float = 90) -> Iterator[LabServer]:
    """Serve `root` with a fresh JupyterLab for the duration of the block, then stop it."""
    home = Path(tempfile.mkdtemp(prefix="unrolled-lab-"))
    port, token = free_port(), secrets.token_hex(16)
    log = home / "lab.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(_lab_command(port, token, root), env=_lab_env(home), cwd=root,
                                   stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log, process)
    try:
        _wait_ready(server, timeout)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(home, ignore_errors=True)


def notebooks_dir() -> Path:
    """Where the course's notebooks live: $UNROLLED_NOTEBOOKS, else the repo's notebooks/."""
    return Path(os.environ.get("UNROLLED_NOTEBOOKS", REPO / "notebooks")).resolve()


def notebook_paths() -> list[Path]:
    """Every notebook, globbed now (a new notebook is picked up with no new code)."""
    return sorted(notebooks_dir().glob("*.ipynb"))


def copy_notebooks(sources: list[Path], into: Path) -> Path:
    """Copy notebooks into a scratch folder, so running them never writes into the originals."""
    into.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copy2(source, into / source.name)
    return into


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
