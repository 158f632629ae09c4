"""An in-process stand-in for the parts of JupyterHub 6.1.1's REST API the class-progress service
uses, a learner's server that logs every request header, and the service itself, all on 127.0.0.1
in a background event loop (the tests talk to them with `requests`, as a browser or kernel would).

Like the real hub: /hub/api/users pages only when asked with the pagination Accept header (else a
plain list), at most `page_max` users a page; /hub/api/user tells any valid token's owner and
scopes; the user list and models need the service's token.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass, field

from tornado import httpserver, web

SERVICE_TOKEN = "service-token-0123456789"
PREFIX = "/services/class-progress/"
PAGINATION = "application/jupyterhub-pagination+json"
VIEW_SCOPES = ["access:services", "access:services!service=class-progress"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Hub:
    """Users, tokens and every request the hub was sent (path, Authorization header)."""

    users: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)  # token → kind, name, scopes
    requests: list[tuple[str, str]] = field(default_factory=list)
    page_max: int = 3

    def add_user(self, name: str, running: bool = True, admin: bool = False, scopes: list[str] = ()) -> str:
        """A user (running server or not) and a token of theirs, returned."""
        self.users[name] = {"admin": admin, "running": running}
        token = f"token-of-{name}"
        self.tokens[token] = ("user", name, list(scopes))
        return token

    def model(self, name: str) -> dict:
        user = self.users[name]
        servers = {"": {"ready": True, "url": f"/user/{name}/"}} if user["running"] else {}
        return {"kind": "user", "name": name, "admin": user["admin"], "servers": servers}


class HubHandler(web.RequestHandler):
    def initialize(self, hub: Hub) -> None:
        self.hub = hub

    def owner(self) -> tuple[str, str, list[str]]:
        auth = self.request.headers.get("Authorization", "")
        self.hub.requests.append((self.request.uri, auth))
        found = self.hub.tokens.get(auth.removeprefix("token ").strip())
        if found is None:
            raise web.HTTPError(403)
        return found

    def service_only(self) -> None:
        if self.owner()[0] != "service":
            raise web.HTTPError(403)


class Identify(HubHandler):
    def get(self) -> None:
        kind, name, scopes = self.owner()
        model = self.hub.model(name) if kind == "user" else {"kind": "service", "name": name}
        self.finish({**model, "scopes": scopes})


class UserList(HubHandler):
    def get(self) -> None:
        self.service_only()
        names = sorted(self.hub.users)
        offset = int(self.get_argument("offset", "0"))
        limit = min(int(self.get_argument("limit", "200")), self.hub.page_max)
        items = [self.hub.model(name) for name in names[offset:offset + limit]]
        if PAGINATION not in self.request.headers.get("Accept", ""):
            self.finish(json.dumps(items))
            return
        following = {"offset": offset + limit, "limit": limit} if offset + limit < len(names) else None
        self.finish({"items": items, "_pagination": {"offset": offset, "limit": limit, "total": len(names),
                                                     "next": following}})


class UserModel(HubHandler):
    def get(self, name: str) -> None:
        self.service_only()
        self.finish(self.hub.model(name))


class HeaderLogger(web.RequestHandler):
    """Every learner's server: logs each request's headers (as a learner's own config could)."""

    def initialize(self, seen: list) -> None:
        self.seen = seen

    def prepare(self) -> None:
        self.seen.append(dict(self.request.headers))
        self.finish({"type": "file", "format": "text", "content": "{}"})


class Loop(threading.Thread):
    """An asyncio event loop in a thread, for the servers."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.loop = asyncio.new_event_loop()

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, function, *args):  # noqa: ANN001, ANN201
        """Run `function(*args)` in the loop's thread; its result."""
        async def inside():  # noqa: ANN202
            return function(*args)
        return asyncio.run_coroutine_threadsafe(inside(), self.loop).result(30)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(10)


def service_env(hub_port: int, servers_port: int, records: str) -> dict[str, str]:
    """The environment the hub gives the class-progress service (as for a managed service)."""
    return {"JUPYTERHUB_API_TOKEN": SERVICE_TOKEN, "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
            "JUPYTERHUB_SERVICE_PREFIX": PREFIX, "JUPYTERHUB_SERVICE_NAME": "class-progress",
            "JUPYTERHUB_CLIENT_ID": "service-class-progress", "JUPYTERHUB_BASE_URL": "/",
            "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(VIEW_SCOPES), "JUPYTERHUB_HOST": "",
            "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback",
            # where the service once fetched records from learners' servers: now the header logger
            "UNROLLED_SERVERS_URL": f"http://127.0.0.1:{servers_port}",
            "UNROLLED_RECORDS_DIR": records, "UNROLLED_RECORD_TIMEOUT_S": "1"}


def listen(app: web.Application, port: int, server_factory=None) -> httpserver.HTTPServer:  # noqa: ANN001
    server = server_factory(app) if server_factory else httpserver.HTTPServer(app)
    server.listen(port, "127.0.0.1")
    return server
