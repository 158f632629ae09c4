"""The product of Jacobians, its norms, the horizon and the connectivity: checked against autograd and finite differences."""

import numpy as np
import pytest
import torch

from course_utils.gradient_flow import (connectivity, hidden_states, horizon, jacobian_norms,
                                        with_spectral_radius)
from course_utils.memory_task import RecallNet
from course_utils.numpy_rnn import spectral_radius


def _rnn(H=6, T=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1 / np.sqrt(H), (H, H)), rng.normal(0, 0.5, (T, H))


def test_with_spectral_radius_is_exact():
    W, _ = _rnn()
    assert abs(spectral_radius(with_spectral_radius(W, 0.9)) - 0.9) < 1e-12


@pytest.mark.parametrize("activation", ["tanh", "linear", "relu"])
def test_jacobian_norms_match_autograd(activation):
    W, drive = _rnn()
    h = hidden_states(W, drive, activation)
    phi = {"tanh": torch.tanh, "linear": lambda a: a, "relu": torch.relu}[activation]
    W_t, u_t = torch.tensor(W), torch.tensor(drive)
    T = len(drive)
    norms = jacobian_norms(W, h, activation)
    for d in (0, 1, 5, T):
        def run(h_k, k=T - d):
            for t in range(k + 1, T + 1):
                h_k = phi(W_t @ h_k + u_t[t - 1])
            return h_k
        J = torch.autograd.functional.jacobian(run, torch.tensor(h[T - d])).numpy()
        assert abs(norms[d] - np.linalg.norm(J, 2)) < 1e-10


def test_linear_rnn_norm_is_the_norm_of_the_matrix_power():
    W, drive = _rnn()
    norms = jacobian_norms(W, hidden_states(W, drive, "linear"), "linear")
    assert np.allclose(norms[7], np.linalg.norm(np.linalg.matrix_power(W, 7), 2))


def test_horizon_is_first_distance_below_threshold_or_inf():
    assert horizon(np.array([1.0, 0.1, 1e-4, 1e-5]), 1e-3) == 2
    assert horizon(np.array([1.0, 2.0]), 1e-3) == float("inf")


def test_bad_activation_and_drive_are_explained():
    W, drive = _rnn()
    with pytest.raises(ValueError, match="activation"):
        hidden_states(W, drive, "sigmoid")
    with pytest.raises(ValueError, match="drive"):
        hidden_states(W, drive[:, :3])


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_connectivity_matches_finite_differences(cell):
    torch.manual_seed(0)
    model = RecallNet(cell, hidden_size=3).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    G = connectivity(model.logits_per_step, x)
    with torch.no_grad():
        z = model.logits_per_step(x)
        predicted = (z - z.mean(-1, keepdim=True)).argmax(-1)

    def margin(xx, t):
        with torch.no_grad():
            zz = model.logits_per_step(xx)[t]
        return float(zz[predicted[t]] - zz.mean())

    eps = 1e-6
    for t in range(5):
        for s in range(t + 1):
            grad = []
            for d in range(4):
                plus, minus = x.clone(), x.clone()
                plus[s, d] += eps
                minus[s, d] -= eps
                grad.append((margin(plus, t) - margin(minus, t)) / (2 * eps))
            assert abs(G[t, s] - np.linalg.norm(grad)) < 1e-7
    assert np.isnan(G[0, 1:]).all()          # the future is not part of the triangle


def test_connectivity_rejects_non_per_step_logits():
    model = RecallNet("rnn", hidden_size=3)
    with pytest.raises(ValueError, match="per-step"):
        connectivity(lambda x: model(x[None]), torch.randn(4, 4))
