"""A teacher's voice (issue #33): learner text says what typically happens, never how the course measured it.
Every markdown cell, code comment and string literal of every notebook is checked (rules: tests/voice_rules.py);
the rules are tried on bad and good phrases below, so each can fail."""

from pathlib import Path

import nbformat
import pytest

from voice_rules import cell_problems, code_learner_text, voice_problems

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_text_never_names_the_course_machinery_or_praises_itself(path):
    cells = nbformat.read(path, as_version=4).cells
    problems = [p for cell in cells for p in cell_problems(cell, path.name[:2])]
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("bad", [
    "thresholds fitted to UNROLLED_SEED 0–39",
    "at seeds 0–39 the rate is 0.9",
    "seed 0 to 19",
    "at each of the 200 seeds we measured",
    "a rate over 200 runs",
    "40 runs each",
    "measured over 1,000 draws",
    "across hundreds of training runs",
    "each of the 40 runs held",
    "see tests/test_gym.py",
    "checked by pytest",
    "run under nbval",
    "the table comes from benchmarks/recall_rates.py",
    "python recall_rates.py writes it",
    "scripts/strip_notebooks.py strips it",
    "checked by make test-gpu",
    "`make test` runs it",
    "make test-seeds passes",
    "A word of honesty",
    "What was measured, honestly",
    "Measured, not assumed",
    "reproduced honestly",
])
def test_a_bad_phrase_is_caught(bad):
    assert voice_problems(bad, "03"), bad


@pytest.mark.parametrize("good", [
    "held the bit in 5/5 runs",
    "in 19 runs out of 20 it holds",
    "98 draws in 100 keep the gradient below 1",
    "the embedding model needs 12–16 epochs; the float model 13–20 times as many",
    "5 runs each, every run draws its own weights",
    "trains 3 runs here",
    "in {never} of 20 draws; over 1000 more draws of the matrix",
    "we train on 200 random draws and test on all ten",
    "the seed text 'the cat' starts the sample",
    "make sure the shapes match; make the model smaller",
    "the reference is course_utils/lstm.py",
    "the tutorial took Rowel Atienza's `rnn_words.py`",
    "we seed the generator from SEED",
])
def test_a_teachers_phrase_passes(good):
    assert voice_problems(good, "03") == [], good


def test_notebook_00_may_tell_how_to_try_another_seed_but_not_name_test_machinery():
    assert voice_problems("To try another run, start the lab with `UNROLLED_SEED=3 make lab`.", "00") == []
    assert voice_problems("`UNROLLED_SEED=3 make lab`", "01") == ["the seed variable: 'UNROLLED_SEED'",
                                                                  "a make target: 'make lab'"]
    assert voice_problems("make test-seeds runs seeds 0–19", "00") == ["a make target: 'make test-seeds'"]


def test_code_comments_and_printed_strings_are_learner_text_but_code_is_not():
    source = "%time x = 1\nseeds = seed_block(3)  # over 200 runs\nprint(f'{len(seeds)} runs, honestly')\n"
    assert code_learner_text(source) == ["# over 200 runs", " runs, honestly"]


def test_a_problem_names_the_cell_and_the_phrase():
    cell = nbformat.v4.new_markdown_cell("Measured, not assumed.", id="abc123")
    assert cell_problems(cell, "02") == ["cell abc123: self-praise: 'Measured, not assumed'"]
