# JupyterHub for one class on one machine, everything on 127.0.0.1 (`make classroom`).
# Each learner logs in (a new name needs the class password and sets its own), gets a Jupyter server from this venv
# running as the hub's own user with a home under UNROLLED_HUB_HOMES, and lands on nbgitpuller,
# which clones the course into ~/unrolled and opens the first notebook.
#
# Environment (the Makefile and benchmarks/classroom_load.py set these):
#   UNROLLED_HUB_PORT      public port (default 8000); proxy API on +1, hub on +2
#   UNROLLED_HUB_STATE     folder for the hub's database and cookie secret (default build/classroom)
#   UNROLLED_HUB_HOMES     learners' homes (default $UNROLLED_HUB_STATE/home)
#   UNROLLED_COURSE_REPO   what nbgitpuller clones: a path, file:// or https:// URL (default: this repo)
#   UNROLLED_COURSE_BRANCH its branch (default: the remote's default branch)
#   CLASS_PASSWORD         needed to create a learner name, 8 characters or more (default: random, printed)
#   INSTRUCTOR_PASSWORD    the instructor's (admin's) password, 8 or more (default: random, printed)
#   UNROLLED_INSTRUCTOR    the instructor's user name (default: instructor)
#   UNROLLED_HUB_LEAN      1 (default) or 0: the cost-lowering settings of hub_settings.lean_*
#   UNROLLED_HUB_TEST_TOKEN  when set, an API token for the load test (admin of servers and users)
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hub_settings  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
here = Path(__file__).resolve().parent
repo_root = here.parents[1]
port = int(os.environ.get("UNROLLED_HUB_PORT", "8000"))
state = Path(os.environ.get("UNROLLED_HUB_STATE", repo_root / "build" / "classroom")).resolve()
homes = Path(os.environ.get("UNROLLED_HUB_HOMES", state / "home")).resolve()
lean = os.environ.get("UNROLLED_HUB_LEAN", "1") != "0"
homes.mkdir(parents=True, exist_ok=True)

# --- network: nothing listens beyond this machine ------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 1}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 2
# configurable-http-proxy 5.3.0 from npm, installed next to this file by `make classroom`.
c.ConfigurableHTTPProxy.command = [str(here / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# --- who may log in -------------------------------------------------------------------------------
# A name's first login sets that learner's own password, and needs the class password (third box);
# the instructor (UNROLLED_INSTRUCTOR, default "instructor") is the admin, with INSTRUCTOR_PASSWORD.
# The instructor's class view is at /services/class-progress/ (deploy/jupyterhub/class_service.py).
def secret(name: str) -> str:
    """A password from the environment, or a random one printed for this session."""
    if os.environ.get(name):
        return os.environ[name]
    value = secrets.token_urlsafe(9)
    print(f"[classroom] {name} for this session: {value}", file=sys.stderr)
    return value


hub_settings.configure_class(
    c, state_dir=str(state), python=sys.executable, service_port=port + 3, servers_url=f"http://127.0.0.1:{port}",
    instructor=os.environ.get("UNROLLED_INSTRUCTOR", "instructor"),
    class_password=secret("CLASS_PASSWORD"), instructor_password=secret("INSTRUCTOR_PASSWORD"))

# --- each learner's server --------------------------------------------------------------------------
# Same Unix user as the hub, one home each (no system accounts needed on a single machine).
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]  # this venv's
c.Spawner.ip = "127.0.0.1"
c.Spawner.args = hub_settings.singleuser_args(allow_root=os.getuid() == 0)
c.Spawner.http_timeout = hub_settings.SPAWN_HTTP_TIMEOUT_S
c.Spawner.start_timeout = hub_settings.SPAWN_START_TIMEOUT_S
# Kernel sockets and temporary files (torch writes torchinductor_<user>) live in ~/.r, or in
# /tmp/unrolled-hub-<port>/<learner> where a socket path in the home would pass 107 bytes.
runtime_root = f"/tmp/unrolled-hub-{port}"
c.Spawner.environment = {
    "JUPYTER_RUNTIME_DIR": lambda spawner: hub_settings.runtime_dir(spawner.home_dir, runtime_root),
    "TMPDIR": lambda spawner: hub_settings.runtime_dir(spawner.home_dir, runtime_root),
}
if lean:
    c.Spawner.args += hub_settings.lean_args()
    c.Spawner.environment.update(hub_settings.lean_env())
# Log in, land in the course: the server opens nbgitpuller, which clones (or, next time, merges)
# the course into ~/unrolled and opens its first notebook.
course_repo = os.environ.get("UNROLLED_COURSE_REPO", f"file://{repo_root}")  # file://: a shallow clone
c.Spawner.default_url = hub_settings.course_default_url(course_repo,
                                                        os.environ.get("UNROLLED_COURSE_BRANCH"))

# --- the load test's token (only when benchmarks/classroom_load.py starts the hub) ---------------
if os.environ.get("UNROLLED_HUB_TEST_TOKEN"):
    c.JupyterHub.services.append({"name": "classroom-test", "api_token": os.environ["UNROLLED_HUB_TEST_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "classroom-test", "services": ["classroom-test"],
                                    "scopes": ["admin:users", "admin:servers", "access:servers",
                                               "tokens", "read:users", "shutdown"]})
    # Pages of 3 users: the class view must page through the hub's user list (a real hub: 200).
    c.JupyterHub.api_page_max_limit = c.JupyterHub.api_page_default_limit = 3
