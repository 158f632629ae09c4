"""The product of Jacobians, its norms, the horizon and the connectivity: checked against autograd and finite differences."""

import numpy as np
import pytest
import torch

from course_utils.gradient_flow import (connectivity, edge_of_chaos, growth_rate, hidden_states, horizon,
                                        jacobian_norms, mean_field_edge, phase_grid, with_spectral_radius)
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


# ---- the per-step growth factor (largest Lyapunov exponent) of a driven tanh RNN, against code written apart


def _independent_growth(rho, sigma, draws, seed, hidden=64, steps=400, burn_in=100):
    """The factor by torch forward-mode differentiation (jvp of one step), float64, draws batched, its own RNG."""
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn(draws, hidden, hidden, generator=gen, dtype=torch.float64) / hidden ** 0.5
    W = W * (rho / torch.linalg.eigvals(W).abs().max(dim=1).values)[:, None, None]
    u = sigma * torch.randn(steps, draws, hidden, generator=gen, dtype=torch.float64)
    h, v = torch.zeros(draws, hidden, dtype=torch.float64), torch.randn(draws, hidden, generator=gen, dtype=torch.float64)
    logs = torch.zeros(draws, dtype=torch.float64)
    for t in range(steps):
        step = lambda state, t=t: torch.tanh(torch.einsum("bij,bj->bi", W, state) + u[t])
        if t < burn_in:
            h = step(h)
            continue
        h, v = torch.func.jvp(step, (h,), (v / v.norm(dim=1, keepdim=True),))
        logs += torch.log(v.norm(dim=1))
    return torch.exp(logs / (steps - burn_in)).numpy()


@pytest.mark.parametrize("rho, sigma", [(0.9, 0.05), (1.5, 0.5), (2.0, 0.05), (3.0, 1.0)])
def test_growth_rate_agrees_with_an_independent_estimate_within_0_05(rho, sigma):
    """Medians over 48 draws each. One draw's factor varies (sd 0.054 at ρ = 2, σ = 0.05, over 200 draws), a median
    of 48 by about 0.0075, so two independent medians differ by more than 0.05 with a chance of about 1e-6."""
    ours = np.median([growth_rate(rho, sigma, seed=seed) for seed in range(48)])
    theirs = np.median(_independent_growth(rho, sigma, draws=48, seed=7))
    assert abs(ours - theirs) < 0.05


def test_growth_rate_follows_its_recipe_exactly():
    """W ~ N(0, 1/H) rescaled to ρ, noise N(0, 1) × σ, a unit v, drawn in that order from default_rng(seed)."""
    H, steps, burn_in = 8, 60, 20
    rng = np.random.default_rng(3)
    W = with_spectral_radius(rng.normal(0, 1 / np.sqrt(H), (H, H)), 1.7)
    noise, v = rng.normal(0, 1, (steps, H)), rng.normal(0, 1, H)
    h = hidden_states(W, 0.4 * noise)
    J = np.eye(H)
    for t in range(burn_in + 1, steps + 1):
        J = np.diag(1 - h[t] ** 2) @ W @ J                       # J_t ⋯ J_(burn_in+1), later on the left
    direct = np.linalg.norm(J @ v / np.linalg.norm(v)) ** (1 / (steps - burn_in))
    assert abs(growth_rate(1.7, 0.4, hidden=H, steps=steps, burn_in=burn_in, seed=3) - direct) < 1e-10


def test_phase_grid_is_growth_rate_at_every_point():
    grid = phase_grid([0.8, 2.5], [0.1, 1.0], seeds=[4, 5], hidden=16, steps=120, burn_in=40)
    assert grid.shape == (2, 2, 2)
    assert abs(grid[1, 0, 1] - growth_rate(2.5, 0.1, hidden=16, steps=120, burn_in=40, seed=5)) < 1e-12


def test_the_factor_rises_with_rho_and_a_strong_drive_suppresses_chaos():
    grid = np.median(phase_grid([1.0, 2.0, 3.0], [0.05, 1.0], seeds=range(8)), axis=2)
    assert np.all(np.diff(grid, axis=0) > 0)
    assert grid[1, 0] > 1 > grid[1, 1]                       # ρ = 2: chaotic with a weak drive, ordered with σ = 1


def test_edge_of_chaos_interpolates_the_first_crossing():
    assert edge_of_chaos([1.0, 1.5, 2.0], [0.8, 0.9, 1.1]) == pytest.approx(1.75)
    assert np.isnan(edge_of_chaos([1.0, 2.0], [0.5, 0.9])) and np.isnan(edge_of_chaos([1.0, 2.0], [1.2, 1.3]))


def test_growth_rate_rejects_a_burn_in_past_the_end():
    with pytest.raises(ValueError, match="burn_in"):
        growth_rate(1.0, 0.5, steps=50, burn_in=60)


def test_mean_field_edge_is_1_without_drive_and_moves_right_with_the_drive():
    edges = [mean_field_edge(s) for s in (0.01, 0.05, 0.5, 1.0)]
    assert abs(edges[0] - 1) < 0.05 and np.all(np.diff(edges) > 0)
    assert abs(edges[2] - 1.55) < 0.01 and abs(edges[3] - 1.855) < 0.01


def test_mean_field_edge_matches_an_independent_monte_carlo_fixed_point():
    rho, sigma = mean_field_edge(0.5), 0.5
    a = np.random.default_rng(0).normal(0, 1, 400_000)
    q = 0.5
    for _ in range(200):                                    # q = E tanh(√(ρ²q + σ²) z)², by sampling
        q = np.mean(np.tanh(np.sqrt(rho ** 2 * q + sigma ** 2) * a) ** 2)
    slope2 = np.mean((1 - np.tanh(np.sqrt(rho ** 2 * q + sigma ** 2) * a) ** 2) ** 2)
    assert abs(rho ** 2 * slope2 - 1) < 0.01


def test_mean_field_edge_lies_left_of_large_networks_at_weak_drive():
    big = np.median(phase_grid(np.round(np.arange(1.0, 1.61, 0.1), 2), [0.05], range(3), hidden=512)[:, 0], axis=1)
    assert mean_field_edge(0.05) < edge_of_chaos(np.round(np.arange(1.0, 1.61, 0.1), 2), big) < 1.4


def test_mean_field_edge_rejects_a_negative_drive():
    with pytest.raises(ValueError, match="standard deviation"):
        mean_field_edge(-0.1)


def test_a_window_of_3_never_trains_the_input_column_that_writes_x_three_steps_back():
    # 03's explanation of why a window of 3 cannot learn the 3-step echo: with one loss at step t and the
    # symbols at t-2, t-1, t all different from x_{t-3}, W_xh's column for x_{t-3} gets exactly no gradient
    from course_utils import numpy_rnn as ref
    symbols = np.array([1, 2, 3, 1, 0, 2, 3, 1])                # t = 7: x_{t-3} = 0, x_{t-2..t} = 2, 3, 1
    x, targets = ref.one_hot(symbols, 4), np.full(8, -1)
    targets[-1] = 0
    params = ref.init_params(4, 6, 4, scale=0.9, seed=1)
    window_3 = ref.loss_and_gradients(params, x, targets, window=3)[1]["W_xh"]
    window_4 = ref.loss_and_gradients(params, x, targets, window=4)[1]["W_xh"]
    assert np.all(window_3[:, 0] == 0) and np.abs(window_4[:, 0]).max() > 1e-6
