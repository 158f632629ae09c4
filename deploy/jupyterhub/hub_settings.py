"""The classroom hub's settings as plain data: what each learner's server is started with, and the
nbgitpuller link that hands out the course.

Pure functions, no JupyterHub import: `jupyterhub_config.py` applies them, the load test
(`benchmarks/classroom_load.py`) and the unit tests (`tests/test_classroom_config.py`) read them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

COURSE_DIR = "unrolled"                       # the folder nbgitpuller clones into, in each home
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"

# Measured failures, each fixed by one setting (see the README, "A whole class on one hub").
SPAWN_HTTP_TIMEOUT_S = 120   # the default 30 s failed 1 of 16 simultaneous logins on 2 cores
SPAWN_START_TIMEOUT_S = 180  # the process itself may wait that long for a core during a burst
KERNEL_IDLE_CULL_S = 30 * 60          # an idle kernel holds ~0.3 GB: give it back after 30 min
SERVER_IDLE_SHUTDOWN_S = 60 * 60      # a server with no kernel and no browser for 1 h stops
# Per learner on the one-machine hub (class_spawner): each process's address space, and tasks
# (processes + threads) of the learner's Unix user. See the README for the measurement behind them.
MEMORY_LIMIT_GB = 3.0                 # notebook 06 ran under 1.5 GB and failed under 1.0 GB (torch maps a lot)
MAX_TASKS = 512


def singleuser_args() -> list[str]:
    """Command-line settings of every learner's Jupyter server (always on)."""
    args = [
        # Kernels on Unix sockets: with TCP, two servers started at once picked the same kernel
        # port (N=8), and that learner's kernel could never restart.
        "--KernelManager.transport=ipc",
        # Give idle kernels and abandoned servers back (built in: no culler service needed here).
        f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_CULL_S}",
        "--MappingKernelManager.cull_interval=300",
        f"--ServerApp.shutdown_no_activity_timeout={SERVER_IDLE_SHUTDOWN_S}",
    ]
    return args


def lean_args() -> list[str]:
    """Server settings that lower the cost per learner (measured before/after in the README)."""
    # jupyter-lsp runs `npm prefix -g` and scans for language servers at every server start;
    # the course uses no language server.
    return ["--ServerApp.jpserver_extensions=jupyter_lsp=False"]


SHIMS = Path(__file__).resolve().parent / "shims"


def lean_env() -> dict[str, str]:
    """Environment of every learner's server and kernel that lowers the cost per learner."""
    return {
        # Skip a 2–3 CPU-second import in every server and kernel (see shims/rfc3987_syntax.py).
        "PYTHONPATH": str(SHIMS),
        # One compute thread per kernel: N kernels share a few cores; more threads only contend.
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # glibc gives each thread its own malloc arena; two are plenty for a kernel.
        "MALLOC_ARENA_MAX": "2",
    }


SOCKET_PATH_MAX = 107                          # sun_path is 108 bytes, NUL included
KERNEL_SOCKET = "/kernel-00000000-0000-0000-0000-000000000000-ipc-99"   # the longest name jupyter uses


def runtime_dir(home: str, fallback_root: str) -> str:
    """The learner's runtime folder (kernel sockets, temporary files): `home`/.r, or
    `fallback_root`/<learner> when a socket path under the home would be too long."""
    inside = f"{home.rstrip('/')}/.r"
    if len((inside + KERNEL_SOCKET).encode()) <= SOCKET_PATH_MAX:
        return inside
    return f"{fallback_root.rstrip('/')}/{Path(home).name}"


def pull_query(repo: str, branch: str | None, notebook: str = FIRST_NOTEBOOK,
               target: str = COURSE_DIR) -> str:
    """nbgitpuller's query string: clone `repo` into ~/`target`, then open `notebook` in JupyterLab."""
    params = {"repo": repo}
    if branch:
        params["branch"] = branch
    params.update(targetpath=target, urlpath=f"lab/tree/{target}/{notebook}")
    return urlencode(params)


def git_pull_link(hub_url: str, repo: str, branch: str | None = "main",
                  notebook: str = FIRST_NOTEBOOK) -> str:
    """The one link an instructor hands out: log in, start a server, pull the course, open it."""
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{pull_query(repo, branch, notebook)}"


def git_safe_directories(repo: str) -> list[str]:
    """The folders a learner's git must trust (safe.directory) to pull a local course repository that
    another user owns (git refuses it as of "dubious ownership"); [] for a remote one."""
    if "://" in repo and not repo.startswith("file://"):
        return []
    path = repo.removeprefix("file://").rstrip("/")
    return [path, f"{path}/.git"]


