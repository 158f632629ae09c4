import json
import time

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import pytest

from course_utils.widgets import gate_scrubber, live_figure, step_scrubber, timestep_scrubber


def _panels(steps=6):
    rng = np.random.default_rng(0)
    return {"input": np.eye(steps)[:, :4], "hidden": rng.normal(size=(steps, 3))}


def test_scrubber_visits_every_step_and_carries_each_steps_values():
    panels = _panels()
    scrubber = step_scrubber(panels, list("abcdef"), "t")
    assert scrubber.n_steps == 6 and scrubber.spec["order"] == list(range(6))
    assert scrubber.spec["steps"] == list("abcdef")
    for name, values in panels.items():
        assert np.allclose(scrubber.values(name), values, rtol=1e-3, atol=1e-12)   # 4 significant digits
    with pytest.raises(KeyError, match="the panels are"):
        scrubber.panel("forget")


def test_scrubber_html_is_self_contained_and_its_spec_cannot_close_the_script():
    scrubber = step_scrubber(_panels(), ["</script>", "b", "c", "d", "e", "f"], "a <title>")
    page = scrubber._repr_html_()
    assert page.count("<script") == 2 and "src=" not in page          # the script inline, nothing fetched
    assert "</script>\"" not in page and "<\\/script>" in page          # a label cannot end the spec early
    assert "a &lt;title&gt;" in page and 'max="5"' in page
    assert "us-fallback" in page and "run the cell" in page            # never nothing without JavaScript
    spec = page.split('class="us-spec">')[1].split("</script>")[0].replace("<\\/", "</")
    assert json.loads(spec) == scrubber.spec
    assert "<scrubber 'a <title>': 6 steps; panels input, hidden>" == repr(scrubber)


def test_the_script_is_keyed_by_its_content_so_a_new_version_never_reuses_an_old_one():
    from course_utils import scrubbers

    assert scrubbers.SCRIPT_KEY.startswith("unrolledScrubber_") and "__KEY__" in scrubbers.SCRIPT
    page = step_scrubber(_panels(), list("abcdef"), "t")._repr_html_()
    assert f'window["{scrubbers.SCRIPT_KEY}"]' in page and "__KEY__" not in page


@pytest.mark.parametrize("bad, words", [(np.zeros((5, 2)), "shape"), (np.full((6, 2), np.nan), "NaN")])
def test_scrubber_rejects_bad_panels_clearly(bad, words):
    with pytest.raises(ValueError, match=words):
        step_scrubber({"hidden": bad}, list("abcdef"), "t")
    with pytest.raises(ValueError, match="at least one"):
        step_scrubber({"hidden": np.zeros((6, 2))}, [], "t")


def test_timestep_and_gate_scrubbers_build_their_panels():
    x, h, y = np.eye(3), np.ones((3, 2)), np.zeros((3, 4))
    assert [p["name"] for p in timestep_scrubber(x, h, y, list("abc")).spec["panels"]] == ["input", "hidden", "output"]
    gates = {k: np.full((3, 2), 0.5) for k in "figoch"}
    assert len(gate_scrubber(gates, list("abc")).spec["panels"]) == 6
    with pytest.raises(ValueError, match="missing"):
        gate_scrubber({"f": gates["f"]}, list("abc"))


def _live():
    s = np.linspace(-3, 3, 200)
    slider = widgets.FloatSlider(value=1.0, min=0.1, max=5.0)
    fig = go.Figure(go.Scatter(x=s, y=np.tanh(s)))

    def compute(w):
        if w <= 0:
            raise ValueError("w must be positive")
        return {0: {"y": np.tanh(w * s)}, "layout": {"title": f"w = {w}"}}

    return live_figure(fig, {"w": slider}, compute), slider, s


def test_moving_the_control_updates_the_trace_in_place():
    live, slider, s = _live()
    figure = live.figure
    slider.value = 2.5
    assert live.figure is figure
    assert np.allclose(live.figure.data[0].y, np.tanh(2.5 * s))
    assert live.figure.layout.title.text == "w = 2.5"


