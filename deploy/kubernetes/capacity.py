"""Per-learner resources and class capacity on Kubernetes, derived from the classroom load test.

`measured.json` (committed) holds the per-learner figures of one `make classroom-test` run on the
single-machine hub; everything in `config.yaml` and in the README's capacity table follows from it
by the functions below (`tests/test_kubernetes_config.py` checks that they agree).

Refresh after a new load test:
    .venv/bin/python deploy/kubernetes/capacity.py --from benchmarks/results/classroom_16.json
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEASURED = HERE / "measured.json"
# An 8-vCPU / 32-GB node (e.g. n2-standard-8, m6i.2xlarge) minus what kubelet, the OS and the
# system pods keep: an assumption, check `kubectl describe node` ("Allocatable") on yours.
NODE_CPU, NODE_MEMORY_GB = 7.5, 29.0
BURST_S = 60           # the class runs the heaviest notebook at once and waits at most this long
PLACEHOLDER_SHARE = 0.1  # room kept warm for 10% of the class to log in at once
FIELDS = ("rss_per_learner_gb", "kernel_peak_gb", "kernel_after_imports_gb", "kernel_cpu_s", "server_cpu_s")


def ceil_to(value: float, step: float) -> float:
    """`value` rounded up to a multiple of `step` (tolerant of float noise)."""
    return round(math.ceil(round(value / step, 6)) * step, 6)


def memory_guarantee_gb(m: dict) -> float:
    """Request: one learner's peak (server + a kernel running the heaviest notebook)."""
    return ceil_to(m["rss_per_learner_gb"], 0.1)


def memory_limit_gb(m: dict) -> float:
    """Limit: the peak plus a second kernel as heavy (two notebooks open and running)."""
    return ceil_to(m["rss_per_learner_gb"] + m["kernel_peak_gb"], 0.1)


def cpu_guarantee(m: dict, burst_s: float = BURST_S) -> float:
    """Request: the CPU-seconds of a server start and one heaviest-notebook run, spread over burst_s."""
    return ceil_to((m["kernel_cpu_s"] + m["server_cpu_s"]) / burst_s, 0.05)


def cpu_limit(m: dict) -> float:
    """Limit: one core; kernels run one compute thread (OMP_NUM_THREADS=1), more would only wait."""
    return 1.0


def learners_per_node(m: dict) -> int:
    """How many learners' guarantees fit on one node (the tighter of memory and CPU)."""
    return min(math.floor(NODE_MEMORY_GB / memory_guarantee_gb(m)), math.floor(NODE_CPU / cpu_guarantee(m)))


def placeholders(learners: int) -> int:
    """User-placeholder pods for a class: room for PLACEHOLDER_SHARE of it to log in at once."""
    return math.ceil(PLACEHOLDER_SHARE * learners)


def capacity_row(m: dict, learners: int) -> dict:
    """Nodes and burst time for a class of `learners`, everyone running the heaviest notebook at once."""
    nodes = math.ceil((learners + placeholders(learners)) / learners_per_node(m))
    cpu_s = learners * (m["kernel_cpu_s"] + m["server_cpu_s"])
    return {"learners": learners, "nodes": nodes, "placeholders": placeholders(learners),
            "memory_requested_gb": round(learners * memory_guarantee_gb(m), 1),
            "all_run_at_once_s": math.ceil(cpu_s / (nodes * NODE_CPU))}


def capacity_table(m: dict, classes: tuple[int, ...] = (100, 500)) -> str:
    """The README's capacity table (markdown)."""
    lines = ["| learners | 8-vCPU/32-GB nodes | placeholder pods | memory requested "
             "| everyone runs notebook 06 at once |",
             "|---|---|---|---|---|"]
    for row in (capacity_row(m, n) for n in classes):
        lines.append(f"| {row['learners']} | {row['nodes']} | {row['placeholders']} | "
                     f"{row['memory_requested_gb']} GB | ≈ {row['all_run_at_once_s']} s |")
    return "\n".join(lines)


def load_measured(path: Path = MEASURED) -> dict:
    """The committed per-learner figures."""
    return json.loads(path.read_text())


def from_load_test(result: dict) -> dict:
    """The per-learner figures of a classroom_load.py result file, with where they came from."""
    summary = result["summary"]
    figures = {key: summary[key] for key in FIELDS}
    figures["source"] = (f"make classroom-test, {summary['learners']} learners running {summary['notebook']}, "
                         f"{result['machine']['cpus']} CPUs, {result['machine']['memory_gb']} GB, "
                         f"{summary['failures']} failures")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="derive requests, limits and capacity from a load test")
    parser.add_argument("--from", dest="source", type=Path, help="a benchmarks/results/classroom_N.json")
    args = parser.parse_args()
    if args.source:
        MEASURED.write_text(json.dumps(from_load_test(json.loads(args.source.read_text())), indent=2) + "\n")
    m = load_measured()
    print(f"memory guarantee {memory_guarantee_gb(m)} G, limit {memory_limit_gb(m)} G; "
          f"cpu guarantee {cpu_guarantee(m)}, limit {cpu_limit(m)}; {learners_per_node(m)} learners per node")
    print(capacity_table(m))


if __name__ == "__main__":
    main()
