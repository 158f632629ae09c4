"""Accounts for a class: a name's first login sets that learner's own password, gated by the class
password; the instructor's account has its own password and is the hub's admin.

FirstUseAuthenticator (jupyterhub-firstuseauthenticator, the choice of The Littlest JupyterHub) keeps
a bcrypt hash per name: the first login under a new name stores the password typed, and every later
login under that name must give it. On its own anyone could claim any new name, so here a new name
also needs the class password (the login form's third box, JupyterHub's `request_otp` field). A name
that has a password can't be taken over with the class password. The instructor's name never goes
through first use: it logs in with `instructor_password` only, so no learner can claim it first.

A learner's name must be usable as a Unix user name (class_accounts.name_refusal: lowercase letters,
digits, '-' and '_'; 64 characters at most): another name is refused at login with a message saying
so. On the one-machine hub (`unix_accounts`), a name whose Unix user exists but was not made by the
hub is refused too.

To reset a learner's forgotten password the instructor deletes the user in the hub's admin page
(their files stay on disk); the next login under that name is a first use again.
"""

from __future__ import annotations

import hmac
import sys
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from traitlets import Bool, Unicode, default

sys.path.insert(0, str(Path(__file__).resolve().parent))
import class_accounts  # noqa: E402

NEW_NAME_NEEDS_CLASS_PASSWORD = ("This name is new: to create it, type the class password your instructor "
                                 "gave you in the third box, and choose your own password (8 characters or more) "
                                 "in the second. If the name is already yours, check your password.")


def same_secret(given: str, expected: str) -> bool:
    """Compare secrets in constant time; an empty expected secret matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode("utf8"), expected.encode("utf8"))


class ClassFirstUseAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator with the class password as the gate for a new name, and a fixed
    password for the instructor (the admin)."""

    class_password = Unicode("", config=True, help="Needed (third box) to create a new learner name.")
    instructor_password = Unicode("", config=True, help="The admin account's password (no first use).")
    unix_accounts = Bool(False, config=True,
                         help="Refuse a name whose Unix user (jupyter-<name>) exists but was not made by the hub.")

    @default("request_otp")
    def _ask_for_the_class_password(self) -> bool:
        return True

    @default("otp_prompt")
    def _class_password_prompt(self) -> str:
        return "Class password (only the first time you use a name):"

    @default("min_password_length")
    def _min_length(self) -> int:
        return 8

    def has_password(self, username: str) -> bool:
        """Whether `username` has set its password (its first use is over)."""
        import dbm
        with dbm.open(self.dbm_path, "c", 0o600) as db:
            return username.encode("utf8") in db

    async def authenticate(self, handler, data: dict) -> str | None:
        username = self.normalize_username(data.get("username", ""))
        password, gate = data.get("password", ""), data.get("otp", "")
        if username in self.admin_users:
            return username if same_secret(password, self.instructor_password) else None
        refusal = class_accounts.name_refusal(username)
        if refusal is None and self.unix_accounts:
            refusal = class_accounts.ownership_refusal(username)
        if refusal:
            handler.custom_login_error = refusal
            return None
        if not self.has_password(username) and not same_secret(gate, self.class_password):
            handler.custom_login_error = NEW_NAME_NEEDS_CLASS_PASSWORD
            return None
        return await super().authenticate(handler, {"username": username, "password": password})
