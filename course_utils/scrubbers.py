"""Client-side scrubbers over precomputed steps: one plotly frame per step and plotly's own slider,
so scrubbing runs in the browser alone (no kernel) and also works in a static HTML export.

`step_scrubber` is the general one (a heatmap of every step with the current step boxed, and that
step's values as bars); `timestep_scrubber`, `gate_scrubber` and `backward_scrubber` build on it.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .plots import HEATMAP_SCALE, role_color


def _as_steps(name: str, values: np.ndarray, n_steps: int) -> np.ndarray:
    """Check one panel's data: shape (T, n) with T == n_steps, finite; 1-D becomes (T, 1)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] != n_steps:
        raise ValueError(f"panel {name!r} must have shape (steps={n_steps}, units), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"panel {name!r} contains NaN or inf")
    return array


def _box(t: int, n_units: int) -> dict[str, list[float]]:
    """Outline of column t on a heatmap with n_units rows (the highlighted step)."""
    x0, x1, y0, y1 = t - 0.5, t + 0.5, -0.5, n_units - 0.5
    return {"x": [x0, x1, x1, x0, x0], "y": [y0, y0, y1, y1, y0]}


def _frame_traces(panels: Mapping[str, np.ndarray], t: int, lines: Sequence[str] = ()) -> list[go.BaseTraceType]:
    """For step t: per panel, the highlight on the left (a box on a heatmap, a dot on a line panel)
    and the bars of that step's values on the right."""
    traces: list[go.BaseTraceType] = []
    for name, values in panels.items():
        if name in lines:
            traces.append(go.Scatter(x=[t], y=[values[t, 0]], mode="markers", showlegend=False, hoverinfo="skip",
                                     marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(color="black", width=3))))
        else:
            traces.append(go.Scatter(**_box(t, values.shape[1]), mode="lines", showlegend=False,
                                     line=dict(color="black", width=3), hoverinfo="skip"))
        traces.append(go.Bar(x=list(range(values.shape[1])), y=values[t].tolist(), showlegend=False,
                             marker_color=role_color(name), name=name))
    return traces


def _slider(step_labels: Sequence[str], frame_names: Sequence[str] | None = None) -> dict:
    """plotly's own slider: one step per frame (named frame_names, default "0", "1", ...), animated with
    no duration (instant scrubbing)."""
    instant = {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
               "transition": {"duration": 0}}
    names = frame_names or [str(t) for t in range(len(step_labels))]
    steps = [{"label": str(label), "method": "animate", "args": [[name], instant]}
             for name, label in zip(names, step_labels)]
    return {"active": 0, "steps": steps, "currentvalue": {"prefix": "step: "},
            "pad": {"t": 40}, "len": 0.84, "x": 0.1}  # room for the last label


def _play_button() -> dict:
    """A play/pause pair that animates through the frames client-side."""
    play = {"frame": {"duration": 400, "redraw": False}, "fromcurrent": True,
            "transition": {"duration": 0}}
    pause = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}
    return {"type": "buttons", "showactive": False, "x": 0.0, "y": -0.08, "xanchor": "left",
            "buttons": [{"label": "▶", "method": "animate", "args": [None, play]},
                        {"label": "❚❚", "method": "animate", "args": [[None], pause]}]}


def color_range(values: np.ndarray) -> tuple[float, float]:
    """Fixed [0, 1] for values in [0, 1] (gates, probabilities, one-hot inputs), so f = 0.72 never
    looks fully open; otherwise symmetric about 0, so white always means 0."""
    if values.min() >= 0 and values.max() <= 1:
        return 0.0, 1.0
    limit = float(np.abs(values).max()) or 1.0
    return -limit, limit


def _cells_trace(name: str, values: np.ndarray, cell_px: tuple[float, float], colorbar: dict,
                 unit_names: Sequence[str]) -> go.Scatter:
    """Every step's values as coloured squares (steps across, units up): a heatmap made of markers.

    A real go.Heatmap would vanish as soon as plotly animates a frame without a full redraw
    (seen in Chromium with plotly.js's animate(redraw=False)); scatter markers survive it.
    """
    steps, units = np.meshgrid(np.arange(values.shape[0]), np.arange(values.shape[1]), indexing="ij")
    low, high = color_range(values)
    scale = HEATMAP_SCALE if low < 0 else [[0.0, "white"], [1.0, role_color(name)]]
    return go.Scatter(x=steps.ravel(), y=units.ravel(), mode="markers", name=name, showlegend=False,
                      customdata=np.asarray(unit_names, dtype=object)[units.ravel()],
                      marker=dict(symbol="line-ns-open", size=cell_px[1], color=values.ravel(),
                                  cmin=low, cmax=high, colorscale=scale, showscale=True, colorbar=colorbar,
                                  line=dict(width=cell_px[0])),
                      hovertemplate="step %{x}, %{customdata}: %{marker.color:.3f}<extra>" + name + "</extra>")


