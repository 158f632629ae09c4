"""Two kinds of interactive figure (see COURSE.md, "Widgets").

* scrubbers (`course_utils.scrubbers`, re-exported here): precomputed per-step data drawn on canvases
  by a small script of the course's own, with a slider and a play button. Scrubbing runs in the browser
  alone (no kernel), so it also works in a static HTML export. `curve_scrubber` does the same for a few
  precomputed curves with one plotly frame per curve and plotly's own slider.
* `live_figure`: ipywidgets controls driving a plotly FigureWidget whose traces are updated in
  place inside `batch_update()` when the kernel must compute something new.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from .plots import COLORS, role_color
from .scrubbers import (GATE_TITLES, Scrubber, backward_scrubber, color_range, gate_scrubber, step_scrubber,
                        timestep_scrubber)

__all__ = ["GATE_TITLES", "LiveFigure", "Scrubber", "backward_scrubber", "color_range", "curve_scrubber",
           "gate_scrubber", "live_figure", "step_scrubber", "timestep_scrubber"]


@dataclass
class LiveFigure:
    """ipywidgets controls + a FigureWidget updated in place by `compute(**control_values)`.

    `compute` returns {trace_index: {property: value}} and may add "layout": {...}; errors raised as
    ValueError are shown to the learner as a friendly message, never as a traceback.
    """

    figure: go.FigureWidget
    controls: dict[str, widgets.ValueWidget]
    compute: Callable[..., dict]
    message: widgets.HTML = field(default_factory=widgets.HTML)

    def values(self) -> dict[str, object]:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **overrides: object) -> bool:
        """Recompute with the controls' values (or overrides) and update traces in place."""
        try:
            changes = self.compute(**{**self.values(), **overrides})
        except ValueError as error:
            self.message.value = f"<b style='color:#d62728'>✘ {html.escape(str(error))}</b>"
            return False
        with self.figure.batch_update():
            for key, props in changes.items():
                target = self.figure.layout if key == "layout" else self.figure.data[key]
                target.update(props)
        self.message.value = ""
        return True

    def _on_change(self, _change: dict) -> None:
        self.update()

    def view(self) -> widgets.VBox:
        """The controls, the message line and the figure, stacked."""
        return widgets.VBox([*self.controls.values(), self.message, self.figure])

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.view())


def live_figure(figure: go.Figure, controls: Mapping[str, widgets.ValueWidget],
                compute: Callable[..., dict]) -> LiveFigure:
    """Wire controls to a FigureWidget: each change calls compute and updates traces in place."""
    live = LiveFigure(go.FigureWidget(figure), dict(controls), compute)
    for control in live.controls.values():
        control.observe(live._on_change, names="value")
    live.update()
    return live


def _slider(step_labels: Sequence[str], prefix: str) -> dict:
    """plotly's own slider: one step per frame (named "0", "1", ...), animated with no duration."""
    instant = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}
    steps = [{"label": str(label), "method": "animate", "args": [[str(k)], instant]}
             for k, label in enumerate(step_labels)]
    return {"active": 0, "steps": steps, "currentvalue": {"prefix": prefix}, "pad": {"t": 40}, "len": 0.84, "x": 0.1}


def curve_scrubber(x: Sequence[float], frames: Sequence[Mapping[str, np.ndarray]], frame_labels: Sequence[str],
                   title: str, x_title: str, y_title: str, prefix: str = "", log_y: bool = False) -> go.Figure:
    """A client-side scrubber over precomputed curves: frames[k] maps a line's name to its y over x;
    plotly's own slider picks the frame (no kernel: works in a static export). NaN leaves a gap."""
    if len(frames) == 0 or len(frames) != len(frame_labels):
        raise ValueError(f"need one label per frame and at least one frame, got {len(frames)} and {len(frame_labels)}")
    names = list(frames[0])
    for k, frame in enumerate(frames):
        if list(frame) != names or any(np.shape(frame[n]) != (len(x),) for n in names):
            raise ValueError(f"frame {k} must have the lines {names}, each with {len(x)} values like x")
        if any(np.isinf(np.asarray(frame[n], dtype=float)).any() for n in names):
            raise ValueError(f"frame {k} contains inf (NaN is allowed and leaves a gap)")

    def traces(frame: Mapping[str, np.ndarray]) -> list[go.Scatter]:
        return [go.Scatter(x=list(x), y=np.asarray(frame[n], dtype=float).tolist(), mode="lines+markers",
                           name=n, line=dict(color=role_color(n)) if n in COLORS else None) for n in names]

    fig = go.Figure(traces(frames[0]))
    fig.frames = [go.Frame(name=str(k), data=traces(frame), traces=list(range(len(names))))
                  for k, frame in enumerate(frames)]
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=460,
                      sliders=[_slider(frame_labels, prefix)],
                      margin=dict(l=60, r=20, t=70, b=110), legend=dict(orientation="h", y=1.02, x=0))
    values = np.concatenate([np.asarray(f[n], dtype=float) for f in frames for n in names])
    values = values[np.isfinite(values) & (values > 0 if log_y else True)]
    if values.size:   # one fixed y range for every frame: the curves move, the axis does not
        low, high = (np.log10(values.min()), np.log10(values.max())) if log_y else (values.min(), values.max())
        pad = 0.05 * (high - low) + 1e-9
        fig.update_yaxes(type="log" if log_y else "linear", range=[low - pad, high + pad])
    return fig
