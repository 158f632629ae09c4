"""The course's palette and small figure helpers (one colour per role, everywhere)."""

from __future__ import annotations

import html
from typing import Iterable, Sequence

import numpy as np
import plotly.graph_objects as go

# Okabe & Ito's colour-blind-safe set (plus Tol's indigo and the old brown): every pair of roles that
# share a figure stays ΔE00 >= 10 apart for deuteranopes, protanopes and tritanopes (tests/test_colour_vision.py)
COLORS: dict[str, str] = {
    "input": "#0072b2",     # x_t (blue)
    "hidden": "#009e73",    # h_t (bluish green)
    "output": "#d55e00",    # y_t, predictions (vermillion)
    "target": "#333333",    # the truth (dark grey)
    "forget": "#cc79a7",    # f_t (reddish purple)
    "input_gate": "#56b4e9",  # i_t (sky blue)
    "candidate": "#e69f00",   # g_t (orange)
    "output_gate": "#882255",  # o_t (wine)
    "cell": "#8c564b",      # c_t (brown)
    "gradient": "#332288",  # deltas and gradients (indigo)
    "highlight": "#000000",  # the current step (an outline: shape, not hue, marks it)
    "forward": "#009e73",   # a bidirectional RNN's forward state (the usual h_t)
    "backward": "#e69f00",  # its backward state (orange)
}

HEATMAP_SCALE = "RdBu_r"  # negative blue, zero white, positive red
# the order in which figures without a role colour pick one: the course palette, not plotly's
PALETTE = [COLORS[role] for role in ("input", "output", "hidden", "forget", "candidate", "cell", "input_gate",
                                      "output_gate", "gradient", "target")]


def use_course_palette() -> None:
    """Make the course palette every plotly figure's default colour order, and make every log axis tick
    in powers of ten (10⁻⁶, not "1µ"): template "plotly+unrolled"."""
    import plotly.io as pio

    axis = {"exponentformat": "power"}
    pio.templates["unrolled"] = go.layout.Template(layout={"colorway": PALETTE, "xaxis": axis, "yaxis": axis})
    pio.templates.default = "plotly+unrolled"


def role_color(role: str) -> str:
    """Colour of a role (input, hidden, output, forget, ...); grey for unknown roles."""
    return COLORS.get(role, COLORS["target"])


def line_figure(x: Iterable[float], series: dict[str, Sequence[float]], title: str, x_title: str, y_title: str,
                log_y: bool = False) -> go.Figure:
    """A simple multi-line figure: one named line per series, same x for all; NaN or None is a gap. On a log
    axis, ticks read as powers of ten and values that underflowed to 0 are drawn at the smallest positive value."""
    values = {name: np.asarray(y, dtype=float) for name, y in series.items()}
    if log_y:
        values = log_floored(values)
    fig = go.Figure([go.Scatter(x=list(x), y=[None if np.isnan(v) else v for v in y.tolist()], mode="lines+markers",
                                name=name) for name, y in values.items()])
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=360,
                      margin=dict(l=60, r=20, t=60, b=50))
    if log_y:
        fig.update_yaxes(type="log", exponentformat="power")
    return fig


def log_floored(series: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each series with values <= 0 (underflow) raised to the smallest positive value of all series; NaN stays NaN."""
    positive = [y[y > 0] for y in series.values() if np.any(y > 0)]
    floor = min(float(p.min()) for p in positive) if positive else 1.0
    return {name: np.where((y > 0) | np.isnan(y), y, floor) for name, y in series.items()}


MAX_SHADE = 0.7  # colored_text's opacity at the largest |value|: #111 on it has contrast >= 5.5:1 (axe-core)


def colored_text(tokens: Sequence[str], values: Sequence[float], title: str = "") -> str:
    """HTML: each token on a background coloured by its value (blue < 0 < red, white = 0, symmetric
    range), the value in its tooltip: one unit's activation read over a passage (after LSTMVis)."""
    values = np.asarray(values, dtype=float)
    if values.shape != (len(tokens),) or not np.all(np.isfinite(values)):
        raise ValueError(f"need one finite value per token: {len(tokens)} tokens, values of shape {values.shape}")
    limit = float(np.abs(values).max()) or 1.0
    spans = []
    for token, value in zip(tokens, values):
        strength = MAX_SHADE * abs(value) / limit   # dark text stays >= 4.5:1 on the strongest shade
        rgb = (214, 39, 40) if value > 0 else (31, 119, 180)
        spans.append(f"<span title='{value:+.3f}' style='background:rgba({rgb[0]},{rgb[1]},{rgb[2]},{strength:.2f});"
                     f"color:#111;padding:2px 4px;margin:1px;border-radius:3px'>{html.escape(token)}</span>")
    head = f"<div style='font-weight:bold;margin-bottom:4px'>{html.escape(title)}</div>" if title else ""
    return f"<div style='line-height:2;font-family:sans-serif'>{head}{' '.join(spans)}</div>"
