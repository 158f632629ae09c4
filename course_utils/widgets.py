"""Two kinds of interactive figure (see COURSE.md, "Widgets").

* scrubbers (`course_utils.scrubbers`, re-exported here): precomputed per-step data drawn on canvases
  by a small script of the course's own, with a slider and a play button. Scrubbing runs in the browser
  alone (no kernel), so it also works in a static HTML export. `curve_scrubber` does the same for a few
  precomputed curves (one set per step, e.g. per spectral radius).
* `live_figure`: ipywidgets controls driving a plotly FigureWidget whose traces are updated in
  place inside `batch_update()` when the kernel must compute something new.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Callable, Mapping

import ipywidgets as widgets
import plotly.graph_objects as go

from .scrubbers import (GATE_TITLES, Scrubber, backward_scrubber, color_range, curve_scrubber, gate_scrubber,
                        step_scrubber, timestep_scrubber)

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
