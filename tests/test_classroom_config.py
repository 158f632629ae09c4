"""The classroom hub's set-up (deploy/jupyterhub), checked without JupyterHub installed: the
settings each learner's server gets, the nbgitpuller link, the pins and the make targets."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "deploy" / "jupyterhub"


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hub_settings = _module(HUB / "hub_settings.py")


def _load_config(monkeypatch, tmp_path, **env) -> Config:
    """Execute jupyterhub_config.py as JupyterHub would, with `env`; the resulting config."""
    monkeypatch.setenv("UNROLLED_HUB_STATE", str(tmp_path))
    monkeypatch.setenv("CLASS_PASSWORD", "a-class-password")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    source = (HUB / "jupyterhub_config.py").read_text()
    exec(compile(source, str(HUB / "jupyterhub_config.py"), "exec"),
         {"get_config": lambda: config, "__file__": str(HUB / "jupyterhub_config.py")})
    return config


def test_the_instructors_link_logs_in_pulls_the_fork_and_opens_the_first_notebook():
    link = hub_settings.git_pull_link("https://hub.example.org/", "https://github.com/you/unrolled", "main")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.org", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://github.com/you/unrolled"], "branch": ["main"],
                                     "targetpath": ["unrolled"],
                                     "urlpath": ["lab/tree/unrolled/notebooks/00_start_here.ipynb"]}
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


def test_the_readme_shows_the_link_the_code_builds():
    link = hub_settings.git_pull_link("https://hub.example.org", "https://github.com/YOU/unrolled", "main")
    assert link in (ROOT / "README.md").read_text()


def test_every_server_binds_localhost_runs_kernels_on_unix_sockets_and_waits_long_enough(monkeypatch, tmp_path):
    c = _load_config(monkeypatch, tmp_path, UNROLLED_HUB_PORT="18500")
    assert c.JupyterHub.bind_url == "http://127.0.0.1:18500" and c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.Spawner.ip == "127.0.0.1" and c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18501"
    assert "--KernelManager.transport=ipc" in c.Spawner.args
    assert c.Spawner.http_timeout >= 60 and c.Spawner.start_timeout >= c.Spawner.http_timeout
    proxy = Path(c.ConfigurableHTTPProxy.command[0])
    assert proxy.parent.parent == HUB / "node_modules" and proxy.name == "configurable-http-proxy"
    # no test token unless the load test asks for one
    assert [s["name"] for s in c.JupyterHub.services] == ["class-progress"]


def test_learners_land_on_nbgitpuller_with_the_configured_course(monkeypatch, tmp_path):
    c = _load_config(monkeypatch, tmp_path, UNROLLED_COURSE_REPO="file:///srv/course", UNROLLED_COURSE_BRANCH="spring")
    query = parse_qs(urlsplit(c.Spawner.default_url).query)
    assert urlsplit(c.Spawner.default_url).path == "/git-pull"
    assert query["repo"] == ["file:///srv/course"] and query["branch"] == ["spring"]


def test_the_lean_settings_are_applied_only_when_asked(monkeypatch, tmp_path):
    lean = _load_config(monkeypatch, tmp_path, UNROLLED_HUB_LEAN="1")
    plain = _load_config(monkeypatch, tmp_path, UNROLLED_HUB_LEAN="0")
    assert set(hub_settings.lean_args()) <= set(lean.Spawner.args)
    assert not set(hub_settings.lean_args()) & set(plain.Spawner.args)
    assert lean.Spawner.environment["OMP_NUM_THREADS"] == "1"
    assert "OMP_NUM_THREADS" not in plain.Spawner.environment


def test_the_lean_args_turn_the_language_server_extension_off():
    from jupyter_server.serverapp import ServerApp

    app = ServerApp()
    app.parse_command_line(hub_settings.lean_args())
    assert app.jpserver_extensions == {"jupyter_lsp": False}


DEEP_HOME = "/home/teacher/courses/2026/unrolled/build/classroom/home/a-rather-long-learner-name"


@pytest.mark.parametrize("home", ["/tmp/uhabcdefgh/learner-16", DEEP_HOME])
def test_kernel_socket_paths_stay_under_the_unix_limit(home):
    uuid = f"{'0' * 8}-{'0' * 4}-{'0' * 4}-{'0' * 4}-{'0' * 12}"
    folder = hub_settings.runtime_dir(home, "/tmp/unrolled-hub-8000")
    assert len(f"{folder}/kernel-{uuid}-ipc-12".encode()) <= 107
    assert folder.endswith("a-rather-long-learner-name") or folder == f"{home}/.r"   # each learner their own


def _iri_checked(pythonpath: str) -> str:
    """Whether jsonschema checks the 'iri' format in a fresh Python with this PYTHONPATH."""
    code = "import jsonschema._format as f; print('iri' in f.draft7_format_checker.checkers)"
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": pythonpath},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_shim_hides_rfc3987_syntax_and_jsonschema_still_imports():
    # Keep this process's PYTHONPATH: where the packages live on a machine without a venv (the GPU check).
    packages = os.environ.get("PYTHONPATH", "")
    shim = hub_settings.lean_env()["PYTHONPATH"]
    assert _iri_checked(packages) == "True"                                 # the lock's rfc3987_syntax
    assert _iri_checked(os.pathsep.join(filter(None, [shim, packages]))) == "False"   # left out by the shim


def test_classroom_pins_are_exact_add_jupyterhub_and_nbgitpuller_and_move_no_lock_pin():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements/classroom.txt").read_text().splitlines()]
    pins = dict(line.split("==") for line in lines if line and not line.startswith("-r"))
    assert "-r lock.txt" in lines and all("==" in line for line in lines if line and not line.startswith("-r"))
    assert pins["jupyterhub"] == "6.1.1" and pins["nbgitpuller"] == "1.3.0"
    lock = {line.split("==")[0].lower() for line in (ROOT / "requirements/lock.txt").read_text().splitlines()
            if "==" in line}
    assert not {name.lower() for name in pins} & lock


@pytest.mark.parametrize("target", ["classroom", "classroom-test"])
def test_the_classroom_targets_exist_and_stay_out_of_make_test(target):
    makefile = (ROOT / "Makefile").read_text()
    phony = next(line for line in makefile.split("\n\n") if line.startswith(".PHONY"))
    assert target in phony.split() and f"\n{target}: $(CLASSROOM_STAMP)" in makefile
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "classroom" not in test_rule and "classroom" not in (ROOT / ".ci/run").read_text()


def test_the_class_config_gates_new_names_makes_only_the_instructor_admin_and_scopes_the_service(
        monkeypatch, tmp_path):
    c = _load_config(monkeypatch, tmp_path, UNROLLED_HUB_PORT="18500", INSTRUCTOR_PASSWORD="teach-me-please",
                     UNROLLED_INSTRUCTOR="ms-frizzle")
    assert c.JupyterHub.authenticator_class == "class_auth.ClassFirstUseAuthenticator"
    auth = c.ClassFirstUseAuthenticator
    assert (auth.class_password, auth.instructor_password) == ("a-class-password", "teach-me-please")
    assert auth.dbm_path == str(tmp_path / "passwords.dbm")
    assert c.Authenticator.admin_users == {"ms-frizzle"}
    service, = [s for s in c.JupyterHub.services if s["name"] == "class-progress"]
    assert service["url"] == "http://127.0.0.1:18503" and service["command"][1].endswith("class_service.py")
    assert service["environment"]["UNROLLED_SERVERS_URL"] == "http://127.0.0.1:18500"
    assert service["environment"]["UNROLLED_PROGRESS_FILE"] == "unrolled/unrolled_progress.json"
    role, = [r for r in c.JupyterHub.load_roles if r["services"] == ["class-progress"]]
    assert sorted(role["scopes"]) == ["access:servers", "list:users", "read:servers", "read:users"]
    assert not any(scope.startswith("admin") for scope in role["scopes"]), "the service can only read"


def test_the_progress_file_the_service_reads_is_the_one_the_learner_writes():
    from course_utils.progress import FILE_NAME
    assert hub_settings.PROGRESS_FILE == f"{hub_settings.COURSE_DIR}/{FILE_NAME}"


def test_a_short_class_or_instructor_password_is_refused():
    for short in ({"class_password": "short"}, {"instructor_password": "short"}):
        settings = dict(state_dir="/tmp", python="python3", service_port=1, servers_url="http://x",
                        instructor="instructor", class_password="long-enough", instructor_password="long-enough")
        with pytest.raises(ValueError, match="8 characters"):
            hub_settings.configure_class(Config(), **{**settings, **short})


def test_the_instructor_lands_on_the_class_view_and_a_learner_on_their_server():
    class Handler:
        base_url = "/"

        def __init__(self, name):
            self.current_user = type("User", (), {"name": name})() if name else None

    landing = hub_settings.landing_page("instructor")
    assert landing(Handler("instructor")) == "/services/class-progress/"
    assert landing(Handler("learner-01")) == "" and landing(Handler(None)) == ""


def _run_hub_config(source: str, monkeypatch) -> Config:
    """Execute a hub config snippet that imports hub_settings, with the class's passwords set."""
    monkeypatch.setenv("CLASS_PASSWORD", "a-class-password")
    monkeypatch.setenv("INSTRUCTOR_PASSWORD", "an-instructor-password")
    monkeypatch.syspath_prepend(str(HUB))
    config = Config()
    exec(compile(source, "hub-config", "exec"), {"c": config, "__name__": "hub_config"})
    return config


def test_tljh_and_z2jh_apply_the_same_class_settings(monkeypatch):
    import yaml
    z2jh = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text())["hub"]
    for source, servers, service_url in [
            ((HUB / "tljh_class.py").read_text(), "http://127.0.0.1", "http://127.0.0.1:10101"),
            (z2jh["extraConfig"]["unrolled-class"], "http://proxy-public", "http://hub:10101")]:
        c = _run_hub_config(source, monkeypatch)
        assert c.JupyterHub.authenticator_class == "class_auth.ClassFirstUseAuthenticator"
        assert c.ClassFirstUseAuthenticator.class_password == "a-class-password"
        assert c.Authenticator.admin_users == {"instructor"}
        service, = c.JupyterHub.services
        assert (service["url"], service["environment"]["UNROLLED_SERVERS_URL"]) == (service_url, servers)
    assert z2jh["service"]["extraPorts"][0]["port"] == 10101 == z2jh["networkPolicy"]["ingress"][0]["ports"][0]["port"]
    assert set(z2jh["extraEnv"]) == {"CLASS_PASSWORD", "INSTRUCTOR_PASSWORD"}
