"""Reference vanilla RNN in numpy: forward, backpropagation through time (full and truncated),
per-step gradient contributions, a finite-difference gradient check and the same model in torch.

The course's notation (notebook 01): steps t = 1..T; h_0 is the initial state, the argument `h0`;
arrays count from 0, so the math's x_t, h_t, p_t are x[t-1], h[t-1], p[t-1].

Shapes (one sequence, no batch): x (T, D), targets (T,) integer classes with -1 = "no loss at this
step", h0 (H,); parameters W_xh (H, D), W_hh (H, H), W_hy (C, H), b_h (H,), b_y (C,).

    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  p_t = softmax(W_hy h_t + b_y),   t = 1..T,
    L = sum over steps with a target of -log p_t[target_t].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

Params = dict[str, np.ndarray]
PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
NO_LOSS = -1  # a target of -1 means: no loss at this step


@dataclass
class Cache:
    """What the forward pass keeps for the backward pass: inputs, states h (T, H), softmax p (T, C)."""

    x: np.ndarray
    targets: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    p: np.ndarray

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every step: (T, H), starting with h0."""
        return np.vstack([self.h0[None, :], self.h[:-1]])


def init_params(n_in: int, n_hidden: int, n_out: int, scale: float = 0.5, seed: int = 0) -> Params:
    """Random float64 parameters; W_hh is rescaled to spectral radius exactly `scale`."""
    rng = np.random.default_rng(seed)
    W_xh = rng.normal(0, 1 / np.sqrt(n_in), (n_hidden, n_in))
    W_hh = rng.normal(0, 1 / np.sqrt(n_hidden), (n_hidden, n_hidden))
    return {"W_xh": W_xh, "W_hh": W_hh * (scale / spectral_radius(W_hh)),
            "W_hy": rng.normal(0, 1 / np.sqrt(n_hidden), (n_out, n_hidden)),
            "b_h": np.zeros(n_hidden), "b_y": np.zeros(n_out)}


def spectral_radius(W: np.ndarray) -> float:
    """Largest |eigenvalue| of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def one_hot(symbols: np.ndarray, n_symbols: int) -> np.ndarray:
    """Integer symbols (T,) -> one-hot rows (T, n_symbols)."""
    symbols = np.asarray(symbols)
    if symbols.ndim != 1 or not np.issubdtype(symbols.dtype, np.integer):
        raise ValueError(f"symbols must be a 1-D integer array (T,), got shape {symbols.shape}, dtype {symbols.dtype}")
    if symbols.size and (symbols.min() < 0 or symbols.max() >= n_symbols):
        raise ValueError(f"symbols must lie in 0..{n_symbols - 1}")
    return np.eye(n_symbols)[symbols]


def check_params(params: Params) -> tuple[int, int, int]:
    """Validate the five parameters' shapes; return (D, H, C) or raise a ValueError saying what is expected."""
    missing = [name for name in PARAM_NAMES if name not in params]
    if missing:
        raise ValueError(f"params needs {list(PARAM_NAMES)}; missing {missing}")
    shapes = {name: np.shape(params[name]) for name in PARAM_NAMES}
    if len(shapes["W_xh"]) != 2 or len(shapes["W_hy"]) != 2:
        raise ValueError(f"W_xh must be (H, D) and W_hy (C, H); got {shapes['W_xh']} and {shapes['W_hy']}")
    (H, D), C = shapes["W_xh"], shapes["W_hy"][0]
    expected = {"W_xh": (H, D), "W_hh": (H, H), "W_hy": (C, H), "b_h": (H,), "b_y": (C,)}
    wrong = [f"{n} should be {expected[n]}, got {shapes[n]}" for n in PARAM_NAMES if shapes[n] != expected[n]]
    if wrong:
        raise ValueError(f"parameter shapes don't fit together (D={D}, H={H}, C={C}): " + "; ".join(wrong))
    return D, H, C


