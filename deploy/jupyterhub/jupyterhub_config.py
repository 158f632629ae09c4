# JupyterHub for one class on one machine, everything on 127.0.0.1 (`make classroom`, as root).
# Each learner logs in (a new name needs the class password and sets its own), and gets a Jupyter
# server running as a Unix user of their own, created on their first start (class_spawner:
# jupyter-<name>, no login shell, no password, home 0700), from the classroom venv; it lands on
# nbgitpuller, which clones the course into ~/unrolled and opens the first notebook.
#
# Environment (the Makefile and benchmarks/classroom_load.py set these):
#   UNROLLED_HUB_PORT      public port (default 8000); proxy API on +1, hub on +2, class view on +3
#   UNROLLED_HUB_STATE     the hub's own folder, 0700: database, cookie secret, passwords (default build/classroom)
#   UNROLLED_HUB_HOMES     where learners' homes are made (default /home)
#   UNROLLED_CLASS_RECORDS the class view's records, 0700, its own user's (default <state>-records)
#   UNROLLED_COURSE_REPO   what nbgitpuller clones: a path, file:// or https:// URL (default: this repo)
#   UNROLLED_COURSE_BRANCH its branch (default: the remote's default branch)
#   CLASS_PASSWORD         needed to create a learner name, 8 characters or more (default: random, printed)
#   INSTRUCTOR_PASSWORD    the instructor's (admin's) password, 8 or more (default: random, printed)
#   UNROLLED_INSTRUCTOR    the instructor's user name (default: instructor)
#   UNROLLED_HUB_LEAN      1 (default) or 0: the cost-lowering settings of hub_settings.lean_*
#   UNROLLED_MEMORY_GB     address-space cap of each learner process (default hub_settings.MEMORY_LIMIT_GB; 0: none)
#   UNROLLED_HUB_TEST_TOKEN  when set, an API token for the load test (admin of servers and users)
#   UNROLLED_HUB_DRY_RUN   1: only compute the settings (the unit tests): no accounts, folders or checks
# Secrets are taken out of this process's environment once read: the proxy and services do not inherit them.
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import class_accounts  # noqa: E402
import hub_settings  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
here = Path(__file__).resolve().parent
repo_root = here.parents[1]
port = int(os.environ.get("UNROLLED_HUB_PORT", "8000"))
state = Path(os.environ.get("UNROLLED_HUB_STATE", repo_root / "build" / "classroom")).resolve()
homes = Path(os.environ.get("UNROLLED_HUB_HOMES", "/home")).resolve()
records = Path(os.environ.get("UNROLLED_CLASS_RECORDS", f"{state}-records")).resolve()
lean = os.environ.get("UNROLLED_HUB_LEAN", "1") != "0"
dry_run = os.environ.get("UNROLLED_HUB_DRY_RUN") == "1"

# --- the machine: the hub's folder private, the service's user and folder, learners can run the venv
if not dry_run:
    problems = class_accounts.prepare_host(state, records, Path(sys.executable), repo_root)
    if problems:
        sys.exit("[classroom] " + "\n[classroom] ".join(problems))
    if class_accounts.library_path(Path(sys.executable)):      # passed on to servers and services (env_keep)
        os.environ["LD_LIBRARY_PATH"] = class_accounts.library_path(Path(sys.executable))

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
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")    # not in the working folder


# --- who may log in -------------------------------------------------------------------------------
# A name's first login sets that learner's own password, and needs the class password (third box);
# the instructor (UNROLLED_INSTRUCTOR, default "instructor") is the admin, with INSTRUCTOR_PASSWORD.
# The instructor's class view is at /services/class-progress/ (deploy/jupyterhub/class_service.py).
def secret(name: str) -> str:
    """A password from the environment (then removed from it), or a random one printed for this session."""
    value = os.environ.pop(name, "")
    if value:
        return value
    value = secrets.token_urlsafe(9)
    print(f"[classroom] {name} for this session: {value}", file=sys.stderr)
    return value


# --- each learner's server: their own Unix user (class_spawner), this venv, no --allow-root ----------
c.JupyterHub.spawner_class = "class_spawner.ClassUserSpawner"
c.ClassUserSpawner.homes = str(homes)
c.ClassUserSpawner.runtime_root = f"/tmp/unrolled-hub-{port}"   # where a home's socket path is too long
c.ClassUserSpawner.memory_limit_gb = float(os.environ.get("UNROLLED_MEMORY_GB", hub_settings.MEMORY_LIMIT_GB))
c.ClassUserSpawner.max_tasks = hub_settings.MAX_TASKS
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]  # this venv's
c.Spawner.ip = "127.0.0.1"
c.Spawner.args = hub_settings.singleuser_args()
c.Spawner.http_timeout = hub_settings.SPAWN_HTTP_TIMEOUT_S
c.Spawner.start_timeout = hub_settings.SPAWN_START_TIMEOUT_S
# Log in, land in the course: the server opens nbgitpuller, which clones (or, next time, merges)
# the course into ~/unrolled and opens its first notebook. git trusts the (root-owned) course repository.
course_repo = os.environ.get("UNROLLED_COURSE_REPO", f"file://{repo_root}")  # file://: a shallow clone
c.Spawner.default_url = hub_settings.course_default_url(course_repo,
                                                        os.environ.get("UNROLLED_COURSE_BRANCH"))
c.ClassUserSpawner.git_safe_directories = hub_settings.git_safe_directories(course_repo)
c.Spawner.environment = {}
if lean:
    c.Spawner.args += hub_settings.lean_args()
    c.Spawner.environment.update(hub_settings.lean_env())

hub_settings.configure_class(
    c, state_dir=str(state), python=sys.executable, service_port=port + 3, records_dir=str(records),
    instructor=os.environ.get("UNROLLED_INSTRUCTOR", "instructor"), service_user=class_accounts.SERVICE_USER,
    class_password=secret("CLASS_PASSWORD"), instructor_password=secret("INSTRUCTOR_PASSWORD"))
c.ClassFirstUseAuthenticator.unix_accounts = True     # never a name onto an account the hub did not make

# --- the load test's token (only when benchmarks/classroom_load.py starts the hub) ---------------
test_token = os.environ.pop("UNROLLED_HUB_TEST_TOKEN", "")
if test_token:
    c.JupyterHub.services.append({"name": "classroom-test", "api_token": test_token})
    c.JupyterHub.load_roles.append({"name": "classroom-test", "services": ["classroom-test"],
                                    "scopes": ["admin:users", "admin:servers", "access:servers",
                                               "tokens", "read:users", "shutdown"]})
    # Pages of 3 users: the class view must page through the hub's user list (a real hub: 200).
    c.JupyterHub.api_page_max_limit = c.JupyterHub.api_page_default_limit = 3
