"""The isolation part of the classroom load test: from inside learner A's kernel, as a notebook cell
would, try to read and write learner B's home, read the hub's state files and the class view's
records, read /proc/<pid>/environ of the hub, the proxy, the service and B's server and kernel,
signal them, find a hub secret in any process's command line, and allocate past the kernel's
address-space cap. Each probe must fail with a
permission error; one that gets through is a breach, and one whose target is missing does not
count as refused (the run fails: a probe must be able to fail). Used by `classroom_load.py`;
tests/classroom/test_class_isolation_probe.py runs the same probe code as an unprivileged user.
"""

from __future__ import annotations

import json

# Runs in the learner's kernel (standard library only); prints one JSON line of results.
PROBE = r'''
import json, os, pwd, signal
targets = json.loads(TARGETS)
results = []

def probe(name, action):
    try:
        action()
        results.append([name, "BREACH"])
    except PermissionError:
        results.append([name, "refused"])
    except FileNotFoundError as error:
        results.append([name, f"missing: {error}"])
    except ProcessLookupError as error:
        results.append([name, f"missing: {error}"])
    except OSError as error:
        results.append([name, f"other: {error}"])

def read(path):
    with open(path, "rb") as handle:
        handle.read(1)

def write(path):
    with open(path, "w") as handle:
        handle.write("planted by another learner")

for path in targets["read"]:
    probe(f"read {path}", lambda p=path: read(p))
for path in targets["list"]:
    probe(f"list {path}", lambda p=path: os.listdir(p))
for path in targets["write"]:
    probe(f"write {path}", lambda p=path: write(p))
for what, pid in targets["pids"].items():
    probe(f"read environ of {what}", lambda p=pid: read(f"/proc/{p}/environ"))
    probe(f"signal 0 to {what}", lambda p=pid: os.kill(p, 0))
    probe(f"SIGCONT to {what}", lambda p=pid: os.kill(p, signal.SIGCONT))

leaks = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            line = handle.read().decode("utf8", "replace")
    except OSError:
        continue
    leaks += [pid for secret in targets["secrets"] if secret in line]
env_leaks = [key for key, value in os.environ.items() if value in targets["secrets"]]
results.append(["no hub secret in any command line", "refused" if not leaks else "BREACH"])
results.append(["no hub secret in the own environment", "refused" if not env_leaks else "BREACH"])
if targets.get("memory"):
    import resource
    cap = resource.getrlimit(resource.RLIMIT_AS)[0]
    results.append([f"address space capped at {targets['memory']} bytes (is {cap})",
                    "refused" if cap == targets["memory"] else "BREACH"])
    try:
        hog = bytearray(targets["memory"])
        del hog
        results.append(["allocating past the cap", "BREACH"])
    except MemoryError:
        results.append(["allocating past the cap", "refused"])
uid = os.getuid()
mine = uid == targets["uid"] and uid != 0 and uid != targets["hub_uid"]
results.append([f"runs as its own user (uid {uid})", "refused" if mine else "BREACH"])
print(json.dumps({"results": results, "token": os.environ.get("JUPYTERHUB_API_TOKEN", "")}))
'''


def probe_cell(targets: dict) -> str:
    """The probe as a cell's code, with its targets."""
    return f"TARGETS = {json.dumps(json.dumps(targets))}\n{PROBE}"


def tally(results: list[list[str]]) -> dict:
    """probes, refused, breaches and broken probes (target missing, other error), with the names."""
    breaches = [name for name, outcome in results if outcome == "BREACH"]
    broken = [f"{name}: {outcome}" for name, outcome in results if outcome not in ("refused", "BREACH")]
    return {"isolation_probes": len(results), "isolation_breaches": len(breaches),
            "probes_broken": len(broken), "breached": breaches, "broken": broken}


HEADER_LOGGER = '''# A learner's own server config: log every request's headers (as a curious learner could).
import json, os
LOG = os.path.expanduser("~/request_headers.log")


def log_headers(handler):
    with open(LOG, "a") as out:
        out.write(json.dumps({"uri": handler.request.uri, "headers": dict(handler.request.headers)}) + "\\n")


c.ServerApp.tornado_settings = {"log_function": log_headers}
'''


def tokens_in(log_text: str) -> set[str]:
    """Every token in the logged requests: Authorization headers and ?token= parameters."""
    found = set()
    for line in log_text.splitlines():
        entry = json.loads(line)
        scheme, _, value = entry["headers"].get("Authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer") and value:
            found.add(value.strip())
        if "token=" in entry["uri"]:
            found.add(entry["uri"].split("token=")[1].split("&")[0])
    return found
