"""The class-progress service's handlers (deploy/jupyterhub/class_service.py) against an in-process
hub (hub_double.py): who may see the table, what learners send, and that no learner can break it."""

import json
import socket
import time

import pytest
import requests

import hub_double

GOOD = {"format": 1, "exercises": {"00.output_size": {"attempts": 2, "passed": True, "first_attempt":
                                                       "2026-01-01T10:00:00Z", "last_hint": None, "hints": []}}}


def send(classroom, token, body, **headers):
    """A learner's kernel posting its record, as course_utils.progress.send_to_class does."""
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(classroom.url + "api/record", data=data, timeout=30,
                         headers={"Authorization": f"token {token}", **headers})


def table(classroom, token="token-of-instructor"):
    reply = requests.get(classroom.url + "api/progress", headers={"Authorization": f"token {token}"},
                         allow_redirects=False, timeout=30)
    return reply


def rows(classroom) -> dict:
    reply = table(classroom)
    assert reply.status_code == 200, reply.text[:300]
    return {row["name"]: row for row in reply.json()["learners"]}


@pytest.fixture
def a_class(classroom):
    """An instructor (admin, may open the view) and learners ada, bob (running) and cy (stopped)."""
    classroom.hub.add_user("instructor", admin=True, scopes=hub_double.VIEW_SCOPES)
    for name in ("ada", "bob"):
        classroom.hub.add_user(name)
    classroom.hub.add_user("cy", running=False)
    return classroom


def test_a_learners_record_sent_with_their_own_token_shows_in_their_row(a_class):
    assert send(a_class, "token-of-ada", GOOD).status_code == 200
    got = rows(a_class)
    assert got["ada"]["status"] == "ok" and got["ada"]["cells"]["00.output_size"]["state"] == "passed"
    assert got["bob"]["status"] == "no exercise checked yet" and got["bob"]["passed"] == 0
    assert got["cy"]["status"] == "server not running"


def test_the_service_never_calls_a_learners_server_and_sends_its_token_only_to_the_hub(a_class):
    send(a_class, "token-of-ada", GOOD)
    rows(a_class)
    rows(a_class)
    assert a_class.seen_by_servers == []                  # a header-logging server sees nothing at all
    service_token_uses = {path.split("?")[0] for path, auth in a_class.hub.requests
                          if hub_double.SERVICE_TOKEN in auth}
    assert service_token_uses <= {"/hub/api/users", "/hub/api/users/instructor"}


def test_a_token_that_is_no_learners_is_refused_and_stores_nothing(a_class):
    assert send(a_class, "not-a-token", GOOD).status_code == 403
    assert send(a_class, hub_double.SERVICE_TOKEN, GOOD).status_code == 403
    assert requests.post(a_class.url + "api/record", data=json.dumps(GOOD), timeout=30).status_code == 403
    assert list(a_class.records.iterdir()) == []


def test_a_stopped_learner_keeps_their_progress_across_a_restart_of_the_service(a_class):
    send(a_class, "token-of-cy", GOOD)
    reloaded = a_class.module.Records(str(a_class.records))
    record, status = reloaded.row(a_class.hub.model("cy"))
    assert status == "server not running" and record["exercises"]["00.output_size"]["passed"] is True


