"""The instructor's class view: a JupyterHub service at /services/class-progress/.

Learners send their progress here; the service never calls a learner's server. Each self-check in
a learner's kernel POSTs the learner's record to api/record with the learner's own token (their
server's JUPYTERHUB_API_TOKEN); the service asks the hub whose token it is (GET /hub/api/user with
that token) and keeps the record under that name, in memory and in UNROLLED_RECORDS_DIR, so a
stopped learner's progress stays in the view. Its own token (list and read users and servers) goes
only to the hub. A record is read with a size cap, a type check, cut hints and a time limit on its
body (class_view.checked_record): a bad one is "record unreadable" or "not answering" in that
learner's row only. Only hub admins may open the view: the hub's OAuth refuses a learner (they lack
access:services), and the service checks the admin flag itself as well (403).

Started by the hub (hub_settings.class_progress_service); settings from the environment:
  JUPYTERHUB_*                 set by the hub for every managed service (token, URLs, OAuth)
  UNROLLED_RECORDS_DIR         where records are kept ('' keeps them in memory only)
  UNROLLED_RECORD_TIMEOUT_S    how long a record's body may take to arrive (10)
  UNROLLED_REFRESH_S           how often the page refreshes (15)
  UNROLLED_SERVICE_BIND        the address it listens on (127.0.0.1; 0.0.0.0 in a hub pod on Kubernetes)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated  # noqa: E402
from jupyterhub.utils import url_path_join  # noqa: E402
from tornado import httpclient, httpserver, ioloop, web  # noqa: E402

from class_view import (NO_RECORD, NOT_ANSWERING, RECORD_MAX_BYTES, STOPPED, UNREADABLE,  # noqa: E402
                        checked_record, class_table)
from course_utils.progress import ProgressFileError, now_stamp  # noqa: E402

PAGE = Path(__file__).resolve().parent / "class_view.html"
NOT_INSTRUCTOR = "Only the instructor (a hub admin) may open the class view."
IDENTITY_CACHE_S = 300


def setting(name: str, default: str) -> str:
    return os.environ.get(name, default)


async def hub_api(path: str, token: str, paginated: bool = False) -> object:
    """GET the hub's REST API with `token` (the service's own, or a learner's to ask whose it is)."""
    headers = {"Authorization": f"token {token}"}
    if paginated:
        headers["Accept"] = "application/jupyterhub-pagination+json"
    url = setting("JUPYTERHUB_API_URL", "") + path
    response = await httpclient.AsyncHTTPClient().fetch(url, headers=headers, request_timeout=10)
    return json.loads(response.body)


async def all_users(token: str) -> list[dict]:
    """Every hub user, page by page (the hub returns at most api_page_max_limit, 200, at a time)."""
    users, offset = [], 0
    while True:
        page = await hub_api(f"/users?offset={offset}&limit=200", token, paginated=True)
        users += page["items"]
        following = page["_pagination"].get("next")
        if not following:
            return users
        offset = following["offset"]


_identities: dict[str, tuple[str | None, float]] = {}


async def token_owner(token: str) -> str | None:
    """The hub user a token belongs to (asked of the hub, cached a few minutes); None for a service's
    token or one the hub does not know."""
    key = hashlib.sha256(token.encode("utf8", "replace")).hexdigest()
    name, expires = _identities.get(key, (None, 0.0))
    if expires > time.monotonic():
        return name
    try:
        model = await hub_api("/user", token)
        name = model["name"] if model.get("kind") == "user" else None
    except httpclient.HTTPClientError as error:
        if error.code not in (401, 403):
            raise
        name = None
    _identities[key] = (name, time.monotonic() + IDENTITY_CACHE_S)
    return name


class Records:
    """Each learner's last record (or what was wrong with it), kept in `folder` when given."""

    def __init__(self, folder: str = "") -> None:
        self.folder = Path(folder) if folder else None
        self.entries: dict[str, dict] = {}
        if self.folder:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path in sorted(self.folder.glob("*.json")) if self.folder else []:
            try:
                self.entries[unquote(path.stem)] = json.loads(path.read_text())
            except (OSError, ValueError):
                continue

    def keep(self, name: str, record: dict | None, problem: str | None) -> None:
        """Store a learner's record, or the problem in place of it."""
        entry = {"record": record, "problem": problem, "received": now_stamp()}
        self.entries[name] = entry
        if self.folder:
            path = self.folder / f"{quote(name, safe='')}.json"
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(entry))
            os.replace(temporary, path)

    def row(self, user: dict) -> tuple[dict | None, str]:
        """(record, status) of a learner for the table."""
        server = (user.get("servers") or {}).get("")
        running = bool(server and server.get("ready"))
        entry = self.entries.get(user["name"])
        if entry is None:
            return None, NO_RECORD if running else STOPPED
        if entry["problem"]:
            return None, entry["problem"]
        return entry["record"], "ok" if running else STOPPED


