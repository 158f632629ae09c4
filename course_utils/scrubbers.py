"""Client-side scrubbers over precomputed steps: a small scrubber of our own (one <canvas> per panel, a
range slider, a play button, hover read-outs; `static/scrubber.js`), so scrubbing runs in the browser
alone (no kernel), answers a move in a few milliseconds and also works in a static HTML export.

`step_scrubber` is the general one (every step of each panel as coloured cells with the current step
boxed, and that step's values as bars); `timestep_scrubber`, `gate_scrubber` and `backward_scrubber`
build on it. Each returns a `Scrubber`, which Jupyter shows as HTML with its script inline.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Mapping, Sequence

import numpy as np
import plotly.colors

from .plots import COLORS, HEATMAP_SCALE, PALETTE, role_color

SCRIPT = resources.files("course_utils").joinpath("static/scrubber.js").read_text(encoding="utf-8")
SCRIPT_KEY = "unrolledScrubber_" + hashlib.sha1(SCRIPT.encode()).hexdigest()[:10]  # a new script, a new key
_ids = itertools.count()


@dataclass(frozen=True)
class Scrubber:
    """A scrubber ready to show: `spec` is what the page's script draws (JSON-able: title, steps,
    order, panels with values, units, colour range and scale)."""

    spec: dict

    @property
    def n_steps(self) -> int:
        """How many steps the slider visits."""
        return len(self.spec["steps"])

    def panel(self, name: str) -> dict:
        """One panel's spec by name (e.g. "hidden", "forget")."""
        for panel in self.spec["panels"]:
            if panel["name"] == name:
                return panel
        raise KeyError(f"no panel {name!r}; the panels are {[p['name'] for p in self.spec['panels']]}")

    def values(self, name: str) -> np.ndarray:
        """A panel's values, shape (steps, units), as drawn (4 significant digits)."""
        return np.asarray(self.panel(name)["values"], dtype=float)

    def __repr__(self) -> str:
        panels = ", ".join(p["name"] for p in self.spec["panels"])
        return f"<scrubber {self.spec['title']!r}: {self.n_steps} steps; panels {panels}>"

    def _repr_html_(self) -> str:
        spec = json.dumps(self.spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
        # dark text on its own white ground, so a dark JupyterLab theme cannot hide it
        return (f'<div class="unrolled-scrubber" id="unrolled-scrubber-{next(_ids)}" '
                'style="position:relative;font:12px sans-serif;color:#111;background:#fff;max-width:860px;padding:4px 6px">'
                f'<div style="font-weight:bold;font-size:14px;margin:2px 0 8px">{html.escape(self.spec["title"])}</div>'
                # keys aimed at the controls are the scrubber's, not JupyterLab's or the deck's (scrubber.js)
                '<div class="us-controls" data-lm-suppress-shortcuts="true" '
                'style="display:flex;align-items:center;gap:10px;margin:0 0 6px 0">'
                '<button type="button" class="us-play" style="min-width:76px" aria-label="play">▶ play</button>'
                f'<input type="range" class="us-slider" min="0" max="{self.n_steps - 1}" step="1" value="0" '
                f'style="width:430px" aria-label="{html.escape(self.spec["prefix"].strip(" :=") or "step")}">'
                '<span class="us-label" aria-live="polite" style="white-space:nowrap"></span></div>'
                '<div class="us-panels"></div>'
                '<div class="us-tip" style="position:absolute;display:none;pointer-events:none;background:#fff;'
                'border:1px solid #888;padding:2px 5px;font:12px sans-serif;white-space:nowrap;z-index:10"></div>'
                '<div class="us-fallback" style="color:#a00">This scrubber is drawn by JavaScript: run the cell '
                '(or trust the notebook) to see it.</div>'
                f'<script type="application/json" class="us-spec">{spec}</script>'
                f'<script>{SCRIPT.replace("__KEY__", SCRIPT_KEY)}\n'
                f'window["{SCRIPT_KEY}"](document.currentScript.parentNode);</script></div>')


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


def color_range(values: np.ndarray) -> tuple[float, float]:
    """Fixed [0, 1] for values in [0, 1] (gates, probabilities, one-hot inputs), so f = 0.72 never
    looks fully open; otherwise symmetric about 0, so white always means 0."""
    if values.min() >= 0 and values.max() <= 1:
        return 0.0, 1.0
    limit = float(np.abs(values).max()) or 1.0
    return -limit, limit


def _color_scale(name: str, low: float) -> list[list]:
    """White to the role's colour for a [0, 1] range; blue-white-red for a signed one."""
    if low < 0:
        return [[round(float(p), 3), c] for p, c in plotly.colors.get_colorscale(HEATMAP_SCALE)]
    return [[0.0, "#ffffff"], [1.0, role_color(name)]]


def _unit_names(panel: str, n_units: int, unit_names: Mapping[str, Sequence[str]]) -> list[str]:
    """The panel's unit names (checked against its number of units), or "unit 0", "unit 1", ..."""
    names = [str(n) for n in unit_names.get(panel, [f"unit {k}" for k in range(n_units)])]
    if len(names) != n_units:
        raise ValueError(f"panel {panel!r} has {n_units} units but {len(names)} unit names")
    return names


def _panel_spec(name: str, values: np.ndarray, title: str, units: list[str], named: bool,
                as_line: bool) -> dict:
    """What the page draws for one panel: values (4 significant digits), colours, ranges, names."""
    low, high = color_range(values)
    pad = 0.1 * max(abs(values.min()), abs(values.max()), 1e-9)
    return {"name": name, "title": title, "kind": "line" if as_line else "cells",
            "values": [[float(f"{v:.4g}") for v in row] for row in values], "units": units, "named": named,
            "range": [low, high], "scale": _color_scale(name, low), "color": role_color(name),
            "bars": [0.0, 1.0] if (low, high) == (0.0, 1.0) else   # gates and probabilities: bars on [0, 1] too
                    [min(0.0, float(values.min())) - (pad if values.min() < 0 else 0),
                     max(0.0, float(values.max())) + (pad if values.max() > 0 else 1e-9)],
            "highlight": None}


def step_scrubber(panels: Mapping[str, np.ndarray], step_labels: Sequence[str], title: str,
                  panel_titles: Mapping[str, str] | None = None,
                  unit_names: Mapping[str, Sequence[str]] | None = None,
                  order: Sequence[int] | None = None, lines: Sequence[str] = (), prefix: str = "step: ") -> Scrubber:
    """A client-side scrubber: per panel (name -> array (T, units)) every step on the left with the
    current step boxed, and bars of that step's values on the right; a slider, a play button, hover.

    Panel names double as roles for colours (input, hidden, output, forget, cell, ...); unit_names
    (panel -> one name per unit, e.g. frames or classes) replace "unit 0, 1, ..." where units mean something;
    `order` is the order the slider visits the steps (time still runs left to right); panels named
    in `lines` (shape (T, 1)) are drawn as a line, not as cells.
    """
    n_steps = len(step_labels)
    if n_steps == 0:
        raise ValueError("a scrubber needs at least one step")
    data = {name: _as_steps(name, values, n_steps) for name, values in panels.items()}
    if not data:
        raise ValueError("a scrubber needs at least one panel")
    order = list(range(n_steps)) if order is None else [int(t) for t in order]
    if sorted(order) != list(range(n_steps)):
        raise ValueError(f"order must visit each of the {n_steps} steps once, got {order}")
    titles, names = panel_titles or {}, unit_names or {}
    specs = [_panel_spec(name, values, titles.get(name, name), _unit_names(name, values.shape[1], names),
                         name in names, name in lines) for name, values in data.items()]
    return Scrubber({"title": title, "steps": [str(s) for s in step_labels], "order": order,
                     "prefix": prefix, "panels": specs})


def timestep_scrubber(x: np.ndarray, h: np.ndarray, p: np.ndarray, step_labels: Sequence[str],
                      title: str = "Drag t: the input x_t and h_{t-1} make h_t, which makes p_t",
                      input_names: Sequence[str] | None = None,
                      output_names: Sequence[str] | None = None) -> Scrubber:
    """Scrub an unrolled RNN: x_t (T, D), h_t (T, H), p_t = softmax(y_t) (T, C), one label per step;
    input_names / output_names name the D inputs and C classes."""
    names = {k: v for k, v in (("input", input_names), ("output", output_names)) if v is not None}
    return step_scrubber({"input": x, "hidden": h, "output": p}, step_labels, title,
                         {"input": "x_t (input)", "hidden": "h_t (hidden state)",
                          "output": "p_t = softmax(y_t)"}, names)


GATE_TITLES = {"forget": "f_t forget gate", "input_gate": "i_t input gate",
               "candidate": "g_t candidate", "cell": "c_t cell state",
               "output_gate": "o_t output gate", "hidden": "h_t hidden state",
               "cell_difference": "c(bit 1) − c(bit 0)"}


def gate_scrubber(gates: Mapping[str, np.ndarray], tokens: Sequence[str],
                  title: str = "Drag through time: what each LSTM gate does at each step",
                  highlight_unit: int | None = None, units: Sequence[int] | None = None) -> Scrubber:
    """Scrub an LSTM: gates keyed f, i, g, o, c, h (each (T, H)) over the input tokens; an optional
    "c_diff" (T, H) adds a panel c(bit 1) − c(bit 0); highlight_unit outlines that unit in every panel;
    `units` shows only those units (e.g. the most active ones), each named by its index."""
    keys = {"f": "forget", "i": "input_gate", "g": "candidate", "c": "cell", "o": "output_gate", "h": "hidden"}
    missing = sorted(set(keys) - set(gates))
    if missing:
        raise ValueError(f"gate_scrubber needs gates {sorted(keys)}; missing {missing}")
    panels = {keys[k]: gates[k] for k in keys} | ({"cell_difference": gates["c_diff"]} if "c_diff" in gates else {})
    n_units = np.shape(gates["c"])[1]
    if highlight_unit is not None and not 0 <= highlight_unit < n_units:
        raise ValueError(f"highlight_unit must be in 0..{n_units - 1}, got {highlight_unit}")
    shown = list(range(n_units)) if units is None else [int(u) for u in units]
    panels = {name: np.asarray(values)[:, shown] for name, values in panels.items()}
    names = {name: [f"unit {u}" for u in shown] for name in panels} if units is not None else None
    scrubber = step_scrubber(panels, tokens, title, GATE_TITLES, names)
    if highlight_unit is not None and highlight_unit in shown:
        for panel in scrubber.spec["panels"]:
            panel["highlight"] = shown.index(highlight_unit)
    return scrubber


def backward_scrubber(delta_h: np.ndarray, accumulated: np.ndarray, step_labels: Sequence[str],
                      title: str = "Drag back through time: δh_t and the gradient accumulated so far") -> Scrubber:
    """Scrub a backward pass in time order (t = 1..T left to right), the slider starting at t = T:
    δh_t (T, H) and ‖∂L/∂W_hh‖ of the contributions of steps t..T (T,), drawn as a line."""
    accumulated = np.asarray(accumulated, dtype=float).reshape(len(step_labels), 1)
    return step_scrubber({"gradient": delta_h, "accumulated": accumulated}, step_labels, title,
                         {"gradient": "δh_t = ∂L/∂h_t", "accumulated": "‖∂L/∂W_hh‖ of steps t..T"},
                         order=list(reversed(range(len(step_labels)))), lines=("accumulated",))


def _finite_or_none(values: np.ndarray) -> list[float | None]:
    """JSON-able y values: NaN becomes None (a gap in the line), the rest 4 significant digits."""
    return [float(f"{v:.4g}") if np.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _y_range(frames: Sequence[Mapping[str, np.ndarray]], names: list[str], log_y: bool) -> list[float]:
    """One fixed y range over every frame (the curves move, the axis does not); log10 units if log_y."""
    values = np.concatenate([np.asarray(f[n], dtype=float) for f in frames for n in names])
    values = values[np.isfinite(values) & (values > 0 if log_y else True)]
    if not values.size:
        return [0.0, 1.0]
    low, high = (np.log10(values.min()), np.log10(values.max())) if log_y else (values.min(), values.max())
    pad = 0.05 * (high - low) + 1e-9
    return [float(low - pad), float(high + pad)]


def curve_scrubber(x: Sequence[float], frames: Sequence[Mapping[str, np.ndarray]], frame_labels: Sequence[str],
                   title: str, x_title: str, y_title: str, prefix: str = "", log_y: bool = False) -> Scrubber:
    """A client-side scrubber over precomputed curves: frames[k] maps a line's name to its y over x;
    the slider picks the frame (no kernel: works in a static export). NaN leaves a gap."""
    if len(frames) == 0 or len(frames) != len(frame_labels):
        raise ValueError(f"need one label per frame and at least one frame, got {len(frames)} and {len(frame_labels)}")
    names = list(frames[0])
    for k, frame in enumerate(frames):
        if list(frame) != names or any(np.shape(frame[n]) != (len(x),) for n in names):
            raise ValueError(f"frame {k} must have the lines {names}, each with {len(x)} values like x")
        if any(np.isinf(np.asarray(frame[n], dtype=float)).any() for n in names):
            raise ValueError(f"frame {k} contains inf (NaN is allowed and leaves a gap)")
    palette = iter(PALETTE)
    lines = [{"name": n, "color": role_color(n) if n in COLORS else next(palette),
              "frames": [_finite_or_none(frame[n]) for frame in frames]} for n in names]
    panel = {"name": "curves", "kind": "curves", "title": y_title + " against " + x_title, "x": [float(v) for v in x],
             "lines": lines, "log": log_y, "yrange": _y_range(frames, names, log_y), "x_title": x_title,
             "y_title": y_title}
    return Scrubber({"title": title, "steps": [str(s) for s in frame_labels], "order": list(range(len(frames))),
                     "prefix": prefix, "panels": [panel]})
