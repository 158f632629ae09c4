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


def _box(shapes: list[dict], notes: list[dict], x: float, role: str, text: str) -> None:
    """A coloured box with a label at column x in the row of `role`."""
    y = ROWS[role]
    shapes.append(dict(type="rect", x0=x - 0.3, x1=x + 0.3, y0=y - 0.25, y1=y + 0.25, opacity=0.25,
                       line=dict(color=role_color(role)), fillcolor=role_color(role)))
    notes.append(dict(x=x, y=y, text=text, showarrow=False, font=dict(size=11)))


def _arrow(notes: list[dict], start: tuple[float, float], end: tuple[float, float], color: str) -> None:
    """An arrow from start to end (data coordinates)."""
    notes.append(dict(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y", axref="x", ayref="y",
                      showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=color, text=""))


def unrolled_diagram(in_shape: Sequence[int], out_shape: Sequence[int], encoder_decoder: bool = False,
                     title: str | None = None) -> go.Figure:
    """The unrolled picture: one column per step, inputs x_t (bottom), states h_t, outputs y_t (top),
    drawn for the model's batch-first input and output shapes."""
    u = unrolled_layout(in_shape, out_shape, encoder_decoder)
    D, C = in_shape[-1], out_shape[-1]
    shapes: list[dict] = []
    notes: list[dict] = []
    for t in range(u.columns):
        _box(shapes, notes, t, "hidden", f"h<sub>{t}</sub>" if u.recurrent else "hidden")
        if t in u.inputs:
            _box(shapes, notes, t, "input", "x" if len(u.inputs) == 1 else f"x<sub>{t}</sub>")
            _arrow(notes, (t, 0.25), (t, 0.75), role_color("input"))
        if t in u.outputs:
            _box(shapes, notes, t, "output", "y" if len(u.outputs) == 1 else f"y<sub>{t - (u.split or 0)}</sub>")
            _arrow(notes, (t, 1.25), (t, 1.75), role_color("output"))
        if u.recurrent and t > 0:
            _arrow(notes, (t - 0.7, 1.0), (t - 0.3, 1.0), role_color("hidden"))
    if u.split is not None:
        shapes.append(dict(type="line", x0=u.split - 0.5, x1=u.split - 0.5, y0=-0.4, y1=2.5,
                           line=dict(dash="dot", color="#888")))
        notes += [dict(x=(u.split - 1) / 2, y=2.0, text="encoder: reads, writes nothing", showarrow=False),
                  dict(x=(u.split + u.columns - 1) / 2, y=0.0, text="decoder: writes, reads nothing", showarrow=False),
                  dict(x=u.split - 0.5, y=-0.6, text="h<sub>T-1</sub>: the whole input in one vector",
                       showarrow=False, font=dict(size=11))]
    caption = f"input {tuple(in_shape)} → output {tuple(out_shape)}"
    fig = go.Figure()
    fig.update_layout(shapes=shapes, annotations=notes, title=title or f"{u.name}: {caption}", height=300,
                      showlegend=False, plot_bgcolor="white",
                      margin=dict(l=70, r=20, t=60, b=30))
    x_range = [-0.7, u.columns - 0.3] if u.columns > 2 else [-2.0, u.columns + 1.0]   # one column: centred
    fig.update_xaxes(range=x_range, tickvals=list(range(u.columns)), title="step",
                     showgrid=False, zeroline=False)
    middle = "state h" if u.recurrent else "hidden layer"
    rows = [f"input x ∈ ℝ<sup>{D}</sup>", middle, f"output y ∈ ℝ<sup>{C}</sup>"]
    fig.update_yaxes(range=[-0.8, 2.5], tickvals=list(ROWS.values()), ticktext=rows,
                     showgrid=False, zeroline=False)
    return fig