BAD = {
    "nested too deep": ("[" * 100_000, "nested too deep"),
    "passed is 'no'": (json.dumps({"exercises": {"00.output_size": {"attempts": 1, "passed": "no"}}}),
                       "'passed' of '00.output_size' is not true or false"),
    "attempts not a count": (json.dumps({"exercises": {"x": {"attempts": True, "passed": False}}}), "not a count"),
    "not JSON": ("{half a record", "not valid JSON"),
    "too large": (json.dumps({"exercises": {}, "pad": "x" * 300_000}), "larger than 256 kB"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_record_is_unreadable_in_that_row_and_every_other_row_is_intact(a_class, case):
    send(a_class, "token-of-ada", GOOD)
    body, reason = BAD[case]
    assert send(a_class, "token-of-bob", body).status_code in (400, 413)
    got = rows(a_class)
    assert got["bob"]["status"].startswith("record unreadable") and reason in got["bob"]["status"]
    assert got["bob"]["passed"] == 0
    assert got["ada"]["status"] == "ok" and got["ada"]["passed"] == 1
    assert got["cy"]["status"] == "server not running"


def test_a_110_mb_record_is_refused_before_it_is_read(a_class):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", int(a_class.url.split(":")[2].split("/")[0]))) as raw:
        raw.sendall(f"POST {hub_double.PREFIX}api/record HTTP/1.1\r\nHost: x\r\nAuthorization: token token-of-bob\r\n"
                    f"Content-Length: {110 * 1024 * 1024}\r\n\r\n".encode())
        assert b"413" in raw.recv(200)
    assert time.monotonic() - started < 5
    assert rows(a_class)["bob"]["status"] == "record unreadable (larger than 256 kB)"


def test_a_long_hint_is_cut_to_the_learners_own_limit(a_class):
    from course_utils.progress import HINT_CHARS
    entry = {"attempts": 1, "passed": False, "first_attempt": "2026-01-01T10:00:00Z",
             "last_hint": "h" * 30_000, "hints": ["h" * 30_000] * 6}          # 210 kB: under the cap
    send(a_class, "token-of-ada", {"exercises": {"04.clip": entry}})
    cell = rows(a_class)["ada"]["cells"]["04.clip"]
    assert cell["state"] == "tried" and len(cell["hint"]) == HINT_CHARS
    stored = json.loads(next(a_class.records.iterdir()).read_text())
    assert len(json.dumps(stored)) < 3_000


def test_a_learner_who_stops_sending_midway_is_not_answering_and_the_view_does_not_wait(a_class):
    port = int(a_class.url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(f"POST {hub_double.PREFIX}api/record HTTP/1.1\r\nHost: x\r\nAuthorization: token token-of-bob\r\n"
                    "Content-Length: 1000\r\n\r\n{\"exer".encode())
        started = time.monotonic()
        assert rows(a_class)["ada"]["status"] == "no exercise checked yet"
        assert time.monotonic() - started < 0.9             # while bob's record hangs (1 s limit)
        time.sleep(1.5)
    assert rows(a_class)["bob"]["status"].startswith("not answering")


def test_the_json_api_sends_a_visitor_who_is_not_logged_in_away_without_the_table(a_class):
    send(a_class, "token-of-ada", GOOD)
    reply = requests.get(a_class.url + "api/progress", allow_redirects=False, timeout=30)
    assert reply.status_code in (302, 403) and "ada" not in reply.text and "exercises" not in reply.text


def test_a_learner_who_passes_the_hubs_scope_check_still_gets_403_and_no_table(a_class):
    a_class.hub.add_user("eve", scopes=hub_double.VIEW_SCOPES)       # given access to services by mistake
    send(a_class, "token-of-ada", GOOD)
    for path in ("api/progress", ""):
        reply = requests.get(a_class.url + path, headers={"Authorization": "token token-of-eve"}, timeout=30)
        assert reply.status_code == 403 and "Only the instructor" in reply.text
        assert "ada" not in reply.text and "exercises" not in reply.text and "refresh" not in reply.text


def test_a_learner_without_access_to_the_service_gets_403(a_class):
    send(a_class, "token-of-ada", GOOD)
    reply = table(a_class, "token-of-bob")
    assert reply.status_code == 403 and "ada" not in reply.text and "exercises" not in reply.text


def test_the_view_pages_through_the_hubs_user_list(a_class):
    for k in range(5):
        a_class.hub.add_user(f"learner-{k}")
    assert len(a_class.hub.users) > 2 * a_class.hub.page_max
    assert set(rows(a_class)) == {"ada", "bob", "cy"} | {f"learner-{k}" for k in range(5)}


def test_the_service_listens_on_localhost_unless_told(monkeypatch, classroom):
    monkeypatch.delenv("UNROLLED_SERVICE_BIND", raising=False)
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://hub:10101")
    assert classroom.module.service_address() == ("127.0.0.1", 10101)
    monkeypatch.setenv("UNROLLED_SERVICE_BIND", "0.0.0.0")
    assert classroom.module.service_address() == ("0.0.0.0", 10101)