def test_live_update_takes_at_most_10_ms():
    live, _, _ = _live()
    times = []
    for w in np.linspace(0.5, 4.0, 30):
        start = time.perf_counter()
        live.update(w=float(w))
        times.append(time.perf_counter() - start)
    assert np.median(times) <= 0.010, f"median live update {np.median(times) * 1e3:.1f} ms"


def test_bad_value_shows_a_message_instead_of_raising():
    live, _, s = _live()
    assert live.update(w=-1.0) is False
    assert "w must be positive" in live.message.value
    assert np.allclose(live.figure.data[0].y, np.tanh(1.0 * s))
    assert live.update(w=1.0) and live.message.value == ""


def test_signed_values_get_a_diverging_scale_and_gates_a_sequential_one():
    scrubber = gate_scrubber({k: np.full((3, 2), 0.5) if k != "c" else np.full((3, 2), -0.5) for k in "figoch"},
                             list("abc"))
    assert scrubber.panel("forget")["range"] == [0, 1] and scrubber.panel("forget")["scale"][0][1] == "#ffffff"
    low, high = scrubber.panel("cell")["range"]
    assert low == -high == -0.5 and scrubber.panel("cell")["scale"][5] == [0.5, "rgb(247,247,247)"]  # white at 0


def test_gates_use_a_fixed_0_to_1_colour_range_and_bar_range():
    gates = {k: np.full((3, 2), 0.72) for k in "fio"} | {k: np.full((3, 2), -0.5) for k in "gch"}
    scrubber = gate_scrubber(gates, list("abc"))
    for gate in ("forget", "input_gate", "output_gate"):   # 0.72 must not look fully open
        assert scrubber.panel(gate)["range"] == [0, 1] and scrubber.panel(gate)["bars"] == [0, 1]
    for signed in ("candidate", "cell", "hidden"):
        assert scrubber.panel(signed)["range"] == [-0.5, 0.5] and scrubber.panel(signed)["bars"][0] < -0.5


def test_units_that_mean_something_carry_their_names():
    x, h, p = np.eye(3)[[0, 1, 2, 0]], np.zeros((4, 2)), np.full((4, 2), 0.5)
    scrubber = timestep_scrubber(x, h, p, list("abcd"), input_names=["bear", "sofa", "tree"],
                                 output_names=["dog", "wolf"])
    assert scrubber.panel("input")["units"] == ["bear", "sofa", "tree"] and scrubber.panel("input")["named"]
    assert scrubber.panel("hidden")["units"] == ["unit 0", "unit 1"] and not scrubber.panel("hidden")["named"]
    assert scrubber.panel("output")["title"].startswith("p_t")     # softmax probabilities are p_t, not y_t
    with pytest.raises(ValueError, match="3 units but 2 unit names"):
        timestep_scrubber(x, h, p, list("abcd"), input_names=["bear", "sofa"])


def test_log_axes_read_as_powers_of_ten_and_underflow_is_a_floor():
    from course_utils.plots import line_figure

    fig = line_figure([1, 2, 3], {"norm": [1e-2, 1e-9, 0.0]}, "t", "x", "y", log_y=True)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.exponentformat == "power"
    assert list(fig.data[0].y) == [1e-2, 1e-9, 1e-9]     # the 0 sits on the floor, no drop off the plot


def test_a_missing_value_is_a_gap_not_a_floor():
    from course_utils.plots import line_figure

    fig = line_figure([1, 2, 3], {"horizon": [5.0, None, 30.0], "other": [1e-3, 2.0, float("nan")]}, "t", "x", "y",
                      log_y=True)
    assert list(fig.data[0].y) == [5.0, None, 30.0] and list(fig.data[1].y) == [1e-3, 2.0, None]


