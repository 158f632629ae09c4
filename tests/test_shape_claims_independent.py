"""Notebook 07's key claims re-checked with code written apart from course_utils: own data, own models, own loop."""

import numpy as np
import torch
from torch import nn

from course_utils.shape_tasks import past_only_ceiling


def _spans(n, steps, rng, q=0.2):
    m = rng.random((n, steps)) < q
    seen = np.cumsum(m, 1)
    before = (seen - m) > 0
    after = (seen[:, -1:] - seen) > 0                       # markers strictly after t
    x = np.stack([~m, m], -1).astype(np.float32)
    return torch.tensor(x), torch.tensor((before & after).astype(np.int64))


class _Net(nn.Module):
    def __init__(self, hidden, both):
        super().__init__()
        self.gru = nn.GRU(2, hidden, batch_first=True, bidirectional=both)
        self.out = nn.Linear(hidden * (2 if both else 1), 2)

    def forward(self, x):
        return self.out(self.gru(x)[0])


def _train_and_score(both, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    (x, y), (xt, yt) = _spans(1500, 12, rng), _spans(2000, 12, rng)
    net = _Net(8 if both else 12, both)
    opt = torch.optim.Adam(net.parameters(), lr=0.03)
    for _ in range(4):
        for idx in torch.randperm(1500).split(100):
            loss = nn.functional.cross_entropy(net(x[idx]).reshape(-1, 2), y[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return (net(xt).argmax(-1) == yt).float().mean().item()


def test_a_bidirectional_gru_beats_the_one_direction_ceiling_that_a_forward_gru_stays_under():
    torch.set_num_threads(1)
    ceiling = past_only_ceiling(12, 0.2)
    for seed in (11, 12):
        assert _train_and_score(True, seed) >= ceiling + 0.1
        assert _train_and_score(False, seed) <= ceiling + 4.5 * 0.0032      # within the test-set noise


def test_the_ceiling_formula_matches_an_independent_simulation_of_the_best_past_only_rule():
    rng = np.random.default_rng(3)
    x, y = _spans(40000, 12, rng)
    m = x[..., 1].numpy() > 0.5
    before = (np.cumsum(m, 1) - m) > 0
    later_likely = 1 - 0.8 ** (11 - np.arange(12)) > 0.5
    assert abs(((before & later_likely) == y.numpy()).mean() - past_only_ceiling(12, 0.2)) < 0.005
