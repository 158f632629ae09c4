"""The class accounts (deploy/jupyterhub/class_auth.py) against the real FirstUseAuthenticator and
JupyterHub's own login path (get_authenticated_user: the name JupyterHub would log in). Needs the
classroom pins, which `make test` installs."""

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


def test_a_first_password_of_7_characters_is_refused_and_8_are_enough(auth):
    name, handler = login(auth, "cy", "1234567", CLASS)
    assert name is None and "at least 8" in handler.custom_login_error
    assert login(auth, "cy", "12345678", CLASS)[0] == "cy"


def hub_login(auth, name, password, gate=""):
    """The name JupyterHub itself would log in (it normalises what the authenticator returns)."""
    user = asyncio.run(auth.get_authenticated_user(Handler(), {"username": name, "password": password,
                                                               "otp": gate}))
    return user and user["name"]


def test_the_instructors_name_in_capitals_with_the_class_password_is_not_the_admin(auth):
    for spelling in ("INSTRUCTOR", "Instructor", " instructor "):
        assert hub_login(auth, spelling, "a-new-password", CLASS) is None
        assert hub_login(auth, spelling, CLASS, CLASS) is None
    assert hub_login(auth, "INSTRUCTOR", TEACHER) == "instructor"


def test_another_instructor_name_is_as_safe_as_the_default(tmp_path):
    auth = ClassFirstUseAuthenticator(dbm_path=str(tmp_path / "p.dbm"), class_password=CLASS,
                                      instructor_password=TEACHER, admin_users={"ms-frizzle"})
    assert hub_login(auth, "ms-frizzle", "a-new-password", CLASS) is None
    assert hub_login(auth, "MS-FRIZZLE", CLASS, CLASS) is None
    assert hub_login(auth, "ms-frizzle", TEACHER) == "ms-frizzle"
    assert hub_login(auth, "instructor", "a-new-password", CLASS) == "instructor"   # only a learner's name now


def test_an_unset_instructor_password_lets_nobody_in_as_the_instructor(tmp_path):
    auth = ClassFirstUseAuthenticator(dbm_path=str(tmp_path / "p.dbm"), class_password=CLASS,
                                      admin_users={"instructor"})
    assert hub_login(auth, "instructor", "") is None and hub_login(auth, "instructor", "", "") is None
    assert hub_login(auth, "instructor", CLASS, CLASS) is None


@pytest.mark.parametrize("name", ["ada lovelace", "ada.l", "ada/../x", "a" * 65])
def test_a_name_that_cant_be_an_account_is_refused_at_first_login_with_the_rule(auth, name):
    got, handler = login(auth, name, "long-enough", CLASS)
    assert got is None and ("lowercase letters" in handler.custom_login_error
                            or "at most 64" in handler.custom_login_error)
    assert not auth.has_password(name)


def test_the_instructors_name_cannot_be_claimed(auth):
    assert login(auth, "instructor", CLASS, CLASS)[0] is None
    assert login(auth, "instructor", "my-new-password", CLASS)[0] is None
    assert login(auth, "instructor", TEACHER)[0] == "instructor"
    assert not auth.has_password("instructor")


def test_the_login_form_asks_for_the_class_password(auth):
    assert auth.request_otp and "Class password" in auth.otp_prompt
