"""Notebook 06's generation widget: valid input updates the bars in place, bad input gives a message."""

from __future__ import annotations

import time

import pytest
import torch

from course_utils.story import build_vocabulary, story_tokens, story_windows
from course_utils.story_model import StoryLSTM, fit_full_batch
from course_utils.story_widgets import generation_widget


@pytest.fixture(scope="module")
def widget():
    tokens = story_tokens()
    word_to_id, id_to_word = build_vocabulary(tokens)
    X, y = (torch.tensor(a) for a in story_windows([word_to_id[w] for w in tokens]))
    torch.manual_seed(0)
    model = StoryLSTM(112)
    fit_full_batch(model, X, y, target=199 / 201, lr=3e-2, max_epochs=300)
    return generation_widget(model, word_to_id, id_to_word, start="the mice had", n_words=5)


def test_valid_words_update_the_bars_and_the_continuation(widget):
    figure = widget.figure
    assert widget.update(text="long ago ,", n_words=4, temperature=0.05)
    assert widget.figure is figure and figure.data[0].x[0] == "the"
    assert "long ago , <b>the mice had a</b>" == figure.layout.title.text
    assert widget.message.value == ""


@pytest.mark.parametrize("text, words", [("", "type 3 words"), ("the mice", "you typed 2"),
                                         ("the mice had a", "you typed 4"), ("the mouses had", "did you mean"),
                                         ("<b>x</b> y z", "&lt;b&gt;")])
def test_bad_input_gives_a_message_and_keeps_the_figure(widget, text, words):
    widget.update(text="the mice had")
    before = widget.figure.data[0].x
    assert not widget.update(text=text)
    assert words in widget.message.value and widget.figure.data[0].x == before


def test_bad_length_gives_a_message(widget):
    assert not widget.update(n_words=-3) and "whole number" in widget.message.value


def test_update_is_fast(widget):
    times = []
    for _ in range(20):
        start = time.perf_counter()
        widget.update(text="the mice had", n_words=12)
        times.append(time.perf_counter() - start)
    assert sorted(times)[10] < 0.025  # median; the budget is 10 ms, ~2–4 ms measured


@pytest.mark.parametrize("temperature", [0, -0.5, float("nan"), "hot"])
def test_a_bad_temperature_gives_a_message_and_keeps_the_figure(widget, temperature):
    widget.update(text="the mice had")
    before = widget.figure.data[0].x
    assert not widget.update(temperature=temperature)
    assert "temperature" in widget.message.value and widget.figure.data[0].x == before


def test_the_same_draw_gives_the_same_text_and_another_draw_can_differ(widget):
    titles = []
    for draw in (0, 0, 1, 2, 3):
        assert widget.update(text="the cat .", n_words=15, temperature=2.0, draw=draw)
        titles.append(widget.figure.layout.title.text)
    assert titles[0] == titles[1] and len(set(titles[1:])) > 1


def test_a_high_temperature_flattens_the_bars(widget):
    widget.update(text="the mice had", temperature=0.5)
    cold = widget.figure.data[0].y[0]
    widget.update(text="the mice had", temperature=2.0)
    assert widget.figure.data[0].y[0] < cold


def test_a_negative_temperature_in_the_word_widget_speaks_of_words(widget):
    assert not widget.update(temperature=-1)
    assert "most probable word" in widget.message.value and "character" not in widget.message.value
    widget.update(temperature=1.0)


def test_the_character_sampler_of_notebook_08_still_speaks_of_characters():
    from course_utils.corpus import Vocabulary
    from course_utils.ngram import KneserNey
    from course_utils.sampling import sample_text

    vocab = Vocabulary.from_text("the cat sat on the mat. ")
    model = KneserNey(vocab.encode("the cat sat on the mat. " * 3), 3, len(vocab))
    with pytest.raises(ValueError, match="most probable character'"):
        sample_text(model, vocab, "the ", n_chars=5, temperature=-1)