def course_default_url(repo: str, branch: str | None) -> str:
    """Where a learner's server opens (relative to it): pull the course, then its first notebook."""
    return f"/git-pull?{pull_query(repo, branch)}"


# --- the class: accounts and the instructor's progress view (same on this hub, TLJH and Z2JH) ------
HERE = Path(__file__).resolve().parent
SERVICE_NAME = "class-progress"
PROGRESS_FILE = f"{COURSE_DIR}/unrolled_progress.json"     # course_utils.progress.FILE_NAME in ~/unrolled
# The service's token: find the learners, whether their servers run, who is an admin. No access to
# servers: learners send their records to the service, it never calls a learner's server.
SERVICE_SCOPES = ["list:users", "read:users", "read:servers"]
RECORD_URL_ENV = "UNROLLED_CLASS_RECORD_URL"               # course_utils.progress posts records there


def record_url(service_host: str, port: int) -> str:
    """Where a learner's kernel sends its progress record (the service itself, not the proxy)."""
    return f"http://{service_host}:{port}/services/{SERVICE_NAME}/api/record"


def class_progress_service(python: str, port: int, records_dir: str, service_host: str = "127.0.0.1",
                           bind: str = "127.0.0.1", refresh_s: int = 15, user: str | None = None) -> dict:
    """The hub-managed service that serves the instructor's class table at /services/class-progress/:
    the proxy reaches it at http://`service_host`:`port`, it listens on `bind`:`port`, runs as the
    Unix `user` (None: the hub's) and keeps learners' records in `records_dir`."""
    service = {"name": SERVICE_NAME, "url": f"http://{service_host}:{port}", "display": True,
               "oauth_no_confirm": True, "cwd": "/", "command": [python, str(HERE / "class_service.py")],
               "environment": {"UNROLLED_RECORDS_DIR": records_dir, "UNROLLED_REFRESH_S": str(refresh_s),
                               "UNROLLED_SERVICE_BIND": bind}}
    return {**service, "user": user} if user else service


def landing_page(instructor: str):  # noqa: ANN201
    """JupyterHub.default_url: after login the instructor lands on the class view (no server of
    their own is started); anyone else gets the hub's default (their server)."""
    def default_url(handler) -> str:  # noqa: ANN001
        user = handler.current_user
        if user is not None and user.name == instructor:
            return f"{handler.base_url.rstrip('/')}/services/{SERVICE_NAME}/"
        return ""
    return default_url


def configure_class(c, *, state_dir: str, python: str, service_port: int, records_dir: str,  # noqa: ANN001
                    instructor: str, class_password: str, instructor_password: str,
                    service_host: str = "127.0.0.1", bind: str = "127.0.0.1",
                    service_user: str | None = None) -> None:
    """Set a hub's config `c` for a class: first-use accounts gated by the class password, the
    instructor as the only admin (landing on the class view), the class-progress service with its
    scoped role, and where learners' kernels send their records. The spawner and its isolation are
    the hub's own (this hub: class_spawner; TLJH: its user-creating spawner; Z2JH: pods): untouched."""
    for name, secret in (("class password", class_password), ("instructor password", instructor_password)):
        if len(secret) < 8:
            raise ValueError(f"the {name} must have 8 characters or more")
    c.JupyterHub.authenticator_class = "class_auth.ClassFirstUseAuthenticator"
    c.ClassFirstUseAuthenticator.dbm_path = str(Path(state_dir) / "passwords.dbm")
    c.ClassFirstUseAuthenticator.class_password = class_password
    c.ClassFirstUseAuthenticator.instructor_password = instructor_password
    c.Authenticator.admin_users = {instructor}
    c.Authenticator.allow_all = True
    c.JupyterHub.default_url = landing_page(instructor)
    services = [s for s in c.JupyterHub.get("services", []) if s["name"] != SERVICE_NAME]
    c.JupyterHub.services = services + [class_progress_service(python, service_port, records_dir, service_host,
                                                               bind, user=service_user)]
    roles = [r for r in c.JupyterHub.get("load_roles", []) if r["name"] != f"{SERVICE_NAME}-reader"]
    c.JupyterHub.load_roles = roles + [{"name": f"{SERVICE_NAME}-reader", "services": [SERVICE_NAME],
                                        "scopes": SERVICE_SCOPES}]
    c.Spawner.environment.update({RECORD_URL_ENV: record_url(service_host, service_port)})
