"""Widgets of notebook 04: the gradient's norm against distance, live (kernel) beside the (ρ, σ) phase diagram of
the per-step growth factor, and as client-side frames."""

from __future__ import annotations

from typing import Sequence

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .gradient_flow import ACTIVATIONS, hidden_states, jacobian_norms, with_spectral_radius
from .widgets import LiveFigure, Scrubber, curve_scrubber, live_figure

FLOOR = 1e-300  # a norm of exactly 0 (every ReLU unit off) is drawn at the floor of the log axis


def norm_curve(W_unit: np.ndarray, drive: np.ndarray, rho: float, activation: str,
               drive_std: float = 1.0) -> dict[str, np.ndarray]:
    """For W_hh = W_unit rescaled to spectral radius rho and the input drive `drive` × drive_std:
    ‖∂h_T/∂h_{T-d}‖ (T+1,), the bound ‖W_hh‖₂^d and ρ^d."""
    if not 0 < rho <= 10:
        raise ValueError(f"the spectral radius must lie in (0, 10], got {rho}")
    if not 0 <= drive_std <= 10:
        raise ValueError(f"the input drive's standard deviation must lie in [0, 10], got {drive_std}")
    W_hh = with_spectral_radius(W_unit, rho)
    norms = jacobian_norms(W_hh, hidden_states(W_hh, drive_std * np.asarray(drive), activation), activation)
    d = np.arange(len(norms))
    return {"norm": np.maximum(norms, FLOOR), "bound": np.linalg.norm(W_hh, 2) ** d, "rho^d": rho ** d}


def phase_traces(rhos: Sequence[float], sigmas: Sequence[float], factors: np.ndarray) -> list[go.BaseTraceType]:
    """The phase diagram: log₁₀ of the growth factors (len(rhos), len(sigmas)) as a heatmap centred on 1, and the
    factor = 1 contour (the edge of chaos)."""
    factors = np.asarray(factors, dtype=float)
    if factors.shape != (len(rhos), len(sigmas)) or not np.all(factors > 0):
        raise ValueError(f"factors must be positive with shape ({len(rhos)}, {len(sigmas)}), got {factors.shape}")
    z, ticks = np.log10(factors).T, np.array([0.5, 0.7, 1.0, 1.4, 2.0])
    top = float(np.abs(z).max())
    return [go.Heatmap(x=list(rhos), y=list(sigmas), z=z, colorscale="RdBu_r", zmin=-top, zmax=top,
                       colorbar=dict(title="factor", tickvals=np.log10(ticks), ticktext=[f"{t:g}" for t in ticks],
                                     x=1.02, len=0.9), name="log₁₀ factor", hovertemplate="ρ %{x}, σ %{y}<extra></extra>"),
            go.Contour(x=list(rhos), y=list(sigmas), z=z, showscale=False, name="factor = 1: the edge of chaos",
                       contours=dict(start=0, end=0, size=1, coloring="lines"), line=dict(color="black", width=3),
                       hoverinfo="skip", showlegend=True)]


def radius_explorer(W_unit: np.ndarray, noise: np.ndarray, rho: float = 0.9, drive_std: float = 0.5,
                    phase: dict | None = None) -> LiveFigure:
    """A ρ slider, an input-drive slider (u_t = σ · noise_t) and a tanh / linear / relu toggle driving the
    curve of ‖∂h_T/∂h_{T-d}‖ against d; with phase = {"rhos", "sigmas", "factors"}, a marker at (ρ, σ) on the
    phase diagram beside it follows the sliders."""
    d = np.arange(len(noise) + 1)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.1,
                        subplot_titles=("‖∂h_T/∂h_(T−d)‖ against d", "per-step growth factor (tanh) over (ρ, σ)"))
    fig.add_traces([go.Scatter(x=d, y=np.ones(len(d)), mode="lines+markers", name="‖∂h_T/∂h_(T−d)‖"),
                    go.Scatter(x=d, y=np.ones(len(d)), mode="lines", name="ρ^d", line=dict(dash="dash")),
                    go.Scatter(x=[0, d[-1]], y=[1e-3, 1e-3], mode="lines", name="1e-3",
                               line=dict(color="black", width=1))], rows=1, cols=1)
    if phase is not None:
        fig.add_traces(phase_traces(phase["rhos"], phase["sigmas"], phase["factors"]), rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[rho], y=[drive_std], mode="markers", name="the sliders' (ρ, σ)",   # last: on top
                             marker=dict(symbol="x", size=14, color="black", line=dict(width=2))), row=1, col=2)
    marker = len(fig.data) - 1
    fig.update_layout(title="Drag ρ and the input drive σ: linear follows ρ^d; tanh and ReLU also depend on the drive",
                      height=460, margin=dict(l=60, r=20, t=80, b=50), legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(title_text="distance d = T − k (steps back)", row=1, col=1)
    fig.update_yaxes(title_text="norm (log scale)", type="log", range=[-20, 12], row=1, col=1)
    fig.update_xaxes(title_text="spectral radius ρ", range=[0.3, 3.0], row=1, col=2)
    fig.update_yaxes(title_text="input drive σ", range=[0.0, 1.5], row=1, col=2)
    controls = {"rho": widgets.FloatSlider(value=rho, min=0.3, max=3.0, step=0.05, description="ρ",
                                           continuous_update=True),
                "drive_std": widgets.FloatSlider(value=drive_std, min=0.0, max=1.5, step=0.05, description="input σ",
                                                 continuous_update=True),
                "activation": widgets.ToggleButtons(options=list(ACTIVATIONS), value="tanh", description="φ")}

    def compute(rho: float, drive_std: float, activation: str) -> dict:
        curve = norm_curve(W_unit, noise, rho, activation, drive_std)
        return {0: {"y": curve["norm"]}, 1: {"y": curve["rho^d"]}, marker: {"x": [rho], "y": [drive_std]}}

    return live_figure(fig, controls, compute)


def radius_frames(W_unit: np.ndarray, drive: np.ndarray, radii: Sequence[float], drive_std: float = 1.0) -> Scrubber:
    """The same curves precomputed for every ρ in radii (input drive `drive` × drive_std), with tanh, linear
    and ReLU side by side: a client-side scrubber over ρ (no kernel: works in a static export)."""
    frames = [{activation: norm_curve(W_unit, drive, rho, activation, drive_std)["norm"] for activation in ACTIVATIONS}
              for rho in radii]
    return curve_scrubber(np.arange(len(drive) + 1), frames, [f"{rho:g}" for rho in radii],
                          "Scrub ρ (no kernel needed): the three activations at the same ρ",
                          "distance d = T − k (steps back)", "‖∂h_T/∂h_(T−d)‖", prefix="ρ = ", log_y=True)
