import time

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import pytest

from course_utils.widgets import gate_scrubber, live_figure, step_scrubber, timestep_scrubber


def _panels(steps=6):
    rng = np.random.default_rng(0)
    return {"input": np.eye(steps)[:, :4], "hidden": rng.normal(size=(steps, 3))}


def test_scrubber_has_one_frame_per_step():
    fig = step_scrubber(_panels(), list("abcdef"), "t")
    assert len(fig.frames) == 6
    assert len(fig.layout.sliders[0].steps) == 6


def test_each_frame_shows_its_precomputed_step():
    panels = _panels()
    fig = step_scrubber(panels, list("abcdef"), "t")
    for t, frame in enumerate(fig.frames):
        bars = [trace for trace in frame.data if trace.type == "bar"]
        assert np.allclose(bars[0].y, panels["input"][t])
        assert np.allclose(bars[1].y, panels["hidden"][t])


def test_frame_box_outlines_the_current_column():
    fig = step_scrubber(_panels(), list("abcdef"), "t")
    box = fig.frames[4].data[0]
    assert min(box.x) == pytest.approx(3.5) and max(box.x) == pytest.approx(4.5)


def test_frames_only_touch_the_moving_traces():
    fig = step_scrubber(_panels(), list("abcdef"), "t")
    context = [0, 1]  # the per-panel "every step" squares
    assert np.allclose(fig.data[1].marker.color, _panels()["hidden"].ravel())
    assert not set(context) & set(fig.frames[0].traces)


def test_scrubber_has_no_heatmap_traces_which_vanish_when_animated():
    fig = step_scrubber(_panels(), list("abcdef"), "t")
    assert "heatmap" not in {trace.type for trace in fig.data}


def test_slider_steps_animate_to_their_frame():
    fig = step_scrubber(_panels(), list("abcdef"), "t")
    step = fig.layout.sliders[0].steps[2]
    assert step.method == "animate" and list(step.args[0]) == ["2"] and step.label == "c"


@pytest.mark.parametrize("bad, words", [(np.zeros((5, 2)), "shape"), (np.full((6, 2), np.nan), "NaN")])
def test_scrubber_rejects_bad_panels_clearly(bad, words):
    with pytest.raises(ValueError, match=words):
        step_scrubber({"hidden": bad}, list("abcdef"), "t")


def test_timestep_and_gate_scrubbers_build_their_panels():
    x, h, y = np.eye(3), np.ones((3, 2)), np.zeros((3, 4))
    assert len(timestep_scrubber(x, h, y, list("abc")).frames) == 3
    gates = {k: np.full((3, 2), 0.5) for k in "figoch"}
    assert len(gate_scrubber(gates, list("abc")).data) == 6 * 3
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
    fig = gate_scrubber({k: np.full((3, 2), 0.5) if k != "c" else np.full((3, 2), -0.5) for k in "figoch"},
                        list("abc"))
    cells = {trace.name: trace.marker for trace in fig.data[:6]}
    assert cells["forget"].cmin == 0 and cells["forget"].colorscale[0][1] == "white"
    assert cells["cell"].cmin == -cells["cell"].cmax


def test_gates_use_a_fixed_0_to_1_colour_range_with_a_colour_bar():
    gates = {k: np.full((3, 2), 0.72) for k in "fio"} | {k: np.full((3, 2), -0.5) for k in "gch"}
    fig = gate_scrubber(gates, list("abc"))
    cells = {trace.name: trace.marker for trace in fig.data[:6]}
    for gate in ("forget", "input_gate", "output_gate"):   # 0.72 must not look fully open
        assert (cells[gate].cmin, cells[gate].cmax) == (0, 1) and cells[gate].showscale
    for signed in ("candidate", "cell", "hidden"):
        assert cells[signed].cmin == -cells[signed].cmax == -0.5
    bars = [cells[name].colorbar for name in ("forget", "hidden")]
    assert bars[0].y > bars[1].y and 0 < bars[0].len < 1    # one bar beside each panel, top to bottom


