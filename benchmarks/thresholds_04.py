"""The per-seed quantities behind notebook 04's asserts, measured over many values of UNROLLED_SEED (each cell's
draws rebuilt exactly as the notebook builds them), and the distribution of ρ for torch's default nn.RNN(4, 16).
Writes course_utils/data/thresholds_04.json: for each quantity n, min, the 1e-4 / 1e-3 quantiles, median and max,
so that each of the notebook's thresholds can be read against its tail (every seed's value goes to
benchmarks/results/thresholds_04_per_seed.json, not shipped).

Run: nice -n 10 .venv/bin/python benchmarks/thresholds_04.py [--seeds 1000] [--radius-draws 100000]
     --add-only additions|horizons_of_20 measures only those quantities and merges them into the existing ledger.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from course_utils.gradient_flow import (edge_of_chaos, hidden_states, horizon, jacobian_norms,  # noqa: E402
                                        phase_grid, with_spectral_radius)
from course_utils.gradient_widgets import norm_curve  # noqa: E402
from course_utils.lstm import lstm_gates  # noqa: E402
from course_utils.memory_task import RecallNet, recall_data  # noqa: E402
from course_utils.numpy_rnn import init_params  # noqa: E402

OUT = Path(__file__).parents[1] / "course_utils" / "data" / "thresholds_04.json"          # the summaries (shipped)
PER_SEED = Path(__file__).parent / "results" / "thresholds_04_per_seed.json"           # every seed's values
H, RHOS, T_LONG = 16, (0.5, 0.8, 0.9, 1.0, 1.1, 1.5), 60
RHO_MAP = np.round(np.arange(0.5, 3.01, 0.1), 2)


def sections_2(seed: int) -> dict:
    """§2: the order of the product, the per-step factors, ReLU (cells of 'The product of Jacobians')."""
    rng = np.random.default_rng(seed)
    W_hh = init_params(H, H, 1, scale=0.9, seed=seed)["W_hh"]
    u = rng.normal(0, 0.5, (30, H))
    h = hidden_states(W_hh, u)
    J, wrong = np.eye(H), np.eye(H)
    for j in range(30, 0, -1):
        J = J @ np.diag(1 - h[j] ** 2) @ W_hh
    for j in range(1, 31):
        wrong = wrong @ np.diag(1 - h[j] ** 2) @ W_hh
    W_unit, drive = rng.normal(0, 1 / np.sqrt(H), (H, H)), rng.normal(0, 0.5, (T_LONG, H))
    d, rate, last = np.arange(1, T_LONG + 1), {}, {}
    for act in ("tanh", "linear"):
        for rho in RHOS:
            W = with_spectral_radius(W_unit, rho)
            c = jacobian_norms(W, hidden_states(W, drive, act), act)
            rate[act, rho], last[act, rho] = float(np.exp(np.polyfit(d, np.log(c[1:]), 1)[0])), c[-1]
    W_pos, drive_pos = with_spectral_radius(np.abs(W_unit), 1.1), np.abs(drive) + 0.1
    rng_relu, vanished = np.random.default_rng(seed + 4), 0
    for _ in range(20):
        W = with_spectral_radius(rng_relu.normal(0, 1 / np.sqrt(H), (H, H)), 1.1)
        vanished += jacobian_norms(W, hidden_states(W, rng_relu.normal(0, 0.5, (T_LONG, H)), "relu"), "relu")[-1] < 1e-2
    tanh_rates = [rate["tanh", rho] for rho in RHOS]
    return {"order_gap": np.abs(wrong - J).max() / np.abs(J).max(),
            "max_rate_below_1": max(rate[a, r] for a in ("tanh", "linear") for r in RHOS if r < 1),
            "linear_rate_off": max(abs(rate["linear", r] / r - 1) for r in RHOS),
            "tanh_minus_linear_max": max(rate["tanh", r] - rate["linear", r] for r in RHOS),
            "linear_last_min_rho_above_1": min(last["linear", r] for r in RHOS if r > 1),
            "tanh_rate_1.1": rate["tanh", 1.1], "tanh_rate_rise_min": float(np.min(np.diff(tanh_rates))),
            "tanh_rate_1.1_over_0.5": rate["tanh", 1.1] / rate["tanh", 0.5],
            "tanh_rate_1.5_over_0.9": rate["tanh", 1.5] / rate["tanh", 0.9],
            "relu_all_on_last": jacobian_norms(W_pos, hidden_states(W_pos, drive_pos, "relu"), "relu")[-1],
            "relu_vanished_of_20": vanished, "W_unit": W_unit}


def section_3(seed: int, W_unit: np.ndarray) -> dict:
    """§3: the widget's curves, the phase diagram and the exploding tanh RNN."""
    W_widget = np.random.default_rng(seed + 1).normal(0, 1 / 4, (16, 16))
    noise = np.random.default_rng(seed + 2).normal(0, 1, (50, 16))
    weak = norm_curve(W_widget, noise, 0.9, "tanh", 0.05)
    C = weak["norm"][1:] / weak["rho^d"][1:]
    strong = {rho: horizon(norm_curve(W_widget, noise, rho, "tanh", 1.5)["norm"]) for rho in (0.3, 1.0, 1.6)}
    grid = np.median(phase_grid(RHO_MAP, (0.05, 0.5, 1.0), range(3 * seed, 3 * seed + 3)), axis=2)   # (ρ, σ)
    edges = [edge_of_chaos(RHO_MAP, grid[:, j]) for j in range(3)]
    coarse = grid[::5]                                                   # ρ = 0.5, 1.0, …, 3.0
    rng, growth = np.random.default_rng(seed + 6), []
    for _ in range(7):                                                   # 7 draws at ρ = 3, σ = 0.05
        W_chaos = with_spectral_radius(rng.normal(0, 1 / np.sqrt(64), (64, 64)), 3.0)
        u_chaos, readout = 0.05 * rng.normal(0, 1, (100, 64)), rng.normal(0, 1, 64)
        grads = {}
        for T_ in (25, 100):
            W_t, h_t = torch.tensor(W_chaos, requires_grad=True), torch.zeros(64, dtype=torch.float64)
            for u_t in torch.tensor(u_chaos[:T_]):
                h_t = torch.tanh(W_t @ h_t + u_t)
            (torch.tensor(readout) @ h_t).backward()
            grads[T_] = W_t.grad.norm().item()
        growth.append(grads[100] / grads[25])
    return {"weak_C_min": float(C.min()), "weak_C_max": float(C.max()),
            "strong_horizon_0.3": strong[0.3], "strong_horizon_1.0": strong[1.0], "strong_horizon_1.6": strong[1.6],
            "edge_sigma_0.05": edges[0], "edge_sigma_0.5": edges[1], "edge_sigma_1": edges[2],
            "edge_gap_0.5_minus_0.05": edges[1] - edges[0], "edge_gap_1_minus_0.5": edges[2] - edges[1],
            "grid_rise_min_sigma_0.5_1": float(np.diff(grid[:, 1:], axis=0).min()),
            "coarse_rise_min_sigma_0.5_1": float(np.diff(coarse[:, 1:], axis=0).min()),
            "coarse_rise_min_sigma_0.05": float(np.diff(coarse[:, 0]).min()),
            "factor_1_0.05": float(grid[5, 0]), "factor_3_1": float(grid[-1, 2]),
            "chaos_growth_median_of_7": float(np.median(growth)), "chaos_growth_single_min": float(min(growth))}


