"""The load test's in-kernel isolation probe (benchmarks/classroom_isolation.py), run here as an
unprivileged user against root's files and processes: every probe is refused; run as root, or with
a secret on a command line, the same probes report breaches (they can fail)."""

import json
import os
import pwd
import resource
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import classroom_isolation  # noqa: E402

pytestmark = pytest.mark.skipif(os.environ.get("CI", "").lower() != "true" and (os.geteuid() != 0 or not Path("/usr/bin/python3").exists()),
                                reason="switching users needs root and a system Python (never skipped with CI=true)")
SECRET = "the-class-password-0123"


def targets(shared_tmp, uid):
    private = shared_tmp / "hub-state"
    private.mkdir(mode=0o700)
    (private / "jupyterhub_cookie_secret").write_text("secret")
    return {"read": [str(private / "jupyterhub_cookie_secret")], "list": [str(private)],
            "write": [str(private / "planted")], "pids": {"the hub": os.getpid()},
            "secrets": [SECRET], "uid": uid, "hub_uid": 0}


def run_probe(probe_targets, as_user=None, cap=0):
    """Run the probe cell with /usr/bin/python3 as `as_user` (None: root) under an address-space
    `cap` (0: none); its tally."""
    def become():
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if as_user is None:
            return
        os.setgid(as_user.pw_gid)
        os.setgroups([])
        os.setuid(as_user.pw_uid)
    # The code on stdin (as a kernel gets it over its socket, not on a command line), in a session of
    # its own (as the spawner starts a learner's server: SIGCONT may cross within one session).
    out = subprocess.run(["/usr/bin/python3", "-"], input=classroom_isolation.probe_cell(probe_targets), cwd="/",
                         preexec_fn=become, env={"PATH": "/usr/bin"}, start_new_session=True,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return classroom_isolation.tally(json.loads(out)["results"])


def test_every_probe_is_refused_to_another_user(shared_tmp):
    nobody = pwd.getpwnam("nobody")
    got = run_probe(targets(shared_tmp, nobody.pw_uid), nobody)
    assert (got["isolation_breaches"], got["probes_broken"]) == (0, 0), got
    assert got["isolation_probes"] == 3 + 3 + 3


def test_the_same_probes_report_breaches_for_root(shared_tmp):
    got = run_probe(targets(shared_tmp, 0))
    assert got["isolation_breaches"] == 3 + 3 + 1, got["breached"]   # files, environ and signals, uid 0


def test_a_secret_on_a_command_line_is_a_breach_even_for_another_user(shared_tmp):
    nobody = pwd.getpwnam("nobody")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", SECRET])
    try:
        got = run_probe(targets(shared_tmp, nobody.pw_uid), nobody)
    finally:
        holder.kill()
        holder.wait()
    assert got["breached"] == ["no hub secret in any command line"]


def test_a_missing_target_is_not_counted_as_refused(shared_tmp):
    nobody = pwd.getpwnam("nobody")
    probe_targets = targets(shared_tmp, nobody.pw_uid)
    probe_targets["read"].append(str(shared_tmp / "no-such-file"))
    assert run_probe(probe_targets, nobody)["probes_broken"] == 1


def test_the_token_finder_reads_headers_and_query_parameters():
    log = "\n".join(json.dumps(entry) for entry in [
        {"uri": "/api/status", "headers": {"Authorization": "token abc"}},
        {"uri": "/api/kernels/x/channels?token=def&session_id=1", "headers": {}},
        {"uri": "/lab", "headers": {"Cookie": "x"}}])
    assert classroom_isolation.tokens_in(log) == {"abc", "def"}


def test_a_kernel_under_the_cap_cannot_allocate_past_it_and_one_without_is_a_breach(shared_tmp):
    nobody = pwd.getpwnam("nobody")
    probe_targets = {**targets(shared_tmp, nobody.pw_uid), "memory": 512 * 1024 ** 2}
    assert run_probe(probe_targets, nobody, cap=512 * 1024 ** 2)["isolation_breaches"] == 0
    assert run_probe(probe_targets, nobody)["breached"] == [
        f"address space capped at {512 * 1024 ** 2} bytes (is -1)", "allocating past the cap"]
