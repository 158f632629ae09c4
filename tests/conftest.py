"""Shared test set-up: one torch thread (fast and deterministic on a 2-core box)."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)
