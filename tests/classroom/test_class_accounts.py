"""Learners' Unix accounts on the one-machine hub (deploy/jupyterhub/class_accounts.py,
class_spawner.py): the name rules, the accounts themselves (made for real when the tests run as
root, as CI does), and what a learner's server starts with."""

import asyncio
import os
import pwd
import resource
import subprocess
import sys
import types
import uuid
from pathlib import Path

import pytest
from traitlets.config import Config

import class_accounts
from class_spawner import ClassUserSpawner

ON_CI = os.environ.get("CI", "").lower() == "true"
NOT_ROOT = os.geteuid() != 0 and not ON_CI      # on CI (as root) these run; elsewhere they need root
as_root = pytest.mark.skipif(NOT_ROOT, reason="creating Unix users needs root (CI runs as root)")
HUB = Path(class_accounts.__file__).resolve().parent


@pytest.mark.parametrize("name, unix", [("ada", "jupyter-ada"), ("root", "jupyter-root"),
                                        ("a" * 24, "jupyter-" + "a" * 24)])
def test_a_hub_name_becomes_jupyter_name(name, unix):
    assert class_accounts.name_refusal(name) is None and class_accounts.unix_name(name) == unix


def test_a_long_name_is_cut_with_a_hash_so_two_long_names_stay_apart():
    first, second = "a-very-long-learner-name-number-1", "a-very-long-learner-name-number-2"
    assert len(class_accounts.unix_name(first)) == 32 and class_accounts.unix_name(first).startswith("jupyter-")
    assert class_accounts.unix_name(first) != class_accounts.unix_name(second)


@pytest.mark.parametrize("name", ["Ada", "ada lovelace", "ada.l", "-ada", "ada:x", "../etc", "", "ada\n"])
def test_a_name_that_cant_be_a_unix_name_is_refused_with_the_rule(name):
    assert class_accounts.name_refusal(name) == class_accounts.BAD_NAME
    assert "lowercase letters" in class_accounts.BAD_NAME


def test_a_name_over_64_characters_is_refused():
    assert class_accounts.name_refusal("a" * 65) == class_accounts.LONG_NAME
    assert class_accounts.name_refusal("a" * 64) is None


@as_root
def test_a_learners_account_has_no_login_no_password_and_a_home_only_they_can_read(tmp_path):
    name = f"t{uuid.uuid4().hex[:10]}"
    try:
        entry = class_accounts.create_account(name, tmp_path / "homes")
        assert entry.pw_name == f"jupyter-{name}" and entry.pw_uid not in (0, os.getuid())
        assert entry.pw_shell == class_accounts.NOLOGIN and entry.pw_gecos == class_accounts.comment(name)
        home = Path(entry.pw_dir)
        assert home.parent == tmp_path / "homes" and home.stat().st_uid == entry.pw_uid
        assert home.stat().st_mode & 0o777 == 0o700
        shadow = subprocess.run(["getent", "shadow", entry.pw_name], capture_output=True, text=True).stdout
        assert shadow.split(":")[1].startswith("!")                 # no password: locked
        assert class_accounts.in_learner_group(entry.pw_name)
        assert class_accounts.create_account(name, tmp_path / "homes").pw_uid == entry.pw_uid   # second start
    finally:
        class_accounts.delete_account(f"jupyter-{name}")


@as_root
def test_a_name_whose_unix_user_the_hub_did_not_make_is_refused(tmp_path):
    name = f"t{uuid.uuid4().hex[:10]}"
    class_accounts.run(["useradd", "--system", "--no-create-home", f"jupyter-{name}"])   # someone else's
    try:
        refusal = class_accounts.ownership_refusal(name)
        assert refusal and "did not create" in refusal
        with pytest.raises(PermissionError, match="did not create"):
            class_accounts.create_account(name, tmp_path)
        from class_auth import ClassFirstUseAuthenticator
        auth = ClassFirstUseAuthenticator(dbm_path=str(tmp_path / "p.dbm"), class_password="the-class-password",
                                          instructor_password="teacher-password", unix_accounts=True)
        handler = types.SimpleNamespace(custom_login_error="")
        data = {"username": name, "password": "long-enough", "otp": "the-class-password"}
        assert asyncio.run(auth.authenticate(handler, data)) is None and "did not create" in handler.custom_login_error
    finally:
        class_accounts.delete_account(f"jupyter-{name}")


def spawner(config: Config | None = None, name: str = "ada") -> ClassUserSpawner:
    from jupyterhub.objects import Hub
    user = types.SimpleNamespace(name=name, url=f"/user/{name}/", escaped_name=name, settings={}, orm_user=None,
                                 server=None, base_url="/", id=1)
    return ClassUserSpawner(user=user, hub=Hub(), api_token=f"own-token-of-{name}", config=config or Config(),
                            oauth_client_id=f"jupyterhub-user-{name}")


SECRETS = {"CLASS_PASSWORD": "the-class-secret", "INSTRUCTOR_PASSWORD": "the-teacher-secret",
           "UNROLLED_HUB_TEST_TOKEN": "the-test-token", "CONFIGPROXY_AUTH_TOKEN": "the-proxy-token"}