def _colorbar(fig: go.Figure, row: int) -> dict:
    """A thin colour bar just right of row `row`'s heatmap, as tall as the panel."""
    x_domain, y_domain = fig.get_subplot(row, 1).xaxis.domain, fig.get_subplot(row, 1).yaxis.domain
    return dict(x=x_domain[1] + 0.005, xanchor="left", y=sum(y_domain) / 2, yanchor="middle",
                len=y_domain[1] - y_domain[0], thickness=10, outlinewidth=0, tickfont=dict(size=10))


PANEL_PX, GAP_PX, WIDTH_PX = 200, 40, 540  # a panel's height, the least gap between panels, its rough width


def _unit_names(panel: str, n_units: int, unit_names: Mapping[str, Sequence[str]]) -> list[str]:
    """The panel's unit names (checked against its number of units), or "unit 0", "unit 1", ..."""
    names = [str(n) for n in unit_names.get(panel, [f"unit {k}" for k in range(n_units)])]
    if len(names) != n_units:
        raise ValueError(f"panel {panel!r} has {n_units} units but {len(names)} unit names")
    return names


def _cell_px(n_steps: int, n_units: int) -> tuple[float, float]:
    """(width, height) in px of one (step, unit) cell of a panel, drawn as a thick vertical line."""
    return float(np.clip(0.95 * WIDTH_PX / n_steps, 1, 80)), float(np.clip(0.8 * PANEL_PX / n_units, 1, 80))


def _add_panel(fig: go.Figure, row: int, name: str, values: np.ndarray, step_labels: Sequence[str],
               names: list[str] | None, as_line: bool) -> None:
    """Row `row`: every step on the left (a heatmap, or a line for a (T, 1) panel), axes for both columns."""
    n_steps, n_units = values.shape
    unit_names = names or [f"unit {k}" for k in range(n_units)]
    if as_line:
        fig.add_trace(go.Scatter(x=list(range(n_steps)), y=values[:, 0].tolist(), mode="lines+markers", name=name,
                                 showlegend=False, line=dict(color=role_color(name))), row=row, col=1)
    else:
        fig.add_trace(_cells_trace(name, values, _cell_px(n_steps, n_units), _colorbar(fig, row), unit_names),
                      row=row, col=1)
        named = {"tickmode": "array", "tickvals": list(range(n_units)), "ticktext": unit_names} if names else {}
        fig.update_yaxes(title_text="" if names else "unit", range=[-0.5, n_units - 0.5], showgrid=False,
                         zeroline=False, dtick=1 if n_units <= 16 else None, **named, row=row, col=1)
        fig.update_xaxes(**named, row=row, col=2)
    fig.update_xaxes(tickmode="array", tickvals=list(range(n_steps)), range=[-0.5, n_steps - 0.5],
                     ticktext=[str(s) for s in step_labels], showgrid=False, row=row, col=1)
    fig.update_yaxes(range=[min(0.0, values.min()) * 1.1, max(0.0, values.max()) * 1.1 + 1e-9], row=row, col=2)


