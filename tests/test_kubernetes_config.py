"""The Zero to JupyterHub values (deploy/kubernetes/config.yaml) agree with the measured per-learner
figures (deploy/kubernetes/measured.json) through capacity.py, and so does the README."""

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "kubernetes"
_spec = importlib.util.spec_from_file_location("capacity", K8S / "capacity.py")
capacity = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(capacity)

CONFIG = yaml.safe_load((K8S / "config.yaml").read_text())
MEASURED = capacity.load_measured()
README = (ROOT / "README.md").read_text()


def test_measured_figures_are_complete_and_plausible():
    assert set(capacity.FIELDS) <= set(MEASURED) and "0 failures" in MEASURED["source"]
    assert 0 < MEASURED["kernel_after_imports_gb"] < MEASURED["kernel_peak_gb"] < MEASURED["rss_per_learner_gb"] < 1.0
    assert MEASURED["kernel_cpu_s"] > MEASURED["server_cpu_s"] > 0


def test_memory_requests_and_limits_follow_the_measured_peak():
    memory = CONFIG["singleuser"]["memory"]
    assert memory["guarantee"] == f"{capacity.memory_guarantee_gb(MEASURED)}G"
    assert memory["limit"] == f"{capacity.memory_limit_gb(MEASURED)}G"
    assert capacity.memory_guarantee_gb(MEASURED) >= MEASURED["rss_per_learner_gb"]


def test_cpu_requests_and_limits_follow_the_measured_cpu_seconds():
    cpu = CONFIG["singleuser"]["cpu"]
    assert cpu == {"guarantee": capacity.cpu_guarantee(MEASURED), "limit": capacity.cpu_limit(MEASURED)}
    per_run = MEASURED["kernel_cpu_s"] + MEASURED["server_cpu_s"]
    assert cpu["guarantee"] * capacity.BURST_S >= per_run


def test_the_comments_quote_the_measured_figures():
    text = (K8S / "config.yaml").read_text()
    assert f"({MEASURED['rss_per_learner_gb']} GB)" in text
    assert f"({MEASURED['server_cpu_s']:.1f} + {MEASURED['kernel_cpu_s']:.1f} s)" in text
    assert f"holds {MEASURED['kernel_after_imports_gb']} GB" in text


def test_culler_placeholders_and_prepuller_are_on():
    assert CONFIG["cull"]["enabled"] and CONFIG["cull"]["timeout"] >= 600
    scheduling = CONFIG["scheduling"]
    assert scheduling["userPlaceholder"] == {"enabled": True, "replicas": capacity.placeholders(100)}
    assert scheduling["podPriority"]["enabled"] and scheduling["userScheduler"]["enabled"]
    assert CONFIG["prePuller"]["hook"]["enabled"] and CONFIG["prePuller"]["continuous"]["enabled"]


def test_learners_get_the_course_and_the_lean_settings():
    single = CONFIG["singleuser"]
    command = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[0] == "gitpuller" and command[-1] == "unrolled"
    assert single["defaultUrl"] == "/lab/tree/unrolled/notebooks/00_start_here.ipynb"
    assert single["extraEnv"]["OMP_NUM_THREADS"] == "1"
    shims = single["extraEnv"]["PYTHONPATH"].removeprefix("/srv/unrolled/")
    assert (ROOT / shims / "rfc3987_syntax.py").exists()
    lsp = single["extraFiles"]["no-language-server"]["data"]["ServerApp"]["jpserver_extensions"]
    assert lsp == {"jupyter_lsp": False}


@pytest.mark.parametrize("key, value, fewer", [("rss_per_learner_gb", 2.0, True), ("rss_per_learner_gb", 0.3, False),
                                                ("kernel_cpu_s", 40.0, True)])
def test_a_heavier_learner_fits_fewer_per_node(key, value, fewer):
    other = {**MEASURED, key: value}
    assert (capacity.learners_per_node(other) < capacity.learners_per_node(MEASURED)) == fewer


def test_the_readme_capacity_table_and_figures_are_the_derived_ones():
    assert capacity.capacity_table(MEASURED) in README
    assert "untested on a cluster" in README.lower()
    for key in ("rss_per_learner_gb", "kernel_peak_gb", "kernel_after_imports_gb"):
        assert f"{MEASURED[key]:.2f} GB" in README, key
