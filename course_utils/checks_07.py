"""Self-checks for notebook 07 (RNN shapes and bidirectional RNNs): a ✔ or a ✘ with a hint, never a traceback."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .checks import CheckResult, not_attempted, check_array, failed, passed, self_check

# Exercise 1: the configuration whose shapes the learner predicts.
SHAPE_CONFIG = dict(input_size=5, hidden_size=7, num_layers=2, bidirectional=True, batch_first=True)
SHAPE_BATCH, SHAPE_STEPS = 3, 11


def expected_shapes() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(output.shape, h_n.shape) of nn.GRU(**SHAPE_CONFIG) on x of shape (SHAPE_BATCH, SHAPE_STEPS, 5)."""
    H, L = SHAPE_CONFIG["hidden_size"], SHAPE_CONFIG["num_layers"]
    return (SHAPE_BATCH, SHAPE_STEPS, 2 * H), (2 * L, SHAPE_BATCH, H)


def _as_shape(answer: object, name: str) -> tuple[int, ...] | CheckResult:
    """The answer as a tuple of ints, or a ✘ saying what is wrong with it."""
    if answer is None:
        return not_attempted(f"{name} is None: not attempted yet? Write it as a tuple, e.g. (2, 3, 4).")
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return failed(f"{name} should be a tuple of whole numbers like (2, 3, 4), got {type(answer).__name__}.")
    items = list(answer)  # type: ignore[arg-type]
    if not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in items):
        return failed(f"{name} should hold whole numbers only, got {answer!r}.")
    return tuple(int(k) for k in items)


def _output_hint(shape: tuple[int, ...]) -> str:
    """What is wrong with a predicted output shape."""
    B, T, H = SHAPE_BATCH, SHAPE_STEPS, SHAPE_CONFIG["hidden_size"]
    hints = {(T, B, 2 * H): "batch_first=True puts the batch first: output is (batch, steps, features).",
             (B, T, H): "bidirectional: each step's output concatenates the forward and backward h, so 2·H features.",
             (B, T, 4 * H): "output holds the top layer only (both directions): 2·H features, whatever num_layers is.",
             (2 * 2, B, H): "that is h_n's shape; output has one row per step: (batch, steps, 2·H)."}
    return hints.get(shape, "output is (batch, steps, num_directions·H) with batch_first=True.")


def _h_n_hint(shape: tuple[int, ...]) -> str:
    """What is wrong with a predicted h_n shape."""
    B, H, L = SHAPE_BATCH, SHAPE_CONFIG["hidden_size"], SHAPE_CONFIG["num_layers"]
    hints = {(B, 2 * L, H): "h_n is never batch-first: it is (layers·directions, batch, H) even with batch_first=True.",
             (L, B, H): "h_n has one row per layer AND direction: num_layers·2 rows.",
             (2, B, H): "h_n has one row per layer AND direction: num_layers·2 rows.",
             (2 * L, B, 2 * H): "each row of h_n is one direction of one layer: H numbers, not 2·H.",
             (L, B, 2 * H): "h_n keeps the directions as separate rows: (layers·2, batch, H).",
             (SHAPE_BATCH, SHAPE_STEPS, 2 * H): "that is output's shape; h_n holds only the final states."}
    return hints.get(shape, "h_n is (num_layers·num_directions, batch, H).")


@self_check
def check_gru_shapes(output_shape: object, h_n_shape: object) -> CheckResult:
    """Are (output_shape, h_n_shape) those of nn.GRU(**SHAPE_CONFIG) on a (3, 11, 5) batch?"""
    out = _as_shape(output_shape, "output_shape")
    h_n = _as_shape(h_n_shape, "h_n_shape")
    for answer in (out, h_n):
        if isinstance(answer, CheckResult):
            return answer
    expected_out, expected_h_n = expected_shapes()
    if out != expected_out:
        return failed(f"output_shape {out}: {_output_hint(out)}")
    if h_n != expected_h_n:
        return failed(f"h_n_shape {h_n}: {_h_n_hint(h_n)}")
    return passed(f"output {out}, h_n {h_n}: both right.")


