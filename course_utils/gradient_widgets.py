"""Widgets of notebook 04: the gradient's norm against distance, live (kernel) and as client-side frames."""

from __future__ import annotations

from typing import Sequence

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

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


def radius_explorer(W_unit: np.ndarray, noise: np.ndarray, rho: float = 0.9, drive_std: float = 0.5) -> LiveFigure:
    """A ρ slider, an input-drive slider (u_t = σ · noise_t) and a tanh / linear / relu toggle driving the
    curve of ‖∂h_T/∂h_{T-d}‖ against d."""
    d = np.arange(len(noise) + 1)
    fig = go.Figure([go.Scatter(x=d, y=np.ones(len(d)), mode="lines+markers", name="‖∂h_T/∂h_(T−d)‖"),
                     go.Scatter(x=d, y=np.ones(len(d)), mode="lines", name="ρ^d", line=dict(dash="dash")),
                     go.Scatter(x=[0, d[-1]], y=[1e-3, 1e-3], mode="lines", name="1e-3",
                                line=dict(color="black", width=1))])
    fig.update_layout(title="Drag ρ and the input drive σ: linear follows ρ^d; tanh and ReLU also depend on the drive",
                      xaxis_title="distance d = T − k (steps back)", yaxis_title="norm (log scale)",
                      yaxis=dict(type="log", range=[-20, 12]), height=420, margin=dict(l=60, r=20, t=60, b=50))
    controls = {"rho": widgets.FloatSlider(value=rho, min=0.3, max=1.6, step=0.05, description="ρ",
                                           continuous_update=True),
                "drive_std": widgets.FloatSlider(value=drive_std, min=0.0, max=1.5, step=0.05, description="input σ",
                                                 continuous_update=True),
                "activation": widgets.ToggleButtons(options=list(ACTIVATIONS), value="tanh", description="φ")}

    def compute(rho: float, drive_std: float, activation: str) -> dict:
        curve = norm_curve(W_unit, noise, rho, activation, drive_std)
        return {0: {"y": curve["norm"]}, 1: {"y": curve["rho^d"]}}

    return live_figure(fig, controls, compute)


def radius_frames(W_unit: np.ndarray, drive: np.ndarray, radii: Sequence[float], drive_std: float = 1.0) -> Scrubber:
    """The same curves precomputed for every ρ in radii (input drive `drive` × drive_std), with tanh, linear
    and ReLU side by side: a client-side scrubber over ρ (no kernel: works in a static export)."""
    frames = [{activation: norm_curve(W_unit, drive, rho, activation, drive_std)["norm"] for activation in ACTIVATIONS}
              for rho in radii]
    return curve_scrubber(np.arange(len(drive) + 1), frames, [f"{rho:g}" for rho in radii],
                          "Scrub ρ (no kernel needed): the three activations at the same ρ",
                          "distance d = T − k (steps back)", "‖∂h_T/∂h_(T−d)‖", prefix="ρ = ", log_y=True)