def section_4(seed: int, W_unit: np.ndarray) -> dict:
    """§4: the horizons of the linear and tanh RNN, and the weak-drive horizon at ρ = 1.2 over 20 draws."""
    grid = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0, 1.2, 1.5)
    noise = np.random.default_rng(seed + 3).normal(0, 1, (300, H))
    hz = {}
    for rho in grid:
        W = with_spectral_radius(W_unit, rho)
        for s in (0.1, 1.0):
            hz[s, rho] = horizon(jacobian_norms(W, hidden_states(W, s * noise)), 1e-3)
        hz["lin", rho] = horizon(jacobian_norms(W, hidden_states(W, noise, "linear"), "linear"), 1e-3)
    lin = [hz["lin", r] for r in grid if np.isfinite(hz["lin", r])]
    excess = [hz["lin", r] * -np.log(r) - np.log(1e3) for r in grid if np.isfinite(hz["lin", r])]
    rng, never = np.random.default_rng(seed + 5), 0
    for _ in range(20):
        W = with_spectral_radius(rng.normal(0, 1 / np.sqrt(H), (H, H)), 1.2)
        never += horizon(jacobian_norms(W, hidden_states(W, 0.1 * rng.normal(0, 1, (300, H))))) == np.inf
    return {"linear_spread": max(lin) / min(lin), "linear_horizon_0.2": hz["lin", 0.2],
            "linear_excess_min": min(excess), "linear_excess_max": max(excess),
            "drive_effect": hz[0.1, 1.0] / hz[1.0, 1.0], "rho_effect_sigma_1": hz[1.0, 1.2] / hz[1.0, 0.9],
            "tanh_sigma_1_all_finite": float(all(np.isfinite(hz[1.0, r]) for r in grid)),
            "never_of_20_at_rho_1.2_sigma_0.1": never}


