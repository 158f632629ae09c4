"""One simulated learner on the classroom hub, over HTTP like a browser: log in (the first time with
the class password, setting their own), start a server, pull the course with nbgitpuller, open a notebook and run every code cell
in the learner's own kernel (Jupyter's kernel websocket). Used by `classroom_load.py`.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Callable

import requests
import websocket


@dataclass
class LearnerRun:
    """What happened to one learner; times in seconds since the class started logging in."""

    name: str
    logged_in_s: float = float("nan")
    ready_s: float = float("nan")
    pulled_s: float = float("nan")
    done_s: float = float("nan")
    kernel_imports_mb: float = float("nan")   # kernel RSS after the notebook's first (import) cell
    kernel_cpu_s: float = float("nan")        # the kernel's CPU time when the last cell finished
    kernel_pss_mb: float = float("nan")       # the kernel's proportional set size then
    server_cpu_s: float = float("nan")        # the learner's Jupyter server's CPU time then
    peak_total_mb: float = float("nan")       # peak RSS of the learner's server + kernel
    peak_kernel_mb: float = float("nan")      # peak RSS of the kernel alone
    cells: int = 0
    error: str = ""


class LoginRefused(RuntimeError):
    """The hub's login form did not let this name and password in."""


def hub_login(hub: str, name: str, password: str, class_password: str = "") -> requests.Session:
    """Log in through the hub's login form (cookies + xsrf, like a browser): a logged-in session.
    `class_password` goes in the form's third box (needed the first time a name is used)."""
    session = requests.Session()
    session.get(f"{hub}/hub/login", timeout=60).raise_for_status()
    form = {"username": name, "password": password, "otp": class_password, "_xsrf": session.cookies.get("_xsrf")}
    reply = session.post(f"{hub}/hub/login", data=form, allow_redirects=False, timeout=120)
    if reply.status_code != 302 or "jupyterhub-session-id" not in session.cookies:
        raise LoginRefused(f"login refused ({reply.status_code})")
    return session


def login_token(hub: str, name: str, password: str, class_password: str = "") -> str:
    """Log in (see hub_login) and return an API token of the learner's."""
    session = hub_login(hub, name, password, class_password)
    xsrf = session.cookies.get("_xsrf", path="/hub/")
    reply = session.post(f"{hub}/hub/api/users/{name}/tokens", json={"note": "classroom-test"},
                         headers={"X-XSRFToken": xsrf}, timeout=60)
    reply.raise_for_status()
    return reply.json()["token"]


def start_server(hub: str, name: str, headers: dict[str, str], timeout_s: float) -> None:
    """Ask for the learner's server and wait until the hub says it is ready."""
    reply = requests.post(f"{hub}/hub/api/users/{name}/server", headers=headers, timeout=timeout_s)
    if reply.status_code not in (201, 202, 400):   # 400: already running
        raise RuntimeError(f"spawn refused ({reply.status_code}): {reply.text[:200]}")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        user = requests.get(f"{hub}/hub/api/users/{name}", headers=headers, timeout=60).json()
        server = user.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        if not server and not user.get("pending"):
            raise RuntimeError("server failed to start (see the hub log)")
        time.sleep(0.5)
    raise TimeoutError(f"server not ready after {timeout_s:.0f} s")


def pull_course(base: str, headers: dict[str, str], query: str, timeout_s: float) -> None:
    """Run nbgitpuller's pull through its event-stream API, as its progress page does."""
    with requests.get(f"{base}/git-pull/api?{query}", headers=headers, stream=True,
                      timeout=timeout_s) as reply:
        reply.raise_for_status()
        for line in reply.iter_lines(decode_unicode=True):
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if event.get("phase") == "finished":
                    return
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller: {event.get('message')}")
    raise RuntimeError("nbgitpuller stream ended without 'finished'")


def notebook_cells(base: str, headers: dict[str, str], path: str) -> list[str]:
    """The code cells of the learner's own (pulled) copy of a notebook, via the contents API."""
    reply = requests.get(f"{base}/api/contents/{path}", params={"content": 1}, headers=headers, timeout=60)
    reply.raise_for_status()
    cells = reply.json()["content"]["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def open_kernel(base: str, headers: dict[str, str], path: str) -> str:
    """Open the notebook as JupyterLab does (a session with a python3 kernel); the kernel's id."""
    body = {"path": path, "type": "notebook", "name": path.split("/")[-1], "kernel": {"name": "python3"}}
    reply = requests.post(f"{base}/api/sessions", json=body, headers=headers, timeout=120)
    reply.raise_for_status()
    return reply.json()["kernel"]["id"]


def execute_request(code: str, session: str) -> dict:
    """A Jupyter messaging 'execute_request' for the shell channel."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "session": session,
              "username": "learner", "version": "5.3", "date": ""}
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    return {"header": header, "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": []}


def await_reply(ws: websocket.WebSocket, msg_id: str) -> dict:
    """Read the kernel's messages until the execute_reply to `msg_id`; its content."""
    while True:
        frame = ws.recv()
        if isinstance(frame, bytes):          # messages with binary buffers (widget state)
            continue
        msg = json.loads(frame)
        if msg.get("msg_type") == "execute_reply" and msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def run_cells(ws_url: str, token: str, cells: list[str], timeout_s: float,
              after_first: Callable[[], None] = lambda: None) -> int:
    """Run `cells` in order in the kernel behind `ws_url`; the number run. Raises on an error."""
    ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout_s)
    try:
        session = uuid.uuid4().hex
        for k, code in enumerate(cells):
            request = execute_request(code, session)
            ws.send(json.dumps(request))
            reply = await_reply(ws, request["header"]["msg_id"])
            if reply["status"] != "ok":
                raise RuntimeError(f"cell {k + 1}: {reply.get('ename')}: {reply.get('evalue')}")
            if k == 0:
                after_first()
        return len(cells)
    finally:
        ws.close()


def cell_output(ws_url: str, token: str, code: str, timeout_s: float) -> str:
    """Run one cell in the kernel behind `ws_url`; what it printed (stdout). Raises on an error."""
    ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout_s)
    try:
        request = execute_request(code, uuid.uuid4().hex)
        ws.send(json.dumps(request))
        printed, reply, idle = [], None, False
        while reply is None or not idle:           # the output (iopub) may come after the reply (shell)
            frame = ws.recv()
            msg = json.loads(frame) if isinstance(frame, str) else {}
            if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                continue
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                printed.append(msg["content"]["text"])
            reply = msg["content"] if msg["msg_type"] == "execute_reply" else reply
            idle = idle or (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle")
        if reply["status"] != "ok":
            raise RuntimeError(f"{reply.get('ename')}: {reply.get('evalue')}")
        return "".join(printed)
    finally:
        ws.close()
