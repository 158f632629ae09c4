"""The course's colours for colour-blind readers: every pair of role colours that share a figure, and the
diverging scale, stay apart under a simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira &
Fernandes 2009, severity 1.0, in linear RGB; see course_utils/colour_vision.py), measured as CIEDE2000 ΔE
in CIELAB. Threshold: ΔE00 >= 10 (about 5 times a just-noticeable difference: two thin lines or small cells
told apart at a glance, not side by side under scrutiny)."""

from __future__ import annotations

import itertools

import numpy as np
import plotly.colors
import pytest

from course_utils import colour_vision as cv
from course_utils.plots import COLORS, HEATMAP_SCALE, PALETTE

MIN_DELTA_E = 10.0
DEFICIENCIES = (None, "protanopia", "deuteranopia", "tritanopia")  # None: normal vision, the same bar
# roles drawn in one figure or one scrubber (the colorway covers any figure of up to 10 unnamed lines)
TOGETHER = {
    "an RNN step (x, h, y, the truth)": ("input", "hidden", "output", "target"),
    "an LSTM's gates (gate_scrubber)": ("forget", "input_gate", "candidate", "cell", "output_gate", "hidden"),
    "a bidirectional RNN": ("forward", "backward", "output", "target"),
    "a gradient beside the states": ("gradient", "hidden", "output", "cell"),
}
TEXT_ENDS = ("rgb(31,119,180)", "rgb(214,39,40)")  # colored_text: blue below 0, red above


def closest_pair(colours: dict[str, str], deficiency: str | None) -> tuple[float, str, str]:
    """The smallest ΔE00 between any two of `colours` as seen with `deficiency`, and which two."""
    return min((cv.difference(colours[a], colours[b], deficiency), a, b) for a, b in itertools.combinations(colours, 2))


def diverging_colours() -> list[str]:
    return [colour for _, colour in plotly.colors.get_colorscale(HEATMAP_SCALE)]


def test_the_colour_difference_is_ciede2000():
    # Sharma, Wu & Dalal (2005), test pairs 1, 7 and 17
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
             ((50, 2.5, 0), (73, 25, -18), 27.1492)]
    for lab1, lab2, expected in pairs:
        assert cv.delta_e2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)
    assert cv.lab(cv.simulate("#ffffff", None)) == pytest.approx([100, 0, 0], abs=1e-3)


def test_the_simulation_keeps_greys_and_loses_red_against_green():
    for deficiency in DEFICIENCIES[1:]:
        assert cv.difference("#777777", "#777777", deficiency) < 1e-6
        assert abs(cv.lightness("#808080", deficiency) - cv.lightness("#808080")) < 1.0  # rows sum to ≈ 1
    # the check can fail: plotly's old red and green (the course's output and hidden before) merge for a deuteranope
    assert cv.difference("#d62728", "#2ca02c") > 70 and cv.difference("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E
    assert closest_pair({"r": "#ff0000", "g": "#00ff00"}, "deuteranopia")[0] > MIN_DELTA_E  # pure hues differ in L*


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "normal")
@pytest.mark.parametrize("figure", TOGETHER)
def test_role_colours_that_share_a_figure_stay_apart(figure, deficiency):
    delta, a, b = closest_pair({role: COLORS[role] for role in TOGETHER[figure]}, deficiency)
    print(f"{figure}, {deficiency or 'normal'}: min ΔE00 {delta:.1f} ({a} / {b})")
    assert delta >= MIN_DELTA_E, f"{a} and {b} are ΔE00 {delta:.1f} apart for {deficiency or 'normal vision'}"


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "normal")
def test_the_palette_lines_stay_apart(deficiency):
    delta, a, b = closest_pair({f"{k}: {c}": c for k, c in enumerate(PALETTE)}, deficiency)
    print(f"palette, {deficiency or 'normal'}: min ΔE00 {delta:.1f} ({a} / {b})")
    assert delta >= MIN_DELTA_E, f"palette colours {a} and {b} are ΔE00 {delta:.1f} apart"


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "normal")
def test_a_role_colour_stands_out_from_white(deficiency):
    # the scrubbers shade [0, 1] values from white to the role's colour: both ends must differ
    for role, colour in COLORS.items():
        assert cv.difference("#ffffff", colour, deficiency) >= 2 * MIN_DELTA_E, role


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "normal")
def test_the_diverging_scale_keeps_its_sign_and_its_order(deficiency):
    colours = diverging_colours()
    middle = len(colours) // 2
    lightness = [cv.lightness(c, deficiency) for c in colours]
    # darkest at the ends, white in the middle: |value| reads from lightness alone, in either half
    assert all(np.diff(lightness[:middle + 1]) > 0) and all(np.diff(lightness[middle:]) < 0), lightness
    # -v and +v are told apart at every step of the scale but the middle, the ends by far
    sides = [cv.difference(colours[k], colours[-1 - k], deficiency) for k in range(middle)]
    print(f"{HEATMAP_SCALE}, {deficiency or 'normal'}: ends ΔE00 {sides[0]:.1f}, closest ±pair {min(sides):.1f}")
    assert sides[0] >= 2 * MIN_DELTA_E and min(sides) >= MIN_DELTA_E, sides
    assert cv.difference(*TEXT_ENDS, deficiency) >= 2 * MIN_DELTA_E


def test_a_failing_palette_is_caught():
    old = {"input": "#1f77b4", "hidden": "#2ca02c", "output": "#d62728", "forget": "#9467bd", "candidate": "#ff7f0e"}
    delta, a, b = closest_pair(old, "protanopia")
    assert delta < MIN_DELTA_E and {a, b} == {"hidden", "candidate"}
    lightness = [cv.lightness(c) for c in ("#ff0000", "#ffff00", "#00ff00")]  # a red-yellow-green scale
    assert not all(np.diff(lightness) > 0) or not all(np.diff(lightness) < 0)
