"""The classroom hub's set-up (deploy/jupyterhub), checked without JupyterHub installed: the
settings each learner's server gets, the nbgitpuller link, the pins and the make targets."""

import copy
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
    monkeypatch.setenv("UNROLLED_HUB_DRY_RUN", "1")         # no accounts, folders or checks on this machine
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
def test_the_classroom_targets_exist(target):
    makefile = (ROOT / "Makefile").read_text()
    phony = next(line for line in makefile.split("\n\n") if line.startswith(".PHONY"))
    assert target in phony.split() and f"\n{target}: $(CLASSROOM_STAMP)" in makefile


def test_make_test_installs_the_classroom_pins_and_runs_the_hubs_tests_without_npm():
    makefile = (ROOT / "Makefile").read_text()
    unit = next(line for line in makefile.splitlines() if line.startswith("unit:"))
    assert "$(PINS_STAMP)" in unit
    pins_rule = makefile.split("\n$(PINS_STAMP):")[1].split("\n\n")[0]
    assert "requirements/classroom.txt" in pins_rule and "npm" not in pins_rule
    unit_recipe = makefile.split("\nunit:")[1].split("\n\n")[0]
    assert "--ignore=tests/classroom" not in unit_recipe


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
    assert service["user"] == "unrolled-class-view" and service["environment"]["UNROLLED_SERVICE_BIND"] == "127.0.0.1"
    assert service["environment"]["UNROLLED_RECORDS_DIR"] == f"{tmp_path}-records"
    assert c.Spawner.environment["UNROLLED_CLASS_RECORD_URL"] == \
        "http://127.0.0.1:18503/services/class-progress/api/record"
    role, = [r for r in c.JupyterHub.load_roles if r["services"] == ["class-progress"]]
    assert sorted(role["scopes"]) == ["list:users", "read:servers", "read:users"]
    assert not any(scope.startswith(("admin", "access")) for scope in role["scopes"]), \
        "the service can only read the hub, and reaches no learner's server"


def test_the_progress_file_the_service_reads_is_the_one_the_learner_writes():
    from course_utils.progress import FILE_NAME
    assert hub_settings.PROGRESS_FILE == f"{hub_settings.COURSE_DIR}/{FILE_NAME}"


def test_a_short_class_or_instructor_password_is_refused():
    for short in ({"class_password": "short"}, {"instructor_password": "short"}):
        settings = dict(state_dir="/tmp", python="python3", service_port=1, records_dir="/tmp/r",
                        instructor="instructor", class_password="long-enough", instructor_password="long-enough")
        with pytest.raises(ValueError, match="8 characters"):
            hub_settings.configure_class(Config(), **{**settings, **short})
    seven = dict(settings, class_password="1234567")
    with pytest.raises(ValueError, match="8 characters"):
        hub_settings.configure_class(Config(), **seven)
    hub_settings.configure_class(Config(), **dict(settings, class_password="12345678"))


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
    monkeypatch.setenv("UNROLLED_HUB_DRY_RUN", "1")
    monkeypatch.syspath_prepend(str(HUB))
    config = Config()
    exec(compile(source, "hub-config", "exec"), {"c": config, "__name__": "hub_config"})
    return config


def test_tljh_and_z2jh_apply_the_same_class_settings(monkeypatch):
    import yaml
    z2jh = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text())
    for source, service_url, records in [
            ((HUB / "tljh_class.py").read_text(), "http://127.0.0.1:10101", "/var/lib/unrolled-class-progress"),
            (z2jh["hub"]["extraConfig"]["unrolled-class"], "http://hub:10101", "/srv/jupyterhub/class-progress")]:
        c = _run_hub_config(source, monkeypatch)
        assert c.JupyterHub.authenticator_class == "class_auth.ClassFirstUseAuthenticator"
        assert c.ClassFirstUseAuthenticator.class_password == "a-class-password"
        assert c.Authenticator.admin_users == {"instructor"}
        service, = c.JupyterHub.services
        assert (service["url"], service["environment"]["UNROLLED_RECORDS_DIR"]) == (service_url, records)
    hub = z2jh["hub"]
    assert hub["service"]["extraPorts"][0]["port"] == 10101 == hub["networkPolicy"]["ingress"][0]["ports"][0]["port"]
    assert set(hub["extraEnv"]) == {"CLASS_PASSWORD", "INSTRUCTOR_PASSWORD"}
    # KubeSpawner's environment (extraEnv) overrides Spawner's: the record URL is set there too.
    single = z2jh["singleuser"]
    assert single["extraEnv"]["UNROLLED_CLASS_RECORD_URL"] == hub_settings.record_url("hub", 10101)
    assert single["networkPolicy"]["egress"][0]["ports"] == [{"port": 10101}]


