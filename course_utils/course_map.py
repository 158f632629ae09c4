"""The course map: every notebook and its self-checked exercises, in order.

Plain data (standard library only), read by the learner's progress view and by the instructor's
class view on the hub. tests/test_progress.py checks that it lists exactly the checkers in
course_utils.checks_NN, in their order, and that each notebook calls its checkers.
"""

from __future__ import annotations

# (notebook file stem, short title, ((exercise name, what it asks), ...)); the exercise id is
# '<first two characters of the stem>.<name>', checked by check_<name> in checks_<NN>.py.
NOTEBOOKS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("00_start_here", "Start here", (
        ("dense_tanh", "a dense layer, tanh(Wx + b)"),
        ("output_size", "the size of a layer's output"))),
    ("01_feedforward_vs_recurrent", "Feed-forward vs recurrent", (
        ("rnn_step", "one step of the recurrence"),
        ("param_count", "an RNN's parameter count"))),
    ("02_gym_schedule_one_hot", "The gym schedule, one-hot", (
        ("encode", "one-hot encode a workout"),
        ("predict_next", "predict tomorrow's workout"),
        ("fill_missed", "fill in missed days"))),
    ("03_backprop_through_time", "Backpropagation through time", (
        ("backward_step", "one backward step"),
        ("step_gradient", "a two-step gradient by hand"),
        ("smallest_window", "the smallest truncation window"))),
    ("04_vanishing_exploding_gradients", "Vanishing and exploding gradients", (
        ("step_jacobian", "the step Jacobian"),
        ("horizon", "the gradient's horizon"),
        ("clip", "gradient clipping"))),
    ("05_lstm_gates", "LSTM gates", (
        ("cell_update", "the cell update"),
        ("held_cell", "a cell that holds"),
        ("leaky_cell", "a cell that leaks"),
        ("lstm_step", "a whole LSTM step"))),
    ("06_mice_and_cat_story", "The mice and the cat", (
        ("windows", "training windows from the story"),
        ("ambiguous", "contexts with two next words"),
        ("ceiling", "the best possible accuracy"))),
    ("07_rnn_shapes_and_bidirectional", "RNN shapes and bidirectional", (
        ("gru_shapes", "a GRU's output shapes"),
        ("final_states", "both directions' final states"),
        ("param_count", "a deep bidirectional RNN's parameters"))),
    ("08_the_time_machine", "A real book: The Time Machine", (
        ("perplexity", "perplexity from log-probabilities"),
        ("kneser_ney", "one level of Kneser–Ney smoothing"),
        ("tracking_unit", "a unit that counts a word's letters"))),
)


def exercise_ids() -> list[str]:
    """Every exercise id in course order ('00.dense_tanh', ..., '08.tracking_unit')."""
    return [f"{stem[:2]}.{name}" for stem, _, exercises in NOTEBOOKS for name, _ in exercises]


def exercise_labels() -> dict[str, str]:
    """Exercise id → 'NN name: what it asks'."""
    return {f"{stem[:2]}.{name}": f"{stem[:2]} {name}: {what}"
            for stem, _, exercises in NOTEBOOKS for name, what in exercises}
