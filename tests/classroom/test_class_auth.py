"""The class accounts (deploy/jupyterhub/class_auth.py) against the real FirstUseAuthenticator.
Needs the classroom pins: `make classroom-test` runs it (not `make test`)."""

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"))
from class_auth import NEW_NAME_NEEDS_CLASS_PASSWORD, ClassFirstUseAuthenticator  # noqa: E402

CLASS, TEACHER = "the-class-password", "the-instructor-password"


class Handler:
    custom_login_error = ""


@pytest.fixture
def auth(tmp_path):
    return ClassFirstUseAuthenticator(dbm_path=str(tmp_path / "passwords.dbm"), class_password=CLASS,
                                      instructor_password=TEACHER, admin_users={"instructor"})


def login(auth, name, password, gate=""):
    handler = Handler()
    return asyncio.run(auth.authenticate(handler, {"username": name, "password": password, "otp": gate})), handler


def test_a_new_name_needs_the_class_password_and_then_keeps_its_own(auth):
    name, handler = login(auth, "ada", "ada-secret-1")
    assert name is None and handler.custom_login_error == NEW_NAME_NEEDS_CLASS_PASSWORD
    assert login(auth, "ada", "ada-secret-1", "wrong-class-password")[0] is None
    assert login(auth, "ada", "ada-secret-1", CLASS)[0] == "ada"             # first use: sets the password
    assert login(auth, "ada", "ada-secret-1")[0] == "ada"                    # later: own password only
    assert login(auth, "ada", "ada-secret-1", "anything")[0] == "ada"


def test_nobody_logs_in_as_a_learner_whose_password_is_set(auth):
    login(auth, "ada", "ada-secret-1", CLASS)
    login(auth, "bob", "bob-secret-2", CLASS)
    assert login(auth, "ada", "bob-secret-2")[0] is None
    assert login(auth, "ada", CLASS, CLASS)[0] is None                         # the class password is no key
    assert login(auth, "ADA", "bob-secret-2", CLASS)[0] is None               # nor another spelling


def test_a_short_first_password_is_refused_with_a_reason(auth):
    name, handler = login(auth, "cy", "short", CLASS)
    assert name is None and "at least 8" in handler.custom_login_error
    assert login(auth, "cy", "long-enough", CLASS)[0] == "cy"


def test_the_instructors_name_cannot_be_claimed(auth):
    assert login(auth, "instructor", CLASS, CLASS)[0] is None
    assert login(auth, "instructor", "my-new-password", CLASS)[0] is None
    assert login(auth, "instructor", TEACHER)[0] == "instructor"
    assert not auth.has_password("instructor")


def test_the_login_form_asks_for_the_class_password(auth):
    assert auth.request_otp and "Class password" in auth.otp_prompt