PRESET = {"JupyterHub": {"spawner_class": "kubespawner.KubeSpawner"},
          "Spawner": {"environment": {"OMP_NUM_THREADS": "1"}, "cmd": ["jupyterhub-singleuser"]},
          "KubeSpawner": {"uid": 1000, "fs_gid": 100}}


@pytest.mark.parametrize("hub", ["tljh", "z2jh"])
def test_the_class_settings_leave_the_hubs_own_spawner_and_isolation_alone(monkeypatch, hub):
    import yaml
    source = ((HUB / "tljh_class.py").read_text() if hub == "tljh" else
              yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text())["hub"]["extraConfig"][
                  "unrolled-class"])
    preset = Config(PRESET)
    if hub == "tljh":
        preset = Config({"JupyterHub": {"spawner_class": "tljh.spawner.UserCreatingSpawner"},
                         "SystemdSpawner": {"mem_limit": "1G", "cpu_limit": 1.0}})
    monkeypatch.setenv("CLASS_PASSWORD", "a-class-password")
    monkeypatch.setenv("INSTRUCTOR_PASSWORD", "an-instructor-password")
    monkeypatch.setenv("UNROLLED_HUB_DRY_RUN", "1")
    monkeypatch.syspath_prepend(str(HUB))
    config = copy.deepcopy(preset)
    exec(compile(source, "hub-config", "exec"), {"c": config, "__name__": "hub_config"})
    assert config.JupyterHub.spawner_class == preset.JupyterHub.spawner_class
    for section in ("KubeSpawner", "SystemdSpawner", "ClassUserSpawner", "LocalProcessSpawner"):
        assert config.get(section, {}) == preset.get(section, {})
    spawner = {key: value for key, value in config.Spawner.items() if key != "environment"}
    assert spawner == {key: value for key, value in preset.get("Spawner", {}).items() if key != "environment"}
    environment = config.Spawner.environment
    environment = environment.get_value({}) if hasattr(environment, "get_value") else environment
    assert set(environment) - set(preset.get("Spawner", {}).get("environment", {})) == {"UNROLLED_CLASS_RECORD_URL"}
    assert "--allow-root" not in str(config)


def test_the_one_machine_hub_isolates_learners_in_accounts_of_their_own(monkeypatch, tmp_path):
    c = _load_config(monkeypatch, tmp_path)
    assert c.JupyterHub.spawner_class == "class_spawner.ClassUserSpawner"
    assert c.ClassFirstUseAuthenticator.unix_accounts is True
    assert 0 < c.ClassUserSpawner.memory_limit_gb and 0 < c.ClassUserSpawner.max_tasks
    state_files = [c.JupyterHub.cookie_secret_file, c.JupyterHub.pid_file, c.ConfigurableHTTPProxy.pid_file,
                   c.ClassFirstUseAuthenticator.dbm_path, c.JupyterHub.db_url.removeprefix("sqlite:///")]
    assert all(Path(path).parent == tmp_path for path in state_files), state_files
    assert c.ClassUserSpawner.git_safe_directories == [str(ROOT), f"{ROOT}/.git"]


def test_git_trusts_only_a_local_course_repository():
    assert hub_settings.git_safe_directories("https://github.com/you/unrolled") == []
    assert hub_settings.git_safe_directories("file:///srv/unrolled/") == ["/srv/unrolled", "/srv/unrolled/.git"]
