"""The instructor's class view: a JupyterHub service at /services/class-progress/.

It lists the hub's learners, reads each running learner's progress file through their own Jupyter
server's contents API with the service's token (scopes: list/read users and servers, access to
servers; no shared file system), and serves the table (class_view.py) as JSON and as a sortable,
self-refreshing page. Only hub admins may open it: the hub's OAuth refuses a learner (they lack
access:services), and the service checks the admin flag itself as well (403).

Started by the hub (hub_settings.class_progress_service); settings from the environment:
  JUPYTERHUB_*                 set by the hub for every managed service (token, URLs, OAuth)
  UNROLLED_SERVERS_URL         where the learners' servers are reached (the proxy), e.g. http://127.0.0.1:8000
  UNROLLED_PROGRESS_FILE       the record's path in each learner's home (unrolled/unrolled_progress.json)
  UNROLLED_REFRESH_S           how often the page refreshes (15)
  UNROLLED_SERVICE_BIND        the address it listens on (127.0.0.1; 0.0.0.0 in a hub pod on Kubernetes)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated  # noqa: E402
from jupyterhub.utils import url_path_join  # noqa: E402
from tornado import httpclient, ioloop, web  # noqa: E402

from class_view import NO_RECORD, STOPPED, class_table, record_from_contents  # noqa: E402
from course_utils.progress import ProgressFileError  # noqa: E402

PAGE = Path(__file__).resolve().parent / "class_view.html"
NOT_INSTRUCTOR = "Only the instructor (a hub admin) may open the class view."


def setting(name: str, default: str) -> str:
    return os.environ.get(name, default)


async def hub_api(path: str, paginated: bool = False) -> object:
    """GET the hub's REST API with the service's own token; the parsed JSON."""
    headers = {"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"}
    if paginated:
        headers["Accept"] = "application/jupyterhub-pagination+json"
    url = setting("JUPYTERHUB_API_URL", "") + path
    response = await httpclient.AsyncHTTPClient().fetch(url, headers=headers, request_timeout=10)
    return json.loads(response.body)


async def all_users() -> list[dict]:
    """Every hub user, page by page (the hub returns at most api_page_max_limit, 200, at a time)."""
    users, offset = [], 0
    while True:
        page = await hub_api(f"/users?offset={offset}&limit=200", paginated=True)
        users += page["items"]
        following = page["_pagination"].get("next")
        if not following:
            return users
        offset = following["offset"]


async def learner_progress(user: dict) -> tuple[dict | None, str]:
    """(record, status) of one learner: their progress file through their running server."""
    server = (user.get("servers") or {}).get("")
    if not server or not server.get("ready"):
        return None, STOPPED
    path = quote(setting("UNROLLED_PROGRESS_FILE", "unrolled/unrolled_progress.json"))
    url = url_path_join(setting("UNROLLED_SERVERS_URL", "http://127.0.0.1:8000"), server["url"],
                        f"api/contents/{path}") + "?type=file&format=text&content=1"
    response = await httpclient.AsyncHTTPClient().fetch(
        url, raise_error=False, request_timeout=10,
        headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"})
    if response.code == 404:
        return None, NO_RECORD
    if response.code != 200:
        return None, f"could not read the record (HTTP {response.code})"
    try:
        return record_from_contents(json.loads(response.body)), "ok"
    except (ValueError, ProgressFileError) as error:
        return None, f"record unreadable ({error})"


class InstructorOnly(HubOAuthenticated, web.RequestHandler):
    """A page of the service: a hub login (OAuth) that is a hub admin, else 403."""

    async def prepare(self) -> None:
        user = self.get_current_user()
        if user is None:
            return                                   # @web.authenticated sends them to log in
        model = await hub_api(f"/users/{quote(user['name'])}")
        if not model.get("admin"):
            raise web.HTTPError(403, NOT_INSTRUCTOR)

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = NOT_INSTRUCTOR if status_code == 403 else self._reason
        self.finish(f"<!doctype html><html lang='en'><title>{status_code}</title>"
                    f"<main><h1>{status_code}</h1><p>{reason}</p></main></html>")


class TableAPI(InstructorOnly):
    @web.authenticated
    async def get(self) -> None:
        users = await all_users()
        learners = [user for user in users if not user.get("admin")]
        records = await asyncio.gather(*(learner_progress(user) for user in learners))
        self.set_header("Cache-Control", "no-store")
        self.finish(class_table({user["name"]: result for user, result in zip(learners, records)}))


class TablePage(InstructorOnly):
    @web.authenticated
    async def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        # A fetch() is not a page load: JupyterHub accepts its login cookie only with the xsrf token.
        page = PAGE.read_text().replace("{{xsrf}}", self.xsrf_token.decode("ascii"))
        self.finish(page.replace("{{refresh_s}}", str(int(setting("UNROLLED_REFRESH_S", "15")))))


def make_app() -> web.Application:
    prefix = setting("JUPYTERHUB_SERVICE_PREFIX", "/services/class-progress/")
    return web.Application([
        (prefix, TablePage),
        (url_path_join(prefix, "api/progress"), TableAPI),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32))


def main() -> None:
    url = urlparse(setting("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    make_app().listen(url.port, setting("UNROLLED_SERVICE_BIND", url.hostname or "127.0.0.1"))
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
