"""The representative live widget timed by widget_latency.py (in this process and in a lab kernel)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from course_utils.widgets import LiveFigure


def representative_live() -> LiveFigure:
    """A live_figure like the course's: a 32-unit tanh RNN run 40 steps at the slider's spectral
    radius; the callback updates a heatmap of h_t and a line of ‖h_t‖ in place."""
    import ipywidgets as widgets
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from course_utils.widgets import live_figure

    rng = np.random.default_rng(0)
    w = rng.normal(size=(32, 32))
    w /= np.abs(np.linalg.eigvals(w)).max()
    x = rng.normal(size=(40, 32)) * 0.5

    def compute(radius: float) -> dict:
        h, states = np.zeros(32), []
        for x_t in x:
            h = np.tanh(radius * w @ h + x_t)
            states.append(h)
        hs = np.array(states)
        return {0: {"z": hs.T}, 1: {"y": np.linalg.norm(hs, axis=1)}}

    fig = make_subplots(rows=1, cols=2, subplot_titles=["h_t", "‖h_t‖"])
    fig.add_trace(go.Heatmap(z=np.zeros((32, 40)).tolist(), zmin=-1, zmax=1, colorscale="RdBu_r"), 1, 1)
    fig.add_trace(go.Scatter(y=[0.0] * 40, mode="lines"), 1, 2)
    slider = widgets.FloatSlider(value=0.5, min=0.1, max=2.0, step=0.01, description="radius")
    return live_figure(fig, {"radius": slider}, compute)


def radius_explorer_04() -> LiveFigure:
    """Notebook 04's live widget (ρ and input-drive sliders, tanh / linear / relu toggle) on a random 16-unit W and 50 steps."""
    from course_utils.gradient_widgets import radius_explorer

    rng = np.random.default_rng(0)
    return radius_explorer(rng.normal(0, 0.25, (16, 16)), rng.normal(0, 1, (50, 16)))