@web.stream_request_body
class RecordAPI(web.RequestHandler):
    """POST api/record: a learner's record, sent with their own token."""

    learner: str | None = None

    async def prepare(self) -> None:
        self.chunks, self.size, self.done = [], 0, False
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if self.request.method != "POST" or scheme.lower() not in ("token", "bearer") or not token:
            raise web.HTTPError(403, "a learner's own token is needed")
        self.learner = await token_owner(token.strip())
        if self.learner is None:
            raise web.HTTPError(403, "not a learner's token")
        declared = self.request.headers.get("Content-Length", "0")
        if not declared.isdigit():
            raise web.HTTPError(400, "Content-Length is not a number")
        if int(declared) > RECORD_MAX_BYTES:
            self.keep(None, f"{UNREADABLE} (larger than {RECORD_MAX_BYTES // 1024} kB)")
            raise web.HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size <= RECORD_MAX_BYTES:
            self.chunks.append(chunk)

    def keep(self, record: dict | None, problem: str | None) -> None:
        self.done = True
        self.settings["records"].keep(self.learner, record, problem)

    def post(self) -> None:
        try:
            if self.size > RECORD_MAX_BYTES:
                raise ProgressFileError(f"larger than {RECORD_MAX_BYTES // 1024} kB")
            record = checked_record(b"".join(self.chunks))
        except ProgressFileError as error:
            self.keep(None, f"{UNREADABLE} ({error})")
            raise web.HTTPError(400, str(error)) from None
        self.keep(record, None)
        self.finish({"kept": len(record["exercises"])})

    def on_connection_close(self) -> None:
        if self.learner and not self.done:       # the body never arrived in full
            self.keep(None, f"{NOT_ANSWERING} (the record stopped arriving)")


class InstructorOnly(HubOAuthenticated, web.RequestHandler):
    """A page of the service: a hub login (OAuth) that is a hub admin, else 403."""

    async def prepare(self) -> None:
        user = self.get_current_user()
        if user is None:
            return                                   # @web.authenticated sends them to log in
        model = await hub_api(f"/users/{quote(user['name'])}", self.settings["hub_token"])
        if not model.get("admin"):
            raise web.HTTPError(403, NOT_INSTRUCTOR)

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = NOT_INSTRUCTOR if status_code == 403 else self._reason
        self.finish(f"<!doctype html><html lang='en'><title>{status_code}</title>"
                    f"<main><h1>{status_code}</h1><p>{reason}</p></main></html>")


class TableAPI(InstructorOnly):
    @web.authenticated
    async def get(self) -> None:
        learners = [user for user in await all_users(self.settings["hub_token"]) if not user.get("admin")]
        records = self.settings["records"]
        self.set_header("Cache-Control", "no-store")
        self.finish(class_table({user["name"]: records.row(user) for user in learners}))


class TablePage(InstructorOnly):
    @web.authenticated
    async def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        # A fetch() is not a page load: JupyterHub accepts its login cookie only with the xsrf token.
        page = PAGE.read_text().replace("{{xsrf}}", self.xsrf_token.decode("ascii"))
        self.finish(page.replace("{{refresh_s}}", str(int(setting("UNROLLED_REFRESH_S", "15")))))


def make_app(records: Records | None = None) -> web.Application:
    prefix = setting("JUPYTERHUB_SERVICE_PREFIX", "/services/class-progress/")
    return web.Application([
        (prefix, TablePage),
        (url_path_join(prefix, "api/progress"), TableAPI),
        (url_path_join(prefix, "api/record"), RecordAPI),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32), records=records or Records(setting("UNROLLED_RECORDS_DIR", "")),
        hub_token=os.environ["JUPYTERHUB_API_TOKEN"])


def service_address() -> tuple[str, int]:
    """(address, port) the service listens on: the port of its URL, on 127.0.0.1 unless told."""
    port = urlparse(setting("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")).port
    return setting("UNROLLED_SERVICE_BIND", "127.0.0.1"), port


def make_server(app: web.Application) -> httpserver.HTTPServer:
    """The HTTP server: bodies beyond twice the record cap are cut off, slow ones time out."""
    return httpserver.HTTPServer(app, max_body_size=2 * RECORD_MAX_BYTES,
                                 body_timeout=float(setting("UNROLLED_RECORD_TIMEOUT_S", "10")))


def main() -> None:
    address, port = service_address()
    make_server(make_app()).listen(port, address)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
