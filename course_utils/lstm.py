"""Reference LSTM and GRU cells in numpy (float64) that expose every gate at every step.

`lstm_gates(lstm, inputs)` runs a (trained) `torch.nn.LSTM`'s own weights over one sequence and
returns {f, i, g, o, c, h: arrays (T, H)} for the gate scrubber; `gru_gates` does the same for a
`torch.nn.GRU` ({r, z, n, h}). Torch stacks the LSTM gates in the order i, f, g, o and the GRU
gates in the order r, z, n, with two bias vectors (b_ih, b_hh) per layer.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

LSTM_GATE_ORDER = ("i", "f", "g", "o")  # torch's stacking order of weight_ih/weight_hh rows
GRU_GATE_ORDER = ("r", "z", "n")
GATES_PER_CELL = {"rnn": 1, "gru": 3, "lstm": 4}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), elementwise, without overflow warnings."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _layer_weights(module: nn.RNNBase, layer: int, order: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Split torch's stacked weights of one layer into W_x<gate> (H, D), W_h<gate> (H, H), b_<gate> (H,)."""
    if not 0 <= layer < module.num_layers:
        raise ValueError(f"layer must be in 0..{module.num_layers - 1}, got {layer}")
    get = lambda name: getattr(module, f"{name}_l{layer}").detach().cpu().double().numpy()  # noqa: E731
    W_ih, W_hh = get("weight_ih"), get("weight_hh")
    H = module.hidden_size
    b_ih = get("bias_ih") if module.bias else np.zeros(len(order) * H)
    b_hh = get("bias_hh") if module.bias else np.zeros(len(order) * H)
    params = {}
    for k, gate in enumerate(order):
        rows = slice(k * H, (k + 1) * H)
        params[f"W_x{gate}"], params[f"W_h{gate}"] = W_ih[rows], W_hh[rows]
        params[f"b_x{gate}"], params[f"b_h{gate}"] = b_ih[rows], b_hh[rows]
    return params


def lstm_weights(lstm: nn.LSTM, layer: int = 0) -> dict[str, np.ndarray]:
    """One layer's weights per gate: W_xf (H, D), W_hf (H, H), b_xf and b_hf (H,), ... for f, i, g, o."""
    return _layer_weights(lstm, layer, LSTM_GATE_ORDER)


def gru_weights(gru: nn.GRU, layer: int = 0) -> dict[str, np.ndarray]:
    """One layer's weights per gate: W_xr (H, D), W_hr (H, H), b_xr and b_hr (H,), ... for r, z, n."""
    return _layer_weights(gru, layer, GRU_GATE_ORDER)