def step_scrubber(panels: Mapping[str, np.ndarray], step_labels: Sequence[str], title: str,
                  panel_titles: Mapping[str, str] | None = None,
                  unit_names: Mapping[str, Sequence[str]] | None = None,
                  order: Sequence[int] | None = None, lines: Sequence[str] = ()) -> go.Figure:
    """A client-side scrubber: per panel (name -> array (T, units)) every step on the left with the
    current step marked, and bars of that step's values; one frame per step and plotly's slider.

    Panel names double as roles for colours (input, hidden, output, forget, cell, ...); unit_names
    (panel -> one name per unit, e.g. frames or classes) replace "unit 0, 1, ..." where units mean something;
    `order` is the order the slider visits the steps (time still runs left to right); panels named
    in `lines` (shape (T, 1)) are drawn as a line, not a heatmap strip.
    """
    n_steps = len(step_labels)
    if n_steps == 0:
        raise ValueError("a scrubber needs at least one step")
    data = {name: _as_steps(name, values, n_steps) for name, values in panels.items()}
    order = list(range(n_steps)) if order is None else [int(t) for t in order]
    if sorted(order) != list(range(n_steps)):
        raise ValueError(f"order must visit each of the {n_steps} steps once, got {order}")
    titles = panel_titles or {}
    subplot_titles = [t for name in data for t in (titles.get(name, name) + " over time", "at the current step")]
    gap_px = GAP_PX + min(80, 6 * max(len(str(label)) for label in step_labels))  # room for tick labels
    plot_px = len(data) * PANEL_PX + (len(data) - 1) * gap_px
    fig = make_subplots(rows=len(data), cols=2, column_widths=[0.68, 0.32], subplot_titles=subplot_titles,
                        horizontal_spacing=0.08, vertical_spacing=gap_px / plot_px)
    for row, (name, values) in enumerate(data.items(), start=1):
        names = _unit_names(name, values.shape[1], unit_names or {}) if name in (unit_names or {}) else None
        _add_panel(fig, row, name, values, step_labels, names, name in lines)
    for k, trace in enumerate(_frame_traces(data, order[0], lines)):
        fig.add_trace(trace, row=k // 2 + 1, col=1 + k % 2)
    moving = list(range(len(data), 3 * len(data)))
    fig.frames = [go.Frame(name=str(t), data=_frame_traces(data, t, lines), traces=moving) for t in order]
    fig.update_layout(title=title, height=plot_px + 200, updatemenus=[_play_button()],
                      sliders=[_slider([step_labels[t] for t in order], [str(t) for t in order])],
                      margin=dict(l=60, r=50, t=80, b=120), plot_bgcolor="white")
    return fig


def timestep_scrubber(x: np.ndarray, h: np.ndarray, p: np.ndarray, step_labels: Sequence[str],
                      title: str = "Drag t: the input x_t and h_{t-1} make h_t, which makes p_t",
                      input_names: Sequence[str] | None = None,
                      output_names: Sequence[str] | None = None) -> go.Figure:
    """Scrub an unrolled RNN: x_t (T, D), h_t (T, H), p_t = softmax(y_t) (T, C), one label per step;
    input_names / output_names name the D inputs and C classes."""
    names = {k: v for k, v in (("input", input_names), ("output", output_names)) if v is not None}
    return step_scrubber({"input": x, "hidden": h, "output": p}, step_labels, title,
                         {"input": "x_t (input)", "hidden": "h_t (hidden state)",
                          "output": "p_t = softmax(y_t)"}, names)


GATE_TITLES = {"forget": "f_t forget gate", "input_gate": "i_t input gate",
               "candidate": "g_t candidate", "cell": "c_t cell state",
               "output_gate": "o_t output gate", "hidden": "h_t hidden state"}


def gate_scrubber(gates: Mapping[str, np.ndarray], tokens: Sequence[str],
                  title: str = "Drag through time: what each LSTM gate does at each step",
                  highlight_unit: int | None = None, units: Sequence[int] | None = None) -> go.Figure:
    """Scrub an LSTM: gates keyed f, i, g, o, c, h (each (T, H)) over the input tokens; an optional
    "c_diff" (T, H) adds a panel c(bit 1) − c(bit 0); highlight_unit outlines that unit in every panel;
    `units` shows only those units (e.g. the most active ones), each named by its index."""
    keys = {"f": "forget", "i": "input_gate", "g": "candidate", "c": "cell", "o": "output_gate", "h": "hidden"}
    missing = sorted(set(keys) - set(gates))
    if missing:
        raise ValueError(f"gate_scrubber needs gates {sorted(keys)}; missing {missing}")
    panels = {keys[k]: gates[k] for k in keys}
    if "c_diff" in gates:
        panels["cell_difference"] = gates["c_diff"]
    names = None
    if units is not None:
        units = [int(u) for u in units]
        panels = {name: np.asarray(values)[:, units] for name, values in panels.items()}
        names = {name: [f"unit {u}" for u in units] for name in panels}
    fig = step_scrubber(panels, tokens, title, {**GATE_TITLES, "cell_difference": "c(bit 1) − c(bit 0)"}, names)
    if highlight_unit is not None:
        n_units = np.shape(gates["c"])[1]
        if not 0 <= highlight_unit < n_units:
            raise ValueError(f"highlight_unit must be in 0..{n_units - 1}, got {highlight_unit}")
        for row in range(1, len(panels) + 1):
            fig.add_hrect(y0=highlight_unit - 0.5, y1=highlight_unit + 0.5, row=row, col=1,
                          line=dict(color="black", width=1.5, dash="dot"), fillcolor="rgba(0,0,0,0)")
    return fig


def backward_scrubber(delta_h: np.ndarray, accumulated: np.ndarray, step_labels: Sequence[str],
                      title: str = "Drag back through time: δh_t and the gradient accumulated so far") -> go.Figure:
    """Scrub a backward pass in time order (t = 1..T left to right), the slider starting at t = T:
    δh_t (T, H) and ‖∂L/∂W_hh‖ of the contributions of steps t..T (T,), drawn as a line."""
    accumulated = np.asarray(accumulated, dtype=float).reshape(len(step_labels), 1)
    return step_scrubber({"gradient": delta_h, "accumulated": accumulated}, step_labels, title,
                         {"gradient": "δh_t = ∂L/∂h_t", "accumulated": "‖∂L/∂W_hh‖ of steps t..T"},
                         order=list(reversed(range(len(step_labels)))), lines=("accumulated",))