def test_units_that_mean_something_carry_their_names():
    x, h, p = np.eye(3)[[0, 1, 2, 0]], np.zeros((4, 2)), np.full((4, 2), 0.5)
    fig = timestep_scrubber(x, h, p, list("abcd"), input_names=["bear", "sofa", "tree"], output_names=["dog", "wolf"])
    assert list(fig.layout.yaxis.ticktext) == ["bear", "sofa", "tree"]
    assert list(fig.layout.yaxis5.ticktext) == ["dog", "wolf"] and list(fig.layout.xaxis6.ticktext) == ["dog", "wolf"]
    assert "p_t" in fig.layout.annotations[4].text     # softmax probabilities are p_t, not y_t
    with pytest.raises(ValueError, match="3 units but 2 unit names"):
        timestep_scrubber(x, h, p, list("abcd"), input_names=["bear", "sofa"])


def test_log_axes_read_as_powers_of_ten_and_underflow_is_a_floor():
    from course_utils.plots import line_figure

    fig = line_figure([1, 2, 3], {"norm": [1e-2, 1e-9, 0.0]}, "t", "x", "y", log_y=True)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.exponentformat == "power"
    assert list(fig.data[0].y) == [1e-2, 1e-9, 1e-9]     # the 0 sits on the floor, no drop off the plot


def test_gate_scrubber_outlines_the_memory_unit_and_shows_the_cell_difference():
    gates = {k: np.full((3, 4), 0.5) for k in "figoch"} | {"c_diff": np.full((3, 4), -0.2)}
    fig = gate_scrubber(gates, list("abc"), highlight_unit=2)
    assert len(fig.layout.shapes) == 7 and {s.y0 for s in fig.layout.shapes} == {1.5}
    assert any("c(bit 1) − c(bit 0)" in a.text for a in fig.layout.annotations)
    with pytest.raises(ValueError, match="highlight_unit must be in 0..3"):
        gate_scrubber(gates, list("abc"), highlight_unit=4)


def test_backward_scrubber_runs_left_to_right_in_time_and_starts_at_the_last_step():
    from course_utils.widgets import backward_scrubber

    delta_h, accumulated = np.arange(8.0).reshape(4, 2), np.array([4.0, 3.0, 2.0, 1.0])
    fig = backward_scrubber(delta_h, accumulated, ["t=1", "t=2", "t=3", "t=4"])
    assert [s.label for s in fig.layout.sliders[0].steps] == ["t=4", "t=3", "t=2", "t=1"]
    assert list(fig.layout.xaxis.ticktext) == ["t=1", "t=2", "t=3", "t=4"]      # time left to right
    assert list(fig.data[1].y) == [4.0, 3.0, 2.0, 1.0] and fig.data[1].mode == "lines+markers"
    first = fig.frames[0]
    assert first.name == "3" and list(first.data[2].x) == [3]                  # the dot sits on t=4
    with pytest.raises(ValueError, match="visit each of the 4 steps once"):
        step_scrubber({"hidden": delta_h}, list("abcd"), "t", order=[0, 1, 1, 3])


def test_the_most_active_units_come_first_and_the_scrubber_shows_only_them():
    from course_utils.lstm import units_by_response

    c = np.zeros((5, 4))
    c[:, 2] = np.linspace(-1, 1, 5)          # unit 2 moves most, then unit 0
    c[:, 0] = np.linspace(0, 0.5, 5)
    gates = {k: np.full((5, 4), 0.5) for k in "figoh"} | {"c": c}
    assert list(units_by_response(gates, top=2)) == [2, 0]
    fig = gate_scrubber(gates, list("abcde"), units=[2, 0])
    assert list(fig.layout.yaxis.ticktext) == ["unit 2", "unit 0"] and len(fig.data[0].y) == 10


def test_colored_text_shades_each_token_by_its_value():
    from course_utils.plots import colored_text

    text = colored_text(["the", "cat", "<b>"], [0.5, -1.0, 0.0], "unit 7")
    assert "rgba(214,39,40,0.50)" in text and "rgba(31,119,180,1.00)" in text and "&lt;b&gt;" in text
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
