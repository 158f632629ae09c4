"""Notebook 04's claims, re-checked by code written apart from course_utils (numpy and torch only) at seeds
the notebook was never developed on (1000 and up). If course_utils and the notebook shared a mistake, these
would not.
"""

import numpy as np
import pytest
import torch
from torch import nn

H = 16
FRESH_SEEDS = range(1000, 1020)


def scaled(W, rho):
    return W * rho / np.max(np.abs(np.linalg.eigvals(W)))


def states(W, u, phi):
    h = [np.zeros(len(W))]
    for u_t in u:
        h.append(phi(W @ h[-1] + u_t))
    return np.array(h)


def back_norms(W, h, slope):
    """‖∂h_T/∂h_(T-d)‖₂ for d = 0 … T, multiplying one step's Jacobian diag(slope(h_j)) W at a time."""
    J, out = np.eye(len(W)), [1.0]
    for j in range(len(h) - 1, 0, -1):
        J = J @ np.diag(slope(h[j])) @ W
        out.append(np.linalg.norm(J, 2))
    return np.array(out)


TANH = (np.tanh, lambda h: 1 - h ** 2)
LINEAR = (lambda a: a, np.ones_like)
RELU = (lambda a: np.maximum(a, 0), lambda h: (h > 0).astype(float))


def first_below(norms, threshold=1e-3):
    below = np.flatnonzero(norms < threshold)
    return below[0] if below.size else np.inf


def test_the_jacobian_product_matches_autograd_and_its_bound():
    rng = np.random.default_rng(1000)
    W, u = scaled(rng.normal(size=(H, H)), 1.2), rng.normal(0, 0.5, (25, H))
    h = states(W, u, np.tanh)
    Wt, ut = torch.tensor(W), torch.tensor(u)

    def run(h0):
        for u_t in ut:
            h0 = torch.tanh(Wt @ h0 + u_t)
        return h0

    J = torch.autograd.functional.jacobian(run, torch.zeros(H, dtype=torch.float64)).numpy()
    assert np.isclose(np.linalg.norm(J, 2), back_norms(W, h, TANH[1])[-1], rtol=1e-10)
    assert np.all(back_norms(W, h, TANH[1]) <= np.linalg.norm(W, 2) ** np.arange(26) * (1 + 1e-9))


@pytest.mark.parametrize("seed", FRESH_SEEDS[:5])
def test_linear_rate_is_rho_and_tanh_vanishes_even_at_rho_1_1(seed):
    rng = np.random.default_rng(seed)
    W0, u = rng.normal(0, 0.25, (H, H)), rng.normal(0, 0.5, (60, H))
    d = np.arange(1, 61)
    for rho in (0.9, 1.1):
        for (phi, slope), check in ((LINEAR, lambda r: abs(r / rho - 1) < 0.05), (TANH, lambda r: r < 0.95)):
            W = scaled(W0, rho)
            rate = np.exp(np.polyfit(d, np.log(back_norms(W, states(W, u, phi), slope)[1:]), 1)[0])
            assert check(rate), (rho, rate)


def test_relu_at_rho_1_1_vanishes_in_most_draws_but_explodes_with_every_unit_on():
    rng = np.random.default_rng(1001)
    vanished = 0
    for _ in range(20):
        W = scaled(rng.normal(0, 0.25, (H, H)), 1.1)
        vanished += back_norms(W, states(W, rng.normal(0, 0.5, (60, H)), RELU[0]), RELU[1])[-1] < 1e-2
    assert vanished >= 12
    W = scaled(np.abs(rng.normal(0, 0.25, (H, H))), 1.1)
    u = np.abs(rng.normal(0, 0.5, (60, H))) + 0.1
    on = back_norms(W, states(W, u, RELU[0]), RELU[1])
    assert np.allclose(on, back_norms(W, states(W, u, LINEAR[0]), LINEAR[1])) and on[-1] > 100


@pytest.mark.parametrize("seed", FRESH_SEEDS[:8])
def test_tanh_horizon_depends_on_the_drive_more_than_on_rho(seed):
    rng = np.random.default_rng(seed)
    W0, noise = rng.normal(0, 0.25, (H, H)), rng.normal(size=(300, H))
    hor = {(s, rho): first_below(back_norms(scaled(W0, rho), states(scaled(W0, rho), s * noise, np.tanh), TANH[1]))
           for s, rho in ((0.1, 1.0), (1.0, 1.0), (1.0, 0.9), (1.0, 1.2), (1.0, 1.5))}
    assert hor[0.1, 1.0] >= 2 * hor[1.0, 1.0]
    assert hor[1.0, 1.2] < 3 * hor[1.0, 0.9] and np.isfinite(hor[1.0, 1.5])


def test_a_non_normal_matrix_with_rho_0_9_explodes_before_it_vanishes():
    W = 0.9 * np.eye(H) + 2 * np.eye(H, k=1)
    assert np.linalg.norm(np.linalg.matrix_power(W, 100), 2) > 1e15
    assert np.linalg.norm(np.linalg.matrix_power(W, 1000), 2) < 1