def section_5(seed: int) -> dict:
    """§5: one batch of torch's default RNN at lag 20 (the distances inside ∂L/∂W_hh, Adam's first step), ρ of
    the default init, and the LSTM's forget path at initialisation."""
    torch.manual_seed(seed)
    probe = RecallNet("rnn", 16)
    x_b, y_b = recall_data(128, 20, "discrete", seed=seed)
    W_ih, W_hh = probe.rnn.weight_ih_l0, probe.rnn.weight_hh_l0
    b_h = probe.rnn.bias_ih_l0 + probe.rnn.bias_hh_l0
    hs = [torch.zeros(128, 16)]
    for k in range(x_b.shape[1]):
        hs.append(torch.tanh(x_b[:, k] @ W_ih.T + hs[-1] @ W_hh.T + b_h))
        hs[-1].retain_grad()
    nn.functional.cross_entropy(probe.readout(hs[-1]), y_b).backward()
    terms = torch.stack([((1 - hs[k] ** 2) * hs[k].grad).T @ hs[k - 1] for k in range(1, len(hs))]).detach()
    T = len(hs) - 1
    distance = T - torch.arange(1, T + 1)                           # term k sits at distance T − k
    far_share = (terms[distance >= 10].sum(0).norm() / terms.sum(0).norm()).item()
    norms = terms.flatten(1).norm(dim=1)
    bit_grad = W_ih.grad[:, :2].abs().median().item()
    bit_share = (W_ih.grad[:, :2].abs().max() / W_ih.grad[:, 2:].abs().max()).item()
    before = W_ih.detach().clone()
    torch.optim.Adam(probe.parameters(), lr=1e-2).step()
    adam = ((W_ih.detach() - before)[:, :2].abs().median() / 1e-2).item()
    torch.manual_seed(seed)
    rho_default = float(np.max(np.abs(np.linalg.eigvals(nn.RNN(4, 16).weight_hh_l0.detach().double().numpy()))))
    x_seq = recall_data(1, 20, "discrete", seed=seed + 7)[0][0]
    paths = {}
    for name, options in (("+1", {"forget_bias": 1.0}), ("+3", {"forget_bias": 3.0}), ("chrono", {"chrono_t_max": 21})):
        torch.manual_seed(seed)
        f = lstm_gates(RecallNet("lstm", 16, **options).rnn, x_seq)["f"]
        paths[name] = float(np.exp(np.log(f[::-1][:20]).sum(0).mean()))
    return {"far_share_d_ge_10": far_share, "term_2_over_last": (norms[1] / norms[-1]).item(), "bit_share": bit_share,
            "adam_over_sgd_bit_step": adam / bit_grad, "rho_default_seed": rho_default,
            "forget_path_+1": paths["+1"], "forget_path_+3": paths["+3"], "forget_path_chrono": paths["chrono"]}


