"""The load test's checks of isolation, run against the live hub after the class (classroom_load.py):

- from learner A's kernel, the in-kernel probes of classroom_isolation.py against learner B, the
  hub's files and processes; A's server token must be A's own;
- A's server, set by A to log every request header, must see no token but A's own while the
  instructor's view is read;
- five learners send bad records (nested, 110 MB, "passed": "no", a 50 MB hint, a body that stops
  coming while their server is paused): those rows say so, every other row is intact.
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import time
from pathlib import Path

import requests

import classroom_isolation
from classroom_class import instructor_view, view_mismatches
from classroom_hub import Hub, class_accounts, hub_pids
import hub_settings  # noqa: E402  (deploy/jupyterhub, on the path through classroom_hub)
from classroom_learner import cell_output, run_cells, start_server


def home_of(name: str) -> Path:
    return Path(pwd.getpwnam(class_accounts.unix_name(name)).pw_dir)


def probe_targets(hub: Hub, a: str, b: str, secrets: list[str]) -> dict:
    """What learner `a` tries to reach: `b`'s files and processes, the hub's state, the records."""
    b_home = home_of(b)
    state_files = sorted(str(path) for path in hub.state.iterdir())
    record_files = sorted(str(path) for path in hub.records.iterdir())
    return {"read": [str(b_home / "unrolled" / "unrolled_progress.json"),
                     str(b_home / "unrolled" / "notebooks" / "00_start_here.ipynb"), *state_files, *record_files],
            "list": [str(b_home), str(hub.state), str(hub.records)],
            "write": [str(b_home / "planted.txt"), str(b_home / "unrolled" / "planted.txt"),
                      str(hub.state / "planted.txt"), str(hub.records / "planted.json")],
            "pids": hub_pids(hub, b), "secrets": secrets,
            "uid": pwd.getpwnam(class_accounts.unix_name(a)).pw_uid, "hub_uid": os.getuid(),
            "memory": int(float(os.environ.get("UNROLLED_MEMORY_GB", hub_settings.MEMORY_LIMIT_GB)) * 1024 ** 3)}


def process_secrets(hub: Hub, env: dict[str, str]) -> list[str]:
    """The hub's secrets: the passwords, the load test's token, and the proxy's and service's tokens."""
    secrets = [env["CLASS_PASSWORD"], env["INSTRUCTOR_PASSWORD"], env["UNROLLED_HUB_TEST_TOKEN"]]
    for what, pid in hub_pids(hub, "").items():
        environ = Path(f"/proc/{pid}/environ").read_bytes().decode("utf8", "replace").split("\0")
        secrets += [line.split("=", 1)[1] for line in environ
                    if line.startswith(("CONFIGPROXY_AUTH_TOKEN=", "JUPYTERHUB_API_TOKEN="))]
    return sorted(set(secrets))


def token_owner(hub: Hub, token: str) -> str | None:
    """Whose token this is, asked of the hub; None when the hub does not know it."""
    reply = requests.get(f"{hub.url}/hub/api/user", headers={"Authorization": f"token {token}"}, timeout=60)
    return reply.json().get("name") if reply.ok else None


def isolation(hub: Hub, env: dict, sessions: dict, a: str, b: str, timeout_s: float) -> dict:
    """Run the probes in `a`'s kernel against `b`; the tally (plus 'own token')."""
    ws_url, token = sessions[a]
    cell = classroom_isolation.probe_cell(probe_targets(hub, a, b, process_secrets(hub, env)))
    found = json.loads(cell_output(ws_url, token, cell, timeout_s).strip().splitlines()[-1])
    owner = token_owner(hub, found["token"])
    found["results"].append([f"the server's token is {a}'s own (it is {owner}'s)", "refused" if owner == a else "BREACH"])
    service_uid = os.stat(f"/proc/{hub_pids(hub, b)['the class-progress service']}").st_uid
    found["results"].append([f"the class view runs as {class_accounts.SERVICE_USER} (uid {service_uid})",
                             "refused" if service_uid == pwd.getpwnam(class_accounts.SERVICE_USER).pw_uid
                             and service_uid != 0 else "BREACH"])
    return classroom_isolation.tally(found["results"])


