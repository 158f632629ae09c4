"""Shared test set-up: one torch thread (fast and deterministic on a 2-core box), progress recorded
to a temporary file."""

import os
import tempfile

os.environ.setdefault("OMP_NUM_THREADS", "1")
# Checkers record outcomes: in tests, to a throwaway file, never to the course folder's record.
os.environ["UNROLLED_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="unrolled-test-"), "progress.json")

import torch  # noqa: E402

torch.set_num_threads(1)