def additions(seed: int) -> dict:
    """Quantities added after the review: the weak-drive plateau of the map, the 16-unit map's edges against the
    64-unit map's, the strong-drive horizons of the widget and of §4, ρ of the default init at larger H, Adam on noise."""
    sigmas, rho_flat = (0.05, 0.5, 1.0), [list(RHO_MAP).index(r) for r in (1.0, 1.1, 1.2, 1.3, 1.4)]
    grid = np.median(phase_grid(RHO_MAP, sigmas, range(3 * seed, 3 * seed + 3)), axis=2)
    grid16 = np.median(phase_grid(RHO_MAP, sigmas, range(15 * seed, 15 * seed + 15), hidden=16), axis=2)
    e64, e16 = ([edge_of_chaos(RHO_MAP, g[:, j]) for j in range(3)] for g in (grid, grid16))
    W_widget = np.random.default_rng(seed + 1).normal(0, 1 / 4, (16, 16))
    noise = np.random.default_rng(seed + 2).normal(0, 1, (50, 16))
    strong = {rho: horizon(norm_curve(W_widget, noise, rho, "tanh", 1.5)["norm"]) for rho in (1.0, 1.6)}
    rng = np.random.default_rng(seed)
    rng.normal(0, 0.5, (30, H))
    W_unit, noise_long = rng.normal(0, 1 / np.sqrt(H), (H, H)), np.random.default_rng(seed + 3).normal(0, 1, (300, H))
    hz = {rho: horizon(jacobian_norms(W := with_spectral_radius(W_unit, rho), hidden_states(W, noise_long)), 1e-3)
          for rho in (0.9, 1.5)}
    return {"weak_plateau_min": float(grid[rho_flat, 0].min()), "weak_plateau_max": float(grid[rho_flat, 0].max()),
            **{f"edge16_sigma_{s}": e for s, e in zip(sigmas, e16)},
            **{f"edge16_minus_64_sigma_{s}": a - b for s, a, b in zip(sigmas, e16, e64)},
            "strong_horizon_1.6_minus_1.0": min(strong[1.6], 51) - strong[1.0],     # 51: not within the 50 steps
            "rho_effect_sigma_1_1.5": hz[1.5] / hz[0.9], **default_radius_medians(seed), **adam_on_noise(seed),
            **horizons_of_20(seed)}


def horizons_of_20(seed: int) -> dict:
    """The widget's horizon at σ = 1.5, median over 20 more 16-unit networks, at ρ = 1 and 1.6."""
    rng, found = np.random.default_rng(seed + 10), {1.0: [], 1.6: []}
    for _ in range(20):
        W, noise = rng.normal(0, 1 / 4, (16, 16)), rng.normal(0, 1, (50, 16))
        for rho in found:
            found[rho].append(horizon(norm_curve(W, noise, rho, "tanh", 1.5)["norm"]))
    typical = {rho: float(np.median(h)) for rho, h in found.items()}
    return {"strong_horizon_median_of_20_1.0": typical[1.0], "strong_horizon_median_of_20_1.6": typical[1.6],
            "strong_horizon_median_of_20_gap": typical[1.6] - typical[1.0]}


def default_radius_medians(seed: int) -> dict:
    """Median ρ of torch's default W_hh (entries U(−1/√H, 1/√H)) over 100 draws at H = 64 and 20 at H = 128."""
    rng = np.random.default_rng(seed + 8)
    return {f"rho_default_median_H{n}": float(np.median(np.abs(np.linalg.eigvals(
        rng.uniform(-1, 1, (draws, n, n)) / np.sqrt(n))).max(axis=1))) for n, draws in ((64, 100), (128, 20))}


