"""Guards on the CUDA requirement of make test-gpu (course_utils/runtime.py): a mocked torch.cuda stands in
for a GPU; each test fails on one real bug that the rest of the suite lets through (scripts/mutation_check.py)."""

import pytest
import torch

from course_utils.runtime import cuda_use_report


@pytest.fixture
def fake_cuda(monkeypatch):
    """torch.cuda as a machine with one GPU would answer; the test sets the peak memory."""
    peak = {"bytes": 0}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "max_memory_allocated", lambda *a, **k: peak["bytes"])
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a, **k: "Fake GPU")
    monkeypatch.setenv("UNROLLED_REQUIRE_CUDA", "1")
    return peak


def test_a_cuda_run_that_allocated_nothing_is_refused(fake_cuda):
    with pytest.raises(RuntimeError, match="0 bytes of CUDA memory"):
        cuda_use_report("cuda")


def test_a_cuda_run_that_allocated_memory_is_reported(fake_cuda):
    fake_cuda["bytes"] = 3 * 2**20
    assert cuda_use_report("cuda") == "trained on Fake GPU: peak CUDA memory 3.0 MiB"


def test_a_cpu_run_is_refused_even_when_cuda_memory_was_allocated(fake_cuda):
    fake_cuda["bytes"] = 2**20
    with pytest.raises(RuntimeError, match="ran on cpu"):
        cuda_use_report("cpu")
