"""The unrolled picture of an RNN drawn from a model's actual input and output shapes (notebook 07)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import plotly.graph_objects as go

from .plots import role_color

ROWS = {"input": 0.0, "hidden": 1.0, "output": 2.0}


@dataclass(frozen=True)
class Unrolled:
    """Which columns of the unrolled picture get an input, an output, and a recurrent arrow in."""

    name: str
    inputs: list[int]
    outputs: list[int]
    columns: int
    recurrent: bool
    split: int | None = None      # first decoder column of an encoder-decoder


def unrolled_layout(in_shape: Sequence[int], out_shape: Sequence[int], encoder_decoder: bool = False) -> Unrolled:
    """The shape name and unrolled columns from batch-first shapes: (N, D) or (N, T, D) in, (N, C) or (N, T, C) out."""
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if len(in_shape) not in (2, 3) or len(out_shape) not in (2, 3):
        raise ValueError(f"shapes must be (N, features) or (N, steps, features), got {in_shape} and {out_shape}")
    if len(in_shape) == 2 and len(out_shape) == 2:
        return Unrolled("one-to-one", [0], [0], 1, False)
    if len(in_shape) == 2:
        T = out_shape[1]
        return Unrolled("one-to-many", [0], list(range(T)), T, True)
    T = in_shape[1]
    if len(out_shape) == 2:
        return Unrolled("many-to-one", list(range(T)), [T - 1], T, True)
    if not encoder_decoder:
        if out_shape[1] != T:
            raise ValueError(f"an aligned many-to-many has one output per input step: {in_shape} vs {out_shape}")
        return Unrolled("many-to-many (aligned)", list(range(T)), list(range(T)), T, True)
    T_out = out_shape[1]
    return Unrolled("many-to-many (encoder-decoder)", list(range(T)), list(range(T, T + T_out)), T + T_out, True, T)


def _box(fig: go.Figure, x: float, role: str, text: str) -> None:
    """A coloured box with a label at column x in the row of `role`."""
    y = ROWS[role]
    fig.add_shape(type="rect", x0=x - 0.3, x1=x + 0.3, y0=y - 0.25, y1=y + 0.25, line=dict(color=role_color(role)),
                  fillcolor=role_color(role), opacity=0.25)
    fig.add_annotation(x=x, y=y, text=text, showarrow=False, font=dict(size=11))


def _arrow(fig: go.Figure, start: tuple[float, float], end: tuple[float, float], color: str = "#555") -> None:
    """An arrow from start to end (data coordinates)."""
    fig.add_annotation(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y", axref="x", ayref="y",
                       showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=color, text="")


def unrolled_diagram(in_shape: Sequence[int], out_shape: Sequence[int], encoder_decoder: bool = False,
                     title: str | None = None) -> go.Figure:
    """The unrolled picture: one column per step, inputs x_t (bottom), states h_t, outputs y_t (top),
    drawn for the model's batch-first input and output shapes."""
    u = unrolled_layout(in_shape, out_shape, encoder_decoder)
    D, C = in_shape[-1], out_shape[-1]
    fig = go.Figure()
    for t in range(u.columns):
        state = "h" if u.recurrent else "hidden"
        _box(fig, t, "hidden", f"{state}<sub>{t}</sub>" if u.recurrent else state)
        if t in u.inputs:
            _box(fig, t, "input", f"x<sub>{t}</sub> ∈ ℝ<sup>{D}</sup>")
            _arrow(fig, (t, 0.25), (t, 0.75), role_color("input"))
        if t in u.outputs:
            k = t - (u.split or 0)
            _box(fig, t, "output", f"y<sub>{k}</sub> ∈ ℝ<sup>{C}</sup>")
            _arrow(fig, (t, 1.25), (t, 1.75), role_color("output"))
        if u.recurrent and t > 0:
            _arrow(fig, (t - 0.7, 1.0), (t - 0.3, 1.0), role_color("hidden"))
    if u.split is not None:
        fig.add_vline(x=u.split - 0.5, line_dash="dot", line_color="#888")
        fig.add_annotation(x=(u.split - 1) / 2, y=2.0, text="encoder: reads, writes nothing", showarrow=False)
        fig.add_annotation(x=(u.split + u.columns - 1) / 2, y=0.0, text="decoder: writes, reads nothing",
                           showarrow=False)
        fig.add_annotation(x=u.split - 0.5, y=-0.55, text="h<sub>T</sub>: the whole input in one vector",
                           showarrow=False, font=dict(size=11))
    caption = f"input {tuple(in_shape)} → output {tuple(out_shape)}"
    fig.update_layout(title=title or f"{u.name}: {caption}", height=300, showlegend=False, plot_bgcolor="white",
                      margin=dict(l=70, r=20, t=60, b=30))
    fig.update_xaxes(range=[-0.7, max(u.columns, 2) - 0.3], tickvals=list(range(u.columns)), title="step",
                     showgrid=False, zeroline=False)
    fig.update_yaxes(range=[-0.8, 2.5], tickvals=list(ROWS.values()), ticktext=["input x", "state h", "output y"],
                     showgrid=False, zeroline=False)
    return fig