def final_states(output: torch.Tensor, hidden_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Reference: each direction's final state from a 1-layer bidirectional batch-first output (B, T, 2H)."""
    return output[:, -1, :hidden_size], output[:, 0, hidden_size:]


def _final_state_probes() -> list[tuple[torch.Tensor, int, torch.Tensor]]:
    """(output, H, h_n) of small bidirectional RNNs on random batches."""
    generator = torch.Generator().manual_seed(7)
    probes = []
    for batch, steps, H in ((2, 5, 3), (4, 7, 6)):
        rnn = nn.RNN(2, H, batch_first=True, bidirectional=True)
        with torch.no_grad():
            for p in rnn.parameters():
                p.copy_(torch.randn(p.shape, generator=generator) * 0.5)
            output, h_n = rnn(torch.randn(batch, steps, 2, generator=generator))
        probes.append((output, H, h_n))
    return probes


def _final_state_hint(answer: tuple, output: torch.Tensor, H: int) -> str | None:
    """A hint for a typical wrong pick of the final states, or None."""
    forward, backward = (np.asarray(a.detach() if hasattr(a, "detach") else a, dtype=float) for a in answer)
    o = output.numpy()
    if backward.shape == o[:, -1, H:].shape and np.allclose(backward, o[:, -1, H:]):
        return "the backward direction reads the sequence from the end: it FINISHES at step 0, so use output[:, 0, H:]."
    if forward.shape == o[:, -1, H:].shape and np.allclose(forward, o[:, -1, H:]):
        return "the halves are swapped: the forward direction is the FIRST H features, the backward the last H."
    if forward.shape == o[:, -1].shape and np.allclose(forward, o[:, -1]):
        return "output[:, -1] holds both directions (2·H features); split the last axis into [:H] and [H:]."
    return None


@self_check
def check_final_states(function: object) -> CheckResult:
    """Does function(output, H) return (forward final state, backward final state), equal to h_n[0], h_n[1]?"""
    if not callable(function):
        return failed(f"pass your function itself, e.g. check_final_states(my_final_states), not {type(function).__name__}.")
    for output, H, h_n in _final_state_probes():
        try:
            answer = function(output.clone(), H)
        except NotImplementedError:
            return not_attempted("final_states is not written yet (it raises NotImplementedError).")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return failed("return two tensors: (forward_final, backward_final), each of shape (batch, H).")
        hint = _final_state_hint(answer, output, H)
        if hint:
            return failed(hint)
        for part, expected, name in zip(answer, (h_n[0], h_n[1]), ("forward_final", "backward_final")):
            result = check_array(part, expected.numpy(), name, atol=1e-6)
            if not result:
                return result
    return passed("both final states equal h_n[0] (forward) and h_n[1] (backward).")


def rnn_param_count(D: int, H: int, num_layers: int = 1, bidirectional: bool = False) -> int:
    """Reference: parameters of nn.RNN(D, H, num_layers, bidirectional=...), two bias vectors per layer."""
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        D_in = D if layer == 0 else directions * H
        total += directions * (H * D_in + H * H + 2 * H)
    return total


PARAM_PROBES = [(3, 4, 1, False), (2, 8, 1, True), (3, 5, 2, True), (4, 6, 2, False), (1, 3, 3, True)]


@self_check
def check_param_count(function: object) -> CheckResult:
    """Does function(D, H, num_layers, bidirectional) count nn.RNN's parameters on PARAM_PROBES?"""
    if not callable(function):
        return failed(f"pass your function itself, e.g. check_param_count(my_count), not {type(function).__name__}.")
    for D, H, L, bi in PARAM_PROBES:
        try:
            answer = function(D, H, L, bi)
        except NotImplementedError:
            return not_attempted("param_count is not written yet (it raises NotImplementedError).")
        if isinstance(answer, torch.Tensor) and answer.numel() == 1:
            answer = answer.item()
        if isinstance(answer, (float, np.floating)):
            return failed(f"return a whole number (an int), got the float {answer!r}: a count of parameters has no "
                          "fractional part; use // for division, or wrap the result in int(...).")
        if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
            return failed(f"return a whole number, got {type(answer).__name__}.")
        expected = rnn_param_count(D, H, L, bi)
        if answer != expected:
            return failed(f"for D={D}, H={H}, num_layers={L}, bidirectional={bi}: {answer} ≠ {expected}. "
                          + _param_hint(answer, D, H, L, bi))
    return passed(f"your count matches nn.RNN on {len(PARAM_PROBES)} configurations.")


def _param_hint(answer: float, D: int, H: int, L: int, bi: bool) -> str:
    """What a typical wrong count forgot."""
    dirs = 2 if bi else 1
    one_bias = sum(dirs * (H * (D if k == 0 else dirs * H) + H * H + H) for k in range(L))
    layer_input_H = sum(dirs * (H * (D if k == 0 else H) + H * H + 2 * H) for k in range(L))
    if answer == one_bias:
        return "torch keeps two bias vectors per layer and direction (b_ih and b_hh): 2·H, not H."
    if answer == layer_input_H and bi and L > 1:
        return "a layer above the first reads BOTH directions of the layer below: its input size is 2·H."
    if bi and answer == rnn_param_count(D, H, L, False):
        return "a bidirectional layer has two independent sets of weights, one per direction."
    return "per layer and direction: H·D_in + H·H + 2·H, with D_in = D for layer 0 and directions·H above."
