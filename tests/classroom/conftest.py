"""Fixtures of the classroom tests: the class-progress service (deploy/jupyterhub/class_service.py)
running against an in-process hub double (hub_double.py), with learners' servers that log headers."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from tornado import web

HERE = Path(__file__).resolve().parent
HUB_FILES = HERE.parents[1] / "deploy" / "jupyterhub"
sys.path[:0] = [str(HUB_FILES), str(HERE)]

import hub_double  # noqa: E402


@pytest.fixture
def shared_tmp():
    """A folder other users can enter (pytest's tmp_path is under a 0700 folder: a learner's user
    could reach nothing in it, and every probe would be refused for the wrong reason)."""
    folder = Path(tempfile.mkdtemp(prefix="unrolled-shared-", dir="/tmp"))
    os.chmod(folder, 0o711)
    yield folder
    shutil.rmtree(folder)


@dataclass
class Class:
    """The running service and its hub: `url` of the service's prefix, what reached each."""

    url: str
    hub: hub_double.Hub
    seen_by_servers: list
    records: Path
    module: object


@pytest.fixture
def classroom(monkeypatch, tmp_path):
    """The service started as the hub would start it, with an empty class (add users to `hub`)."""
    from jupyterhub.services.auth import HubOAuth

    import class_service
    hub, seen = hub_double.Hub(), []
    hub.tokens[hub_double.SERVICE_TOKEN] = ("service", "class-progress", [])
    hub_port, servers_port, service_port = (hub_double.free_port() for _ in range(3))
    records = tmp_path / "records"
    records.mkdir()
    for key, value in hub_double.service_env(hub_port, servers_port, str(records)).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", f"http://127.0.0.1:{service_port}")
    HubOAuth.clear_instance()                      # a fresh HubOAuth from this environment
    class_service._identities.clear()
    # The hub in a loop of its own: HubOAuth asks it synchronously from inside the service's loop.
    loop, hub_loop = hub_double.Loop(), hub_double.Loop()
    loop.start()
    hub_loop.start()
    hub_app = web.Application([(r"/hub/api/user", hub_double.Identify, {"hub": hub}),
                               (r"/hub/api/users", hub_double.UserList, {"hub": hub}),
                               (r"/hub/api/users/([^/]+)", hub_double.UserModel, {"hub": hub})])
    servers_app = web.Application([(r"/.*", hub_double.HeaderLogger, {"seen": seen})])
    hub_loop.call(hub_double.listen, hub_app, hub_port)
    hub_loop.call(hub_double.listen, servers_app, servers_port)
    loop.call(lambda: hub_double.listen(class_service.make_app(), service_port, class_service.make_server))
    yield Class(f"http://127.0.0.1:{service_port}{hub_double.PREFIX}", hub, seen, records, class_service)
    loop.stop()
    hub_loop.stop()
    HubOAuth.clear_instance()
