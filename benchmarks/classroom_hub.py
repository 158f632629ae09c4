"""Start and stop the classroom hub (deploy/jupyterhub) for the load test, as root, in a fresh
folder (the hub's state 0700, learners' homes, the class view's records), watch the memory of each
learner's processes, make sure nothing is left running and remove the Unix accounts the run made.
Used by `classroom_load.py`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
MB = 1024 * 1024
sys.path.insert(0, str(ROOT / "deploy" / "jupyterhub"))
import class_accounts  # noqa: E402


def free_port_block(size: int = 4, start: int = 18100) -> int:
    """The first port p ≥ `start` with p .. p+size-1 all free on 127.0.0.1."""
    for base in range(start, 30000, size):
        try:
            for port in range(base, base + size):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


@dataclass
class Hub:
    """A running hub process and where it keeps its state."""

    process: subprocess.Popen
    url: str
    port: int
    state: Path
    log: Path
    homes: Path
    records: Path

    @property
    def record_url(self) -> str:
        """Where learners' kernels send their records (the class-progress service)."""
        return f"http://127.0.0.1:{self.port + 3}/services/class-progress/api/record"


def remove_accounts(names: list[str]) -> None:
    """Delete the Unix accounts of these hub names that this hub made (left by an earlier run too)."""
    for name in names:
        if class_accounts.account(class_accounts.unix_name(name)) and not class_accounts.ownership_refusal(name):
            class_accounts.delete_account(class_accounts.unix_name(name))


def start_hub(base: Path, env: dict[str, str], timeout_s: float = 60) -> Hub:
    """Start JupyterHub with the classroom config in its own session, its state, homes and records
    under `base` (which learners may enter, 0711); wait until its API answers."""
    port = free_port_block()
    os.chmod(base, 0o711)
    state, homes, records = base / "s", base / "h", base / "r"
    state.mkdir(mode=0o700)
    log = state / "hub.log"
    full_env = {**os.environ, **env, "UNROLLED_HUB_PORT": str(port), "UNROLLED_HUB_STATE": str(state),
                "UNROLLED_HUB_HOMES": str(homes), "UNROLLED_CLASS_RECORDS": str(records)}
    hub_bin = Path(sys.executable).parent / "jupyterhub"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(hub_bin), "-f", str(CONFIG)], cwd=state, env=full_env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(process, f"http://127.0.0.1:{port}", port, state, log, homes, records)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{hub.url}/hub/api", timeout=2).ok:
                return hub
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    stop_hub(hub)
    raise RuntimeError(f"the hub did not start; see {log}")


def hub_processes(hub: Hub) -> list[psutil.Process]:
    """Every process that belongs to this hub: the hub, its proxy, learners' servers and kernels."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            if proc.pid == hub.process.pid:
                found.append(proc)
                continue
            env = proc.environ()
            cmdline = " ".join(proc.info["cmdline"] or [])
            if f":{hub.port + 2}/" in env.get("JUPYTERHUB_API_URL", "") or f"--port {hub.port} " in cmdline:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def hub_pids(hub: Hub, learner: str) -> dict[str, int]:
    """pid of the hub, its proxy, the class-progress service, and `learner`'s server and kernel."""
    pids = {"the hub": hub.process.pid}
    for proc in hub_processes(hub):
        try:
            cmdline, user = " ".join(proc.cmdline()), proc.environ().get("JUPYTERHUB_USER", "")
        except psutil.Error:
            continue
        if "configurable-http-proxy" in cmdline:
            pids["the proxy"] = proc.pid
        elif "class_service.py" in cmdline:
            pids["the class-progress service"] = proc.pid
        elif user == learner:
            pids[f"{learner}'s {'kernel' if 'ipykernel' in cmdline else 'server'}"] = proc.pid
    return pids


def stop_hub(hub: Hub, grace_s: float = 30) -> int:
    """SIGTERM the hub (it stops every server and the proxy), then kill whatever is left, by process
    group; the number of processes still alive afterwards (0 is the only good answer)."""
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(grace_s)
        except subprocess.TimeoutExpired:
            pass
    for proc in hub_processes(hub):
        try:
            os.killpg(os.getpgid(proc.pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if hub.process.poll() is None:
        hub.process.kill()
    hub.process.wait(10)
    time.sleep(1)
    return len(hub_processes(hub))


@dataclass(eq=False)
class MemoryWatch(threading.Thread):
    """Polls every learner's processes (found by JUPYTERHUB_USER) every `interval_s`: peak RSS of
    the learner's server + kernel, and of the kernel alone."""

    hub: Hub
    interval_s: float = 0.5
    peak_total: dict[str, int] = field(default_factory=dict)
    peak_kernel: dict[str, int] = field(default_factory=dict)
    _owners: dict[int, tuple[str, bool]] = field(default_factory=dict)
    _halt: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True)

    def owner(self, proc: psutil.Process) -> tuple[str, bool]:
        """(learner, is_kernel) of a process; ("", False) when it is no learner's. Cached by pid."""
        if proc.pid not in self._owners:
            try:
                env = proc.environ()
                api = env.get("JUPYTERHUB_API_URL", "")
                name = env.get("JUPYTERHUB_USER", "") if f":{self.hub.port + 2}/" in api else ""
                self._owners[proc.pid] = (name, "ipykernel" in " ".join(proc.cmdline()))
            except psutil.Error:
                return "", False
        return self._owners[proc.pid]

    def kernel(self, name: str) -> psutil.Process | None:
        """The learner's (first) kernel process."""
        for proc in psutil.process_iter():
            if self.owner(proc) == (name, True):
                return proc
        return None

    def sample(self) -> None:
        """One poll: add up RSS per learner, keep the peaks."""
        total: dict[str, int] = {}
        kernel: dict[str, int] = {}
        for proc in psutil.process_iter():
            name, is_kernel = self.owner(proc)
            if not name:
                continue
            try:
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            total[name] = total.get(name, 0) + rss
            if is_kernel:
                kernel[name] = kernel.get(name, 0) + rss
        for peaks, now in ((self.peak_total, total), (self.peak_kernel, kernel)):
            for name, rss in now.items():
                peaks[name] = max(peaks.get(name, 0), rss)

    def run(self) -> None:
        while not self._halt.wait(self.interval_s):
            self.sample()

    def stop(self) -> None:
        """Stop polling."""
        self._halt.set()
        if self.is_alive():
            self.join()