def check_sequence(params: Params, x: np.ndarray, targets: np.ndarray,
                   h0: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate x (T, D), targets (T,) and h0 (H,) against the params; return them as arrays."""
    D, H, C = check_params(params)
    x, targets = np.asarray(x, dtype=float), np.asarray(targets)
    if x.ndim != 2 or x.shape[1] != D:
        raise ValueError(f"x must have shape (T, D={D}), got {x.shape}")
    if targets.shape != (x.shape[0],) or not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets must be integers of shape (T={x.shape[0]},), got {targets.shape} {targets.dtype}")
    if np.any((targets < NO_LOSS) | (targets >= C)):
        raise ValueError(f"targets must be classes 0..{C - 1}, or -1 for 'no loss at this step'")
    h0 = np.zeros(H) if h0 is None else np.asarray(h0, dtype=float)
    if h0.shape != (H,):
        raise ValueError(f"h0 must have shape (H={H},), got {h0.shape}")
    return x, targets, h0


def rnn_forward(params: Params, x: np.ndarray, targets: np.ndarray,
                h0: np.ndarray | None = None) -> tuple[float, Cache]:
    """Run the RNN over x (T, D); return the summed cross-entropy loss and the Cache."""
    x, targets, h0 = check_sequence(params, x, targets, h0)
    T, H = x.shape[0], h0.shape[0]
    h, p = np.zeros((T, H)), np.zeros((T, params["b_y"].shape[0]))
    h_prev, loss = h0, 0.0
    for t in range(T):
        h[t] = np.tanh(params["W_xh"] @ x[t] + params["W_hh"] @ h_prev + params["b_h"])
        y = params["W_hy"] @ h[t] + params["b_y"]
        p[t] = np.exp(y - y.max()) / np.exp(y - y.max()).sum()
        if targets[t] != NO_LOSS:
            loss -= np.log(p[t, targets[t]])
        h_prev = h[t]
    return float(loss), Cache(x, targets, h0, h, p)


def output_errors(cache: Cache) -> np.ndarray:
    """dL/dy_t = p_t - onehot(target_t) for steps with a loss, 0 elsewhere: (T, C)."""
    dy = cache.p.copy()
    steps = np.flatnonzero(cache.targets != NO_LOSS)
    dy[steps, cache.targets[steps]] -= 1.0
    dy[cache.targets == NO_LOSS] = 0.0
    return dy


def rnn_backward(params: Params, cache: Cache, window: int | None = None,
                 chunk: int | None = None) -> tuple[Params, np.ndarray]:
    """BPTT: return (gradients by name, delta_h (T, H) = dL/dh_t).

    window=k: each step's loss flows back through at most k hidden states (h_t ... h_{t-k+1}).
    chunk=k: the sequence is cut into chunks of k steps and no error crosses a chunk boundary
    (what "update every k steps" computes). None: full BPTT.
    """
    T, H = cache.h.shape
    dy, h_prev = output_errors(cache), cache.h_prev
    grads = {"W_hy": dy.T @ cache.h, "b_y": dy.sum(0), "W_xh": np.zeros_like(params["W_xh"]),
             "W_hh": np.zeros_like(params["W_hh"]), "b_h": np.zeros(H)}
    if window is not None and window < 1 or chunk is not None and chunk < 1:
        raise ValueError(f"window and chunk must be >= 1 (or None for full BPTT), got {window}, {chunk}")
    full = window is None or window >= T
    carried = np.zeros((1 if full else window - 1, H))  # row d: error from the loss d+1 steps later
    delta_h = np.zeros((T, H))
    for t in reversed(range(T)):
        incoming = np.vstack([params["W_hy"].T @ dy[t], carried])  # row d: from the loss d steps later
        delta_h[t] = incoming.sum(0)
        da = (1.0 - cache.h[t] ** 2) * incoming  # through tanh: error at the pre-activation
        da_sum = da.sum(0)
        grads["W_hh"] += np.outer(da_sum, h_prev[t])
        grads["W_xh"] += np.outer(da_sum, cache.x[t])
        grads["b_h"] += da_sum
        back = da @ params["W_hh"]  # each row's error arriving at h_{t-1}
        carried = back.sum(0, keepdims=True) if full else back[:window - 1]
        if chunk is not None and t % chunk == 0:
            carried = np.zeros_like(carried)
    return grads, delta_h


def step_contributions(cache: Cache, delta_h: np.ndarray) -> np.ndarray:
    """Each step k's term dL/dh_k · ∂⁺h_k/∂W_hh of the gradient: (T, H, H); they sum to dL/dW_hh."""
    if np.shape(delta_h) != cache.h.shape:
        raise ValueError(f"delta_h must have shape (T, H) = {cache.h.shape} like cache.h, got {np.shape(delta_h)}")
    da = (1.0 - cache.h ** 2) * delta_h
    return np.einsum("ti,tj->tij", da, cache.h_prev)


def loss_and_gradients(params: Params, x: np.ndarray, targets: np.ndarray, h0: np.ndarray | None = None,
                       window: int | None = None, chunk: int | None = None) -> tuple[float, Params]:
    """Forward then backward: (loss, gradients by name)."""
    loss, cache = rnn_forward(params, x, targets, h0)
    grads, _ = rnn_backward(params, cache, window, chunk)
    return loss, grads


def numerical_gradient(loss_fn: Callable[[Params], float], params: Params, eps: float = 1e-5) -> Params:
    """Centred finite differences (L(θ+ε) - L(θ-ε)) / 2ε for every entry of every parameter."""
    grads = {}
    for name in PARAM_NAMES:
        value, grad = params[name], np.zeros_like(params[name])
        for index in np.ndindex(value.shape):
            old = value[index]
            value[index] = old + eps
            plus = loss_fn(params)
            value[index] = old - eps
            minus = loss_fn(params)
            value[index] = old
            grad[index] = (plus - minus) / (2 * eps)
        grads[name] = grad
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a - b‖ / (‖a‖ + ‖b‖), 0 when both are 0."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"relative_error compares arrays of the same shape, got {a.shape} and {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def gradient_check(loss_and_grads: Callable[[Params], tuple[float, Params]], params: Params,
                   eps: float = 1e-5) -> dict[str, float]:
    """Relative error between analytic and finite-difference gradients, per parameter."""
    check_params(params)
    params = {name: np.array(params[name], dtype=np.float64) for name in PARAM_NAMES}
    _, analytic = loss_and_grads(params)
    wrong = [f"{n} should be {params[n].shape}, got {np.shape(analytic.get(n))}" for n in PARAM_NAMES
             if n not in analytic or np.shape(analytic[n]) != params[n].shape]
    if wrong:
        raise ValueError("loss_and_grads must return (loss, {name: gradient shaped like the parameter}): "
                         + "; ".join(wrong))
    numeric = numerical_gradient(lambda p: loss_and_grads(p)[0], params, eps)
    return {name: relative_error(analytic[name], numeric[name]) for name in PARAM_NAMES}


def torch_gradients(params: Params, x: np.ndarray, targets: np.ndarray, h0: np.ndarray | None = None,
                    device: str | torch.device = "cpu") -> tuple[float, Params]:
    """The same RNN and loss written in torch (float64), differentiated by autograd: (loss, grads)."""
    x, targets, h0 = check_sequence(params, x, targets, h0)
    P = {n: torch.tensor(params[n], dtype=torch.float64, device=device, requires_grad=True) for n in PARAM_NAMES}
    h, loss = torch.tensor(h0, dtype=torch.float64, device=device), 0.0
    for t, x_t in enumerate(torch.tensor(x, dtype=torch.float64, device=device)):
        h = torch.tanh(P["W_xh"] @ x_t + P["W_hh"] @ h + P["b_h"])
        if targets[t] != NO_LOSS:
            loss = loss - torch.log_softmax(P["W_hy"] @ h + P["b_y"], dim=0)[int(targets[t])]
    if torch.is_tensor(loss):
        loss.backward()
    grads = {n: (P[n].grad if P[n].grad is not None else torch.zeros_like(P[n])).cpu().numpy() for n in P}
    return float(loss.detach()) if torch.is_tensor(loss) else 0.0, grads


def delay_task(n_steps: int, n_symbols: int, delay: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A random symbol sequence and its echo: x (T, n_symbols) one-hot, target_t = symbol_{t-delay}
    (-1, no loss, for the first `delay` steps)."""
    symbols = np.random.default_rng(seed).integers(0, n_symbols, n_steps)
    targets = np.full(n_steps, NO_LOSS)
    targets[delay:] = symbols[:n_steps - delay]
    return one_hot(symbols, n_symbols), targets


def accuracy(params: Params, x: np.ndarray, targets: np.ndarray, h0: np.ndarray | None = None) -> float:
    """Fraction of steps with a target where argmax p_t is the target."""
    _, cache = rnn_forward(params, x, targets, h0)
    steps = cache.targets != NO_LOSS
    return float(np.mean(cache.p[steps].argmax(1) == cache.targets[steps]))


def adam_step(params: Params, grads: Params, state: dict, lr: float) -> None:
    """One Adam update of params in place (betas 0.9, 0.999); state holds the moments and the count."""
    state["t"] = state.get("t", 0) + 1
    for name in PARAM_NAMES:
        m = state.setdefault("m_" + name, np.zeros_like(params[name]))
        v = state.setdefault("v_" + name, np.zeros_like(params[name]))
        m[...] = 0.9 * m + 0.1 * grads[name]
        v[...] = 0.999 * v + 0.001 * grads[name] ** 2
        m_hat, v_hat = m / (1 - 0.9 ** state["t"]), v / (1 - 0.999 ** state["t"])
        params[name] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def train_rnn(params: Params, sequences: list[tuple[np.ndarray, np.ndarray]], lr: float = 1e-2,
              window: int | None = None, update_every: int | None = None) -> tuple[Params, list[float]]:
    """Train a copy of params with Adam, one sequence at a time; return it and the mean loss per sequence.

    window=k: one update per sequence with the window-k truncated gradient.
    update_every=k: an update after every k steps, the hidden state carried over (not backpropagated).
    """
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    state: dict = {}
    losses = []
    for x, targets in sequences:
        size = update_every or len(x)
        h, total = None, 0.0
        for start in range(0, len(x), size):
            loss, cache = rnn_forward(params, x[start:start + size], targets[start:start + size], h)
            grads, _ = rnn_backward(params, cache, window=window)
            n_losses = max(1, int(np.sum(cache.targets != NO_LOSS)))
            adam_step(params, {n: g / n_losses for n, g in grads.items()}, state, lr)
            h, total = cache.h[-1], total + loss
        losses.append(total / max(1, int(np.sum(np.asarray(targets) != NO_LOSS))))
    return params, losses
