"""How a gradient travels back through an RNN: the product of Jacobians, its norm against distance,
the horizon where it falls below a threshold, and the input-to-output connectivity of a trained model.

A vanilla RNN h_t = φ(W_hh h_{t-1} + u_t) (u_t = W_xh x_t + b_h, the input drive) has
    ∂h_T/∂h_k = ∏_{j=k+1}^{T} diag(φ'(a_j)) W_hh   (later j on the left),
and `jacobian_norms` returns its spectral norm for every distance d = T - k. `growth_rate` and `phase_grid`
measure the long-run per-step factor of that product (the largest Lyapunov exponent, as a factor) for a random
tanh RNN driven by noise, over the (ρ, σ) plane.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from .numpy_rnn import spectral_radius

ACTIVATIONS = ("tanh", "linear", "relu")


def with_spectral_radius(W: np.ndarray, rho: float) -> np.ndarray:
    """W rescaled so that its spectral radius (largest |eigenvalue|) is exactly rho."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix, got shape {W.shape}")
    return W * (rho / spectral_radius(W))


def _activation(name: str) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """(φ, φ' written in terms of h = φ(a)) for tanh, linear or relu."""
    if name == "tanh":
        return np.tanh, lambda h: 1.0 - h ** 2
    if name == "linear":
        return (lambda a: a), np.ones_like
    if name == "relu":
        return (lambda a: np.maximum(a, 0.0)), (lambda h: (h > 0).astype(float))
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")


def hidden_states(W_hh: np.ndarray, drive: np.ndarray, activation: str = "tanh",
                  h0: np.ndarray | None = None) -> np.ndarray:
    """h_0 … h_T as rows (T+1, H): h_t = φ(W_hh h_{t-1} + drive_t) for the drive (T, H), h_0 = h0 or 0."""
    phi, _ = _activation(activation)
    drive = np.asarray(drive, dtype=float)
    if drive.ndim != 2 or drive.shape[1] != W_hh.shape[0]:
        raise ValueError(f"drive must have shape (T, H={W_hh.shape[0]}), got {drive.shape}")
    h = np.zeros((drive.shape[0] + 1, drive.shape[1]))
    if h0 is not None:
        h[0] = h0
    for t in range(1, len(h)):
        h[t] = phi(W_hh @ h[t - 1] + drive[t - 1])
    return h


