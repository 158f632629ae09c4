"""A learner's self-check sends their record to the class view (course_utils.progress.send_to_class)
with their own token; without a hub, or with the view down, the record stays local and the check
still works."""

import json

import requests

import hub_double
from course_utils import progress


def test_without_a_hub_nothing_is_sent_and_the_record_is_local(monkeypatch, tmp_path):
    monkeypatch.delenv(progress.CLASS_URL_ENV, raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    path = tmp_path / "unrolled_progress.json"
    assert progress.record_outcome("00.output_size", True, path=path)["passed"] is True
    assert progress.send_to_class(progress.load_progress(path)) is False
    assert json.loads(path.read_text())["exercises"]["00.output_size"]["attempts"] == 1


def test_a_check_reaches_the_class_view_under_the_learners_own_name(classroom, monkeypatch, tmp_path):
    classroom.hub.add_user("instructor", admin=True, scopes=hub_double.VIEW_SCOPES)
    token = classroom.hub.add_user("ada")
    monkeypatch.setenv(progress.CLASS_URL_ENV, classroom.url + "api/record")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", token)                  # the learner's server's token
    path = tmp_path / "unrolled_progress.json"
    progress.record_outcome("00.output_size", False, "look at the shape", path=path)
    progress.record_outcome("00.output_size", True, path=path)
    view = requests.get(classroom.url + "api/progress", headers={"Authorization": "token token-of-instructor"},
                        timeout=30).json()
    ada, = view["learners"]
    assert ada["cells"]["00.output_size"] == {"state": "passed", "attempts": 2, "stuck_minutes": None,
                                              "hint": "look at the shape"}
    assert [auth for _, auth in classroom.hub.requests if token in auth]      # the hub was asked whose it is


def test_with_the_class_view_down_the_check_still_records_locally_and_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(progress.CLASS_URL_ENV, f"http://127.0.0.1:{hub_double.free_port()}/api/record")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "own-token")
    monkeypatch.setattr(progress, "_told", set())
    path = tmp_path / "unrolled_progress.json"
    assert progress.record_outcome("00.output_size", True, path=path)["attempts"] == 1
    assert progress.record_outcome("00.output_size", True, path=path)["attempts"] == 2
    assert capsys.readouterr().err.count("goes with your next check") == 1