def test_a_learners_server_gets_no_hub_secret_and_only_its_own_token(monkeypatch, tmp_path):
    for key, value in SECRETS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("UNROLLED_HUB_STATE", str(tmp_path))
    monkeypatch.setenv("UNROLLED_HUB_DRY_RUN", "1")
    config = Config()
    source = (HUB / "jupyterhub_config.py").read_text()
    exec(compile(source, "jupyterhub_config.py", "exec"),
         {"get_config": lambda: config, "__file__": str(HUB / "jupyterhub_config.py")})
    for key in ("CLASS_PASSWORD", "INSTRUCTOR_PASSWORD", "UNROLLED_HUB_TEST_TOKEN"):
        assert key not in os.environ, f"{key} stays in the hub's environment (the proxy would inherit it)"
    env = spawner(config).get_env()
    assert not set(SECRETS.values()) & set(env.values())
    tokens = {key: value for key, value in env.items() if "TOKEN" in key}
    assert set(tokens.values()) == {"own-token-of-ada"}
    assert env["USER"] == "jupyter-ada" and env["HOME"].endswith("/jupyter-ada")
    assert "--allow-root" not in config.Spawner.args


def test_the_learners_process_drops_to_their_user_under_the_limits(tmp_path):
    if NOT_ROOT:
        pytest.skip("setuid needs root")
    name = f"t{uuid.uuid4().hex[:10]}"
    sp = spawner(Config({"ClassUserSpawner": {"homes": str(tmp_path), "memory_limit_gb": 3.0, "max_tasks": 300}}),
                 name)
    entry = class_accounts.create_account(name, tmp_path)
    try:
        code = ("import os, resource; print(os.getuid(), os.getgid(), resource.getrlimit(resource.RLIMIT_AS)[0], "
                "resource.getrlimit(resource.RLIMIT_NPROC)[0])")
        python = "/usr/bin/python3" if class_accounts.unreachable_by_others(Path(sys.executable)) else sys.executable
        out = subprocess.run([python, "-c", code], preexec_fn=sp.make_preexec_fn("ignored"),
                             capture_output=True, text=True, check=True, cwd="/").stdout.split()
        assert [int(v) for v in out] == [entry.pw_uid, entry.pw_gid, 3 * 1024 ** 3, 300]
    finally:
        class_accounts.delete_account(entry.pw_name)


def test_a_spawn_for_a_refused_name_fails_with_the_reason(tmp_path):
    sp = spawner(Config({"ClassUserSpawner": {"homes": str(tmp_path)}}), "Bad Name")
    with pytest.raises(PermissionError, match="lowercase letters" if os.geteuid() == 0 else "must run as root"):
        asyncio.run(sp.create_account())


def test_runtime_folders_outside_homes_sit_in_a_root_owned_parent(tmp_path):
    if NOT_ROOT:
        pytest.skip("chown needs root")
    parent = tmp_path / "planted"
    parent.mkdir(mode=0o777)
    os.chmod(parent, 0o777)                                  # as a learner could make one in /tmp
    with pytest.raises(PermissionError, match="not writable by others"):
        class_accounts.runtime_folder(parent / "jupyter-ada", pwd.getpwnam("nobody"))
    class_accounts.runtime_folder(tmp_path / "ok" / "jupyter-ada", pwd.getpwnam("nobody"))
    folder = tmp_path / "ok" / "jupyter-ada"
    assert folder.stat().st_uid == pwd.getpwnam("nobody").pw_uid and folder.stat().st_mode & 0o777 == 0o700


@as_root
def test_a_learner_can_pull_the_course_from_a_repository_root_owns(shared_tmp):
    repo = shared_tmp / "course"
    repo.mkdir(mode=0o755)
    for command in (["init", "-q", "-b", "main"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                                                   "--allow-empty", "-m", "course"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True, timeout=60)
    name = f"t{uuid.uuid4().hex[:10]}"
    entry = class_accounts.create_account(name, shared_tmp / "homes")
    try:
        git = ["git", "ls-remote", "--heads", f"file://{repo}"]
        as_learner = dict(preexec_fn=lambda: (os.setgid(entry.pw_gid), os.setgroups([]), os.setuid(entry.pw_uid)),
                          env={"HOME": entry.pw_dir, "PATH": "/usr/bin:/bin"}, cwd=entry.pw_dir,
                          capture_output=True, text=True, timeout=60)
        assert "dubious ownership" in subprocess.run(git, **as_learner).stderr
        class_accounts.trust_in_git(entry, [str(repo), f"{repo}/.git"])
        class_accounts.trust_in_git(entry, [str(repo), f"{repo}/.git"])              # a second start: no change
        assert subprocess.run(git, **as_learner).returncode == 0
        gitconfig = Path(entry.pw_dir) / ".gitconfig"
        assert gitconfig.stat().st_uid == entry.pw_uid and gitconfig.read_text().count("directory =") == 2
    finally:
        class_accounts.delete_account(entry.pw_name)


def test_the_hub_will_not_start_on_a_venv_learners_cannot_run(shared_tmp):
    hidden = shared_tmp / "root-only"
    (hidden / "venv" / "bin").mkdir(parents=True)
    python = hidden / "venv" / "bin" / "python"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    hidden.chmod(0o700)                                       # as pyenv's Python under /root
    course = shared_tmp / "course"
    course.mkdir(mode=0o755)
    problems = class_accounts.prepare_host(shared_tmp / "state", shared_tmp / "records", python, course)
    if os.geteuid() != 0:
        assert problems == [class_accounts.NEEDS_ROOT]
        return
    assert len(problems) == 2 and all(str(hidden) in problem for problem in problems)
    assert not (shared_tmp / "state").exists()                # nothing made before the checks pass
    hidden.chmod(0o755)
    assert class_accounts.prepare_host(shared_tmp / "state", shared_tmp / "records", python, course) == []
    assert (shared_tmp / "state").stat().st_mode & 0o777 == 0o700
    records = (shared_tmp / "records").stat()
    assert records.st_uid == pwd.getpwnam(class_accounts.SERVICE_USER).pw_uid and records.st_mode & 0o777 == 0o700