def jacobian_norms(W_hh: np.ndarray, h: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """‖∂h_T/∂h_{T-d}‖₂ for d = 0 … T (T+1,), from the states h (T+1, H) of `hidden_states`."""
    _, dphi = _activation(activation)
    T = len(h) - 1
    J = np.eye(W_hh.shape[0])
    products = [J]
    for j in range(T, 0, -1):                 # J ← J · diag(φ'(a_j)) W_hh: the next factor goes on the right
        J = J @ (dphi(h[j])[:, None] * W_hh)
        products.append(J)
    return np.linalg.norm(np.stack(products), ord=2, axis=(1, 2))


def horizon(norms: np.ndarray, threshold: float = 1e-3) -> float:
    """The first distance d where norms[d] < threshold; inf when it never falls below within the curve."""
    below = np.flatnonzero(np.asarray(norms) < threshold)
    return float(below[0]) if below.size else float("inf")


def _draw(seed: int, hidden: int, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One draw: W (H, H) ~ N(0, 1/H) at spectral radius 1, unit noise (steps, H) and a unit tangent vector (H,)."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, hidden))
    noise = rng.normal(0.0, 1.0, (steps, hidden))
    v = rng.normal(0.0, 1.0, hidden)
    return W / spectral_radius(W), noise, v / np.linalg.norm(v)


def phase_grid(rhos: Sequence[float], sigmas: Sequence[float], seeds: Sequence[int], hidden: int = 64,
               steps: int = 400, burn_in: int = 100) -> np.ndarray:
    """Per-step growth factors (len(rhos), len(sigmas), len(seeds)) of a tanh RNN, one draw per seed (see growth_rate).

    All (ρ, σ) of one draw share its W and noise, so each step is one (H, H) @ (H, ρ·σ) product per draw.
    """
    rhos, sigmas = np.asarray(rhos, float), np.asarray(sigmas, float)
    if steps <= burn_in or burn_in < 0 or np.any(rhos <= 0) or np.any(sigmas < 0):
        raise ValueError(f"need steps > burn_in >= 0, ρ > 0 and σ >= 0; got {steps}, {burn_in}, {rhos}, {sigmas}")
    draws = [_draw(seed, hidden, steps) for seed in seeds]
    W = np.stack([d[0] for d in draws])                                   # (S, H, H) at radius 1
    rho_col = np.repeat(rhos, len(sigmas))[None, None, :]                # column c = (ρ_i, σ_j), i major
    sigma_col = np.tile(sigmas, len(rhos))[None, None, :]
    h = np.zeros((len(draws), hidden, rho_col.shape[-1]))
    v = np.repeat(np.stack([d[2] for d in draws])[:, :, None], rho_col.shape[-1], axis=2)
    log_growth = np.zeros((len(draws), rho_col.shape[-1]))
    for t in range(steps):
        drive = np.stack([d[1][t] for d in draws])[:, :, None]          # (S, H, 1)
        h = np.tanh(rho_col * (W @ h) + sigma_col * drive)
        if t >= burn_in:                                                  # v ← diag(1 − h_t²) W_hh v, renormalised
            v = (1.0 - h ** 2) * (rho_col * (W @ v))
            norm = np.linalg.norm(v, axis=1)
            log_growth += np.log(norm)
            v /= norm[:, None, :]
    factors = np.exp(log_growth / (steps - burn_in))                       # (S, ρ·σ)
    return factors.T.reshape(len(rhos), len(sigmas), len(draws))


def growth_rate(rho: float, sigma: float, hidden: int = 64, steps: int = 400, burn_in: int = 100,
                seed: int = 0) -> float:
    """Per-step growth factor of ‖J_t ⋯ J_1 v‖ over steps burn_in … steps for one tanh RNN: W_hh ~ N(0, 1/H) rescaled
    to spectral radius rho, drive N(0, sigma²) per unit and step; < 1 ordered (vanishing), > 1 chaotic (exploding)."""
    return float(phase_grid([rho], [sigma], [seed], hidden, steps, burn_in)[0, 0, 0])


def edge_of_chaos(rhos: Sequence[float], factors: Sequence[float]) -> float:
    """The first ρ where the growth factors (one per ρ, ascending ρ) reach 1, interpolated linearly; NaN if none does."""
    rhos, factors = np.asarray(rhos, float), np.asarray(factors, float)
    above = np.flatnonzero(factors >= 1)
    if not above.size or above[0] == 0:
        return float("nan")
    i = above[0]
    return float(rhos[i - 1] + (1 - factors[i - 1]) / (factors[i] - factors[i - 1]) * (rhos[i] - rhos[i - 1]))


def mean_field_edge(sigma: float, nodes: int = 61, iterations: int = 200) -> float:
    """The edge of chaos of an infinitely large tanh RNN (W_hh ~ N(0, ρ²/H), drive N(0, σ²)): the ρ where
    ρ² E[tanh'(a)²] = 1, with a ~ N(0, ρ²q + σ²) and q = E[tanh(a)²] at its fixed point (Gauss-Hermite)."""
    if not 0 <= sigma <= 10:
        raise ValueError(f"the input drive's standard deviation must lie in [0, 10], got {sigma}")
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()

    def factor(rho: float) -> float:
        q = 1.0
        for _ in range(iterations):
            q = float(np.sum(w * np.tanh(np.sqrt(rho ** 2 * q + sigma ** 2) * z) ** 2))
        return rho ** 2 * float(np.sum(w * (1 - np.tanh(np.sqrt(rho ** 2 * q + sigma ** 2) * z) ** 2) ** 2)) - 1

    low, high = 1.0, 4.0                                                  # factor(1) ≤ 0 < factor(4): bisect
    for _ in range(30):
        low, high = (low, (low + high) / 2) if factor((low + high) / 2) > 0 else ((low + high) / 2, high)
    return (low + high) / 2


def connectivity(logits_fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> np.ndarray:
    """G (T, T): G[t, s] = ‖∂ m_t / ∂x_s‖ for s ≤ t, NaN for s > t, where m_t = z_t[ŷ_t] - mean(z_t) is the
    margin of the class ŷ_t predicted at t (logits z_t; unlike log p it does not saturate when the model is sure).

    logits_fn maps one sequence x (T, D) to per-step logits (T, C).
    """
    x = x.detach().clone().requires_grad_(True)
    logits = logits_fn(x)
    if logits.ndim != 2 or logits.shape[0] != x.shape[0]:
        raise ValueError(f"logits_fn must return per-step logits (T={x.shape[0]}, C), got {tuple(logits.shape)}")
    log_p = logits - logits.mean(dim=-1, keepdim=True)
    predicted = log_p.argmax(-1)
    T = x.shape[0]
    G = np.full((T, T), np.nan)
    for t in range(T):
        (grad,) = torch.autograd.grad(log_p[t, predicted[t]], x, retain_graph=t < T - 1)
        G[t, :t + 1] = grad[:t + 1].norm(dim=-1).detach().cpu().double().numpy()
    return G