def test_rmsprop_steps_are_lr_over_sqrt_one_minus_alpha_to_the_k():
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt, moved = torch.optim.RMSprop([theta], lr=0.01), []
    for _ in range(100):
        before = theta.detach().clone()
        theta.grad = torch.tensor([1e3, 1e-3], dtype=torch.float64)
        opt.step()
        moved.append((before - theta.detach()).numpy() / 0.01)
    k = np.arange(1, 101)
    assert np.allclose(np.array(moved), (1 / np.sqrt(1 - 0.99 ** k))[:, None], rtol=1e-3)   # ε = 1e-8 shaves 1e-4 off the small one
    assert np.isclose(moved[0][0], 10) and np.isclose(moved[-1][1], 1.26, atol=0.01)


def gap_batch(n, gap, gen):
    """The gap task, generated here: bit one-hot on channels 0/1 at t=0, then tokens on channels 2/3."""
    bits = torch.randint(0, 2, (n,), generator=gen)
    x = torch.zeros(n, gap + 1, 4)
    x[torch.arange(n), 0, bits] = 1
    x[:, 1:, :][torch.arange(n)[:, None], torch.arange(gap), 2 + torch.randint(0, 2, (n, gap), generator=gen)] = 1
    return x, bits


class Net(nn.Module):
    def __init__(self, cell, **kw):
        super().__init__()
        self.rnn, self.out = cell(4, H, batch_first=True, **kw), nn.Linear(H, 2)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1])


def irnn():
    net = Net(nn.RNN, nonlinearity="relu")
    with torch.no_grad():
        net.rnn.weight_hh_l0.copy_(torch.eye(H))
        net.rnn.bias_hh_l0.zero_()
        net.rnn.bias_ih_l0.zero_()
    return net


def grad_norms_under_sgd(net, seed, steps=60, clip=1.0):
    gen, opt, norms = torch.Generator().manual_seed(seed), torch.optim.SGD(net.parameters(), lr=0.05), []
    for _ in range(steps):
        x, y = gap_batch(128, 20, gen)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        norms.append(nn.utils.clip_grad_norm_(net.parameters(), clip).item())
        opt.step()
    return np.array(norms)


def test_clipping_acts_on_most_irnn_steps_and_never_on_the_default_rnns():
    shares = {"irnn": [], "default": []}
    for seed in FRESH_SEEDS[:4]:
        torch.manual_seed(seed)
        shares["irnn"].append(np.mean(grad_norms_under_sgd(irnn(), seed) > 1))
        torch.manual_seed(seed)
        shares["default"].append(np.mean(grad_norms_under_sgd(Net(nn.RNN), seed) > 1))
    assert np.median(shares["irnn"]) >= 0.5 and max(shares["default"]) <= 0.05


@pytest.mark.parametrize("seed", FRESH_SEEDS[:5])
def test_adam_moves_the_bits_vanished_input_weights_far_more_than_sgd(seed):
    torch.manual_seed(seed)
    net = Net(nn.RNN)
    x, y = gap_batch(128, 20, torch.Generator().manual_seed(seed))
    nn.functional.cross_entropy(net(x), y).backward()
    g = net.rnn.weight_ih_l0.grad
    assert g[:, :2].abs().max() < 1e-2 * g[:, 2:].abs().max()          # the bit's gradient has vanished
    before = net.rnn.weight_ih_l0.detach().clone()
    torch.optim.Adam(net.parameters(), lr=1e-2).step()
    adam = (net.rnn.weight_ih_l0.detach() - before)[:, :2].abs().median()
    assert adam > 1e3 * 1e-2 * g[:, :2].abs().median()                 # SGD's step would be lr × |g|


@pytest.mark.parametrize("seed", FRESH_SEEDS[:5])
def test_forget_bias_1_is_a_vanishing_cell_path_and_3_is_not(seed):
    x, _ = gap_batch(1, 20, torch.Generator().manual_seed(seed))
    products = {}
    for bias in (1.0, 3.0):
        torch.manual_seed(seed)
        lstm = nn.LSTM(4, H)
        with torch.no_grad():                          # torch's gate order i, f, g, o: the total forget bias = bias
            lstm.bias_ih_l0[H:2 * H] = bias
            lstm.bias_hh_l0[H:2 * H] = 0
        h, c, log_f = torch.zeros(1, H), torch.zeros(1, H), torch.zeros(H)
        with torch.no_grad():
            for t, x_t in enumerate(x[0]):
                z = lstm.weight_ih_l0 @ x_t + lstm.bias_ih_l0 + lstm.weight_hh_l0 @ h[0] + lstm.bias_hh_l0
                if t > 0:                              # the 20 steps after the bit
                    log_f += torch.log(torch.sigmoid(z[H:2 * H]))
                _, (h, c) = lstm(x_t[None], (h, c))
        products[bias] = log_f.mean().exp().item()
    assert products[1.0] < 1e-2 and products[3.0] > 0.2


