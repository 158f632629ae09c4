# The Littlest JupyterHub (TLJH): the class accounts and the instructor's class view, with the same
# settings as `make classroom` (hub_settings.configure_class). Written and unit-tested here, NOT yet
# run on a TLJH server. As root on the server:
#   git clone https://github.com/YOU/unrolled /srv/unrolled
#   /opt/tljh/hub/bin/pip install --no-deps -e /srv/unrolled      # course_utils.progress for the view
#   /opt/tljh/hub/bin/pip install jupyterhub-firstuseauthenticator==1.1.1   # TLJH usually has it
#   install -m 600 /dev/null /opt/tljh/config/unrolled_class.env     # then write into it:
#       CLASS_PASSWORD=...        (8+ characters: learners need it the first time they use a name)
#       INSTRUCTOR_PASSWORD=...   (8+ characters: the admin account's password)
#       UNROLLED_INSTRUCTOR=instructor
#   cp /srv/unrolled/deploy/jupyterhub/tljh_class.py /opt/tljh/config/jupyterhub_config.d/
#   tljh-config reload
# TLJH loads jupyterhub_config.d after its own settings, so this replaces the authenticator and the
# admin list that `tljh-config` sets, and nothing else: TLJH's own spawner keeps each learner in a
# Unix user of their own (jupyter-<name>) with its systemd limits. Learners' homes are their own: the
# course lands in ~/unrolled through the nbgitpuller link, and their progress in
# ~/unrolled/unrolled_progress.json; each check also sends it to the class view (port 10101), which
# runs as the unprivileged user unrolled-class-view and keeps it in /var/lib/unrolled-class-progress.
import os
import sys
from pathlib import Path

HUB_FILES = "/srv/unrolled/deploy/jupyterhub"
sys.path.insert(0, HUB_FILES)
import class_accounts  # noqa: E402
import hub_settings  # noqa: E402

RECORDS = Path("/var/lib/unrolled-class-progress")


def class_env(path: str = "/opt/tljh/config/unrolled_class.env") -> dict[str, str]:
    """KEY=VALUE lines of the class's settings file (the environment wins)."""
    lines = Path(path).read_text().splitlines() if Path(path).exists() else []
    values = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {**{k.strip(): v.strip() for k, v in values.items()}, **os.environ}


settings = class_env()
if settings.get("UNROLLED_HUB_DRY_RUN") != "1":          # the unit tests only read the settings
    class_accounts.private_folder(RECORDS, class_accounts.ensure_system_user())
hub_settings.configure_class(
    c,  # noqa: F821  (TLJH's JupyterHub config object)
    state_dir="/opt/tljh/state", python=sys.executable, service_port=10101, records_dir=str(RECORDS),
    service_user=class_accounts.SERVICE_USER, instructor=settings.get("UNROLLED_INSTRUCTOR", "instructor"),
    class_password=settings["CLASS_PASSWORD"], instructor_password=settings["INSTRUCTOR_PASSWORD"])