def adam_on_noise(seed: int) -> dict:
    """Adam's step / lr after 500 steps: median over 2000 parameters of zero-mean N(0, 1) gradients."""
    g = np.random.default_rng(seed + 9).normal(0, 1, (500, 2000))
    m = v = np.zeros(2000)
    for k, g_k in enumerate(g, start=1):
        m, v = 0.9 * m + 0.1 * g_k, 0.999 * v + 0.001 * g_k ** 2
    step = np.abs(m / (1 - 0.9 ** 500)) / (np.sqrt(v / (1 - 0.999 ** 500)) + 1e-8)
    return {"adam_noise_median_step": float(np.median(step))}


def default_radius_draws(n: int) -> np.ndarray:
    """ρ of torch's default 16-unit nn.RNN W_hh (entries U(−1/4, 1/4)), n draws."""
    torch.manual_seed(12345)
    W = torch.empty(n, 16, 16, dtype=torch.float64).uniform_(-0.25, 0.25)
    return torch.linalg.eigvals(W).abs().max(dim=1).values.numpy()


def summary(values: list[float]) -> dict:
    """n, min, the 1e-4 / 1e-3 quantiles at both ends, median and max."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)] if v.dtype.kind == "f" else v
    q = np.quantile(v, [1e-4, 1e-3, 0.5, 1 - 1e-3, 1 - 1e-4])
    return {"n": int(len(values)), "finite": int(len(v)), "min": float(v.min()), "q1e-4": float(q[0]),
            "q1e-3": float(q[1]), "median": float(q[2]), "q999": float(q[3]), "q9999": float(q[4]), "max": float(v.max())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--radius-draws", type=int, default=100_000)
    parser.add_argument("--add-only", choices=("additions", "horizons_of_20"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    start, rows = time.time(), []
    if args.add_only:
        add_only(args.seeds, start, globals()[args.add_only])
        return
    for seed in range(args.seeds):
        two = sections_2(seed)
        W_unit = two.pop("W_unit")
        rows.append({**two, **section_3(seed, W_unit), **section_4(seed, W_unit), **section_5(seed), **additions(seed)})
        if seed % 50 == 0:
            print(f"seed {seed}: {time.time() - start:.0f} s", flush=True)
    radii = default_radius_draws(args.radius_draws)
    rng = np.random.default_rng(0)                      # the notebook's 1000 draws: their median and 99th percentile
    blocks = [rng.choice(radii, 1000) for _ in range(2000)]
    PER_SEED.parent.mkdir(exist_ok=True)
    PER_SEED.write_text(json.dumps({key: [row[key] for row in rows] for key in rows[0]}, default=float) + "\n")
    out = {"seeds": args.seeds, "quantities": {key: summary([row[key] for row in rows]) for key in rows[0]},
           "rho_default_draws": summary(list(radii)),
           "rho_default_median_of_1000": summary([float(np.median(b)) for b in blocks]),
           "rho_default_q99_of_1000": summary([float(np.quantile(b, 0.99)) for b in blocks]),
           "seconds": round(time.time() - start)}
    OUT.write_text(json.dumps(out, indent=1, default=float) + "\n")
    print(f"{args.seeds} seeds in {time.time() - start:.0f} s → {OUT}")


def add_only(seeds: int, start: float, measure=additions) -> None:
    """Measure the quantities of `measure` alone and merge them into the existing ledger and per-seed file."""
    rows = [measure(seed) for seed in range(seeds)]
    ledger, per_seed = json.loads(OUT.read_text()), json.loads(PER_SEED.read_text())
    ledger["quantities"].update({key: summary([row[key] for row in rows]) for key in rows[0]})
    per_seed.update({key: [row[key] for row in rows] for key in rows[0]})
    PER_SEED.write_text(json.dumps(per_seed, default=float) + "\n")
    OUT.write_text(json.dumps(ledger, indent=1, default=float) + "\n")
    print(f"{seeds} seeds (additions) in {time.time() - start:.0f} s → {OUT}")


if __name__ == "__main__":
    main()