def lyapunov_factor(rho, sigma, rng, hidden=64, burn_in=100, steps=300):
    """exp(mean log growth) of a tangent vector pushed through J_t = diag(1 − h_t²) W, renormalised each step."""
    W = scaled(rng.normal(size=(hidden, hidden)), rho)
    h, v, total = np.zeros(hidden), rng.normal(size=hidden), 0.0
    for t in range(burn_in + steps):
        h = np.tanh(W @ h + sigma * rng.normal(size=hidden))
        if t >= burn_in:
            v = (1 - h ** 2) * (W @ v)
            total += np.log(np.linalg.norm(v))
            v /= np.linalg.norm(v)
    return np.exp(total / steps)


def test_the_tanh_factor_rises_with_rho_and_the_edge_of_chaos_moves_right_with_the_drive():
    rng = np.random.default_rng(1000)
    rhos = (1.0, 1.5, 2.0, 2.5, 3.0)
    med = {(r, s): np.median([lyapunov_factor(r, s, rng) for _ in range(8)]) for r in rhos for s in (0.05, 0.5, 1.0)}
    for s in (0.05, 0.5, 1.0):
        assert all(med[a, s] < med[b, s] for a, b in zip(rhos, rhos[1:]))
    assert med[2.0, 0.05] > 1 > med[1.0, 0.05] and med[2.0, 0.5] > 1 > med[1.5, 0.5]
    assert med[2.5, 1.0] > 1 > med[2.0, 1.0]         # edges: ≤ 2 (weak drive), 1.5–2 (σ 0.5), 2–2.5 (σ 1)


@pytest.mark.parametrize("seed", FRESH_SEEDS[:5])
def test_a_chaotic_tanh_rnns_gradient_grows_with_the_sequence(seed):
    rng = np.random.default_rng(seed)
    W, u, r = scaled(rng.normal(size=(64, 64)), 2.5), 0.05 * rng.normal(size=(100, 64)), rng.normal(size=64)
    norms = {}
    for T in (25, 100):
        Wt = torch.tensor(W, requires_grad=True)
        h = torch.zeros(64, dtype=torch.float64)
        for t in range(T):
            h = torch.tanh(Wt @ h + torch.tensor(u[t]))
        (torch.tensor(r) @ h).backward()
        norms[T] = Wt.grad.norm().item()
    assert norms[100] > 100 * norms[25]


def test_sigma_of_3_to_the_20th_is_0_378():
    assert round((1 / (1 + np.exp(-3))) ** 20, 3) == 0.378


def clipped_sgd_accuracy(seed, gap, steps=100, lr=0.5):
    """torch's default RNN, SGD clipped at norm 1, 128 fresh sequences a step; accuracy on 1000 new ones."""
    torch.manual_seed(seed)
    net, gen = Net(nn.RNN), torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        x, y = gap_batch(128, gap, gen)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    x, y = gap_batch(1000, gap, gen)
    with torch.no_grad():
        return (net(x).argmax(1) == y).float().mean().item()


def test_clipped_sgd_learns_a_short_lag_within_the_budget_and_not_lag_20():
    short = [clipped_sgd_accuracy(seed, 3) for seed in FRESH_SEEDS[:4]]
    long = [clipped_sgd_accuracy(seed, 20) for seed in FRESH_SEEDS[:2]]
    assert min(short) >= 0.95 and max(long) < 0.7, (short, long)


@pytest.mark.parametrize("seed", FRESH_SEEDS[:3])
def test_adams_first_step_over_sgds_is_one_over_the_gradient_plus_eps(seed):
    torch.manual_seed(seed)
    net = Net(nn.RNN)
    x, y = gap_batch(128, 20, torch.Generator().manual_seed(seed))
    nn.functional.cross_entropy(net(x), y).backward()
    g = net.rnn.weight_ih_l0.grad[:, :2].abs().clone()
    before = net.rnn.weight_ih_l0.detach().clone()
    torch.optim.Adam(net.parameters(), lr=1e-2).step()
    adam_over_sgd = (net.rnn.weight_ih_l0.detach() - before)[:, :2].abs() / (1e-2 * g)
    assert torch.allclose(adam_over_sgd * (g + 1e-8), torch.ones_like(g), rtol=1e-3)   # the ratio is 1 / (|g| + ε)


def test_a_steady_gradient_of_eps_gets_half_of_adams_step():
    theta = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam([theta], lr=0.01)
    for _ in range(50):
        before = theta.detach().clone()
        theta.grad = torch.full((1,), 1e-8, dtype=torch.float64)
        adam.step()
    assert abs((before - theta.detach()).item() / 0.01 - 0.5) < 1e-6


def test_a_strong_drive_leaves_the_average_tanh_slope_near_one_half():
    slopes = []
    for seed in FRESH_SEEDS:
        rng = np.random.default_rng(seed)
        W = scaled(rng.normal(0, 1 / np.sqrt(H), (H, H)), 1.0)
        h = states(W, rng.normal(0, 1, (300, H)), np.tanh)
        slopes.append(np.mean(1 - h[1:] ** 2))
    assert 0.45 < min(slopes) and max(slopes) < 0.65