def restart_server(hub: Hub, name: str, token: str, timeout_s: float) -> None:
    """Stop the learner's server through the hub and start it again (their own token)."""
    headers = {"Authorization": f"token {token}"}
    requests.delete(f"{hub.url}/hub/api/users/{name}/server", headers=headers, timeout=timeout_s)
    deadline = time.monotonic() + timeout_s
    while requests.get(f"{hub.url}/hub/api/users/{name}", headers=headers, timeout=60).json().get("servers"):
        if time.monotonic() > deadline:
            raise TimeoutError("server did not stop")
        time.sleep(0.5)
    start_server(hub.url, name, headers, timeout_s)


def foreign_tokens(hub: Hub, sessions: dict, a: str, timeout_s: float) -> tuple[int, list[str]]:
    """A logs every request header of their own server; the instructor reads the view twice. The
    number of tokens in A's log that are not A's, and problems (the log must hold A's own token)."""
    ws_url, token = sessions[a]
    write = (f"import os\nos.makedirs(os.path.expanduser('~/.jupyter'), exist_ok=True)\n"
             f"open(os.path.expanduser('~/.jupyter/jupyter_server_config.py'), 'w').write("
             f"{classroom_isolation.HEADER_LOGGER!r})")
    run_cells(ws_url, token, [write], timeout_s)
    restart_server(hub, a, token, timeout_s)
    requests.get(f"{hub.url}/user/{a}/api/status", headers={"Authorization": f"token {token}"},
                 timeout=60).raise_for_status()
    for _ in range(2):
        instructor_view(hub.url)
    log = home_of(a) / "request_headers.log"
    seen = classroom_isolation.tokens_in(log.read_text()) if log.exists() else set()
    problems = [] if token in seen else [f"{a}'s header log does not hold {a}'s own token: not logging?"]
    return sum(token_owner(hub, found) not in (a, None) for found in seen), problems


def raw_post(hub: Hub, token: str, length: int, body: bytes) -> socket.socket:
    """Start a POST to the record API over a raw socket: headers declaring `length` bytes, then `body`."""
    raw = socket.create_connection(("127.0.0.1", hub.port + 3), timeout=60)
    raw.sendall(f"POST /services/class-progress/api/record HTTP/1.1\r\nHost: x\r\nAuthorization: token {token}\r\n"
                f"Content-Length: {length}\r\n\r\n".encode() + body)
    return raw


def bad_records(hub: Hub, sessions: dict, names: list[str], server_pid: int) -> list[str]:
    """Five learners send bad records (the fifth's server paused, its body stalling); the view must show
    those rows as unreadable / not answering, answer meanwhile, and keep every other row exact."""
    bad = names[1:6]
    tokens = {name: sessions[name][1] for name in bad}
    post = lambda name, body: requests.post(hub.record_url, data=body, timeout=120,  # noqa: E731
                                            headers={"Authorization": f"token {tokens[name]}"})
    post(bad[0], b"[" * 100_000)
    with raw_post(hub, tokens[bad[1]], 110 * 1024 * 1024, b"") as raw:
        raw.recv(200)                               # 413 at once: the body is never read
    post(bad[2], json.dumps({"exercises": {"00.output_size": {"attempts": 1, "passed": "no"}}}))
    try:
        post(bad[3], json.dumps({"exercises": {"04.clip": {"attempts": 1, "passed": False,
                                                           "last_hint": "h" * 50 * 1024 * 1024}}}))
    except requests.ConnectionError:
        pass                                        # the service stops reading past its cap
    os.kill(server_pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with raw_post(hub, tokens[bad[4]], 5000, b'{"exer'):
            table, _ = instructor_view(hub.url)
            waited = time.monotonic() - started
            time.sleep(12)                          # past the service's 10 s body limit
        table, _ = instructor_view(hub.url)
    finally:
        os.kill(server_pid, signal.SIGCONT)
    rows = {row["name"]: row["status"] for row in table["learners"]}
    want = {bad[0]: "record unreadable (nested too deep)", bad[1]: "record unreadable (larger than 256 kB)",
            bad[2]: "record unreadable ('passed' of '00.output_size' is not true or false)",
            bad[3]: "record unreadable (larger than 256 kB)", bad[4]: "not answering"}
    problems = [f"{name}'s row says {rows.get(name)!r}, not {status!r}" for name, status in want.items()
                if not str(rows.get(name)).startswith(status)]
    if waited > 30:
        problems.append(f"the view took {waited:.0f} s while a record stalled")
    intact = [name for name in names if name not in bad]
    others = {**table, "learners": [row for row in table["learners"] if row["name"] in intact]}
    return problems + view_mismatches(others, intact, numbers={name: names.index(name) for name in intact})