def test_gate_scrubber_outlines_the_memory_unit_and_shows_the_cell_difference():
    gates = {k: np.full((3, 4), 0.5) for k in "figoch"} | {"c_diff": np.full((3, 4), -0.2)}
    scrubber = gate_scrubber(gates, list("abc"), highlight_unit=2)
    assert [p["highlight"] for p in scrubber.spec["panels"]] == [2] * 7
    assert scrubber.panel("cell_difference")["title"] == "c(bit 1) − c(bit 0)"
    assert gate_scrubber(gates, list("abc"), highlight_unit=2, units=[3, 2]).panel("cell")["highlight"] == 1
    with pytest.raises(ValueError, match="highlight_unit must be in 0..3"):
        gate_scrubber(gates, list("abc"), highlight_unit=4)


def test_backward_scrubber_runs_left_to_right_in_time_and_starts_at_the_last_step():
    from course_utils.widgets import backward_scrubber

    delta_h, accumulated = np.arange(8.0).reshape(4, 2), np.array([4.0, 3.0, 2.0, 1.0])
    scrubber = backward_scrubber(delta_h, accumulated, ["t=1", "t=2", "t=3", "t=4"])
    assert scrubber.spec["order"] == [3, 2, 1, 0]                        # the slider starts at t=4
    assert scrubber.spec["steps"] == ["t=1", "t=2", "t=3", "t=4"]        # time left to right
    line = scrubber.panel("accumulated")
    assert line["kind"] == "line" and line["values"] == [[4.0], [3.0], [2.0], [1.0]]
    with pytest.raises(ValueError, match="visit each of the 4 steps once"):
        step_scrubber({"hidden": delta_h}, list("abcd"), "t", order=[0, 1, 1, 3])


def test_the_most_active_units_come_first_and_the_scrubber_shows_only_them():
    from course_utils.lstm import units_by_response

    c = np.zeros((5, 4))
    c[:, 2] = np.linspace(-1, 1, 5)          # unit 2 moves most, then unit 0
    c[:, 0] = np.linspace(0, 0.5, 5)
    gates = {k: np.full((5, 4), 0.5) for k in "figoh"} | {"c": c}
    assert list(units_by_response(gates, top=2)) == [2, 0]
    scrubber = gate_scrubber(gates, list("abcde"), units=[2, 0])
    assert scrubber.panel("cell")["units"] == ["unit 2", "unit 0"]
    assert np.allclose(scrubber.values("cell"), c[:, [2, 0]])


def test_colored_text_shades_each_token_by_its_value():
    from course_utils.plots import colored_text

    text = colored_text(["the", "cat", "<b>"], [0.5, -1.0, 0.0], "unit 7")
    assert "rgba(214,39,40,0.35)" in text and "rgba(31,119,180,0.70)" in text and "&lt;b&gt;" in text
    with pytest.raises(ValueError, match="one finite value per token"):
        colored_text(["the", "cat"], [0.5])


def test_every_figure_takes_its_colours_from_the_course_palette():
    import plotly.graph_objects as go
    import plotly.io as pio

    from course_utils.plots import COLORS, PALETTE
    from course_utils.runtime import configure_plotly

    configure_plotly()
    fig = go.Figure(go.Scatter(y=[1, 2]))            # an ad-hoc figure, no colour given
    assert pio.templates.default == "plotly+unrolled"
    assert list(fig.layout.template.layout.colorway) == PALETTE and PALETTE[0] == COLORS["input"]


def test_every_log_axis_ticks_in_powers_of_ten_even_the_live_figures():
    from course_utils.gradient_widgets import radius_explorer
    from course_utils.runtime import configure_plotly

    configure_plotly()
    rng = np.random.default_rng(0)
    live = radius_explorer(rng.normal(0, 0.25, (4, 4)), rng.normal(0, 0.5, (6, 4)))   # no exponentformat of its own
    layout = live.figure.layout
    assert layout.yaxis.type == "log" and layout.yaxis.exponentformat is None
    assert layout.template.layout.yaxis.exponentformat == "power"           # so plotly draws 10⁻⁶, not 1µ