def lstm_step(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray,
              p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One LSTM step: returns f, i, g, o, c, h (each (H,)) from x_t (D,), h_{t-1}, c_{t-1} (H,)."""
    pre = {k: p[f"W_x{k}"] @ x_t + p[f"b_x{k}"] + p[f"W_h{k}"] @ h_prev + p[f"b_h{k}"] for k in "figo"}
    f, i, o = sigmoid(pre["f"]), sigmoid(pre["i"]), sigmoid(pre["o"])
    g = np.tanh(pre["g"])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return {"f": f, "i": i, "g": g, "o": o, "c": c, "h": h}


def gru_step(x_t: np.ndarray, h_prev: np.ndarray, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One GRU step (torch's convention): returns r, z, n, h (each (H,))."""
    r = sigmoid(p["W_xr"] @ x_t + p["b_xr"] + p["W_hr"] @ h_prev + p["b_hr"])
    z = sigmoid(p["W_xz"] @ x_t + p["b_xz"] + p["W_hz"] @ h_prev + p["b_hz"])
    n = np.tanh(p["W_xn"] @ x_t + p["b_xn"] + r * (p["W_hn"] @ h_prev + p["b_hn"]))
    h = (1.0 - z) * n + z * h_prev
    return {"r": r, "z": z, "n": n, "h": h}


def _sequence(inputs: object, input_size: int) -> np.ndarray:
    """Check one sequence (T, D) (tensor or array) and return it as float64 numpy."""
    if hasattr(inputs, "detach"):
        inputs = inputs.detach().cpu().double().numpy()
    try:
        x = np.asarray(inputs, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"inputs must be numbers of shape (T, {input_size}), got {type(inputs).__name__}")
    if x.ndim == 3 and x.shape[0] == 1:
        x = x[0]  # a batch of one sequence, batch_first
    if x.ndim != 2 or x.shape[1] != input_size or x.shape[0] == 0:
        raise ValueError(f"inputs must have shape (T, {input_size}) (one sequence), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("inputs contain NaN or inf")
    return x


def _initial(state: object, H: int, name: str) -> np.ndarray:
    """An initial state (H,) from None (zeros), an array or a tensor."""
    if state is None:
        return np.zeros(H)
    if hasattr(state, "detach"):
        state = state.detach().cpu().double().numpy()
    state = np.asarray(state, dtype=float).reshape(-1)
    if state.shape != (H,):
        raise ValueError(f"{name} must have {H} values, got shape {state.shape}")
    return state


def lstm_forward(x: np.ndarray, p: dict[str, np.ndarray], h0: np.ndarray | None = None,
                 c0: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run lstm_step over x (T, D); returns {f, i, g, o, c, h: arrays (T, H)}."""
    H = p["b_xf"].shape[0]
    h, c = _initial(h0, H, "h0"), _initial(c0, H, "c0")
    steps = []
    for x_t in x:
        steps.append(lstm_step(x_t, h, c, p))
        h, c = steps[-1]["h"], steps[-1]["c"]
    return {k: np.stack([s[k] for s in steps]) for k in "figoch"}


def gru_forward(x: np.ndarray, p: dict[str, np.ndarray], h0: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run gru_step over x (T, D); returns {r, z, n, h: arrays (T, H)}."""
    h = _initial(h0, p["b_xr"].shape[0], "h0")
    steps = []
    for x_t in x:
        steps.append(gru_step(x_t, h, p))
        h = steps[-1]["h"]
    return {k: np.stack([s[k] for s in steps]) for k in "rznh"}


def _check_module(module: object, kind: type) -> None:
    """Friendly errors for the wrong module or options this reference does not cover."""
    if not isinstance(module, kind):
        raise ValueError(f"expected a torch.nn.{kind.__name__}, got {type(module).__name__}")
    if module.bidirectional or getattr(module, "proj_size", 0):
        raise ValueError("bidirectional and projected (proj_size) layers are not supported")


def lstm_gates(lstm: nn.LSTM, inputs: torch.Tensor | np.ndarray, layer: int = 0,
               h0: np.ndarray | None = None, c0: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run an nn.LSTM's weights over one sequence (T, D); gates of `layer` as {f, i, g, o, c, h: (T, H)}.

    Layers below `layer` are run first (their h is the next layer's input); h0, c0 (H,) apply to
    every layer (zeros by default). Works on a trained model on any device, in float64.
    """
    _check_module(lstm, nn.LSTM)
    if not 0 <= layer < lstm.num_layers:
        raise ValueError(f"layer must be in 0..{lstm.num_layers - 1}, got {layer}")
    x = _sequence(inputs, lstm.input_size)
    for k in range(layer + 1):
        gates = lstm_forward(x, lstm_weights(lstm, k), h0, c0)
        x = gates["h"]
    return gates


def gru_gates(gru: nn.GRU, inputs: torch.Tensor | np.ndarray, layer: int = 0,
              h0: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run an nn.GRU's weights over one sequence (T, D); gates of `layer` as {r, z, n, h: (T, H)}."""
    _check_module(gru, nn.GRU)
    if not 0 <= layer < gru.num_layers:
        raise ValueError(f"layer must be in 0..{gru.num_layers - 1}, got {layer}")
    x = _sequence(inputs, gru.input_size)
    for k in range(layer + 1):
        gates = gru_forward(x, gru_weights(gru, k), h0)
        x = gates["h"]
    return gates


def recurrent_param_count(cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                          bias: bool = True) -> int:
    """Parameters of torch's nn.RNN / nn.GRU / nn.LSTM by formula: per layer G·(H·D + H·H + 2H)."""
    if cell not in GATES_PER_CELL:
        raise ValueError(f"cell must be one of {sorted(GATES_PER_CELL)}, got {cell!r}")
    G, H, total = GATES_PER_CELL[cell], hidden_size, 0
    for k in range(num_layers):
        D = input_size if k == 0 else H
        total += G * (H * D + H * H + (2 * H if bias else 0))
    return total


def units_by_response(gates: dict[str, np.ndarray], key: str = "c", top: int | None = None) -> np.ndarray:
    """Unit indices sorted by how much gates[key] (T, H) moves over the sequence (max − min), most first;
    the first `top` of them when given."""
    values = np.asarray(gates[key], dtype=float)
    if values.ndim != 2:
        raise ValueError(f"gates[{key!r}] must have shape (steps, units), got {values.shape}")
    order = np.argsort(-(values.max(axis=0) - values.min(axis=0)), kind="stable")
    return order if top is None else order[:top]
