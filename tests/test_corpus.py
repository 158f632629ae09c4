"""The Time Machine as a corpus: the shipped text, its normalisation, the split, the vocabulary, the batcher."""

import numpy as np
import pytest

from course_utils.corpus import (Vocabulary, normalise, novel_text, novel_vocabulary, sequential_rows,
                                 split_text, stateful_batches, time_machine)


def test_the_novel_ships_without_project_gutenberg_boilerplate():
    text = novel_text()
    assert "gutenberg" not in text.lower() and "*** " not in text and "license" not in text.lower()
    assert text.startswith("The Time Machine\n\nAn Invention\n\nby H. G. Wells\n")
    assert text.endswith("still lived on in the heart of man.\n")


def test_the_data_file_credits_the_author_and_the_edition():
    from course_utils.corpus import TEXT_FILE
    header = TEXT_FILE.read_text(encoding="utf-8").split("=" * 70)[0]
    assert "H. G. Wells" in header and "eBook #35" in header and "not a Project Gutenberg eBook" in header


def test_splits_are_contiguous_80_10_10_by_position():
    text, parts = novel_text(), time_machine()
    assert list(parts) == ["train", "val", "test"]
    assert parts["train"] + parts["val"] + parts["test"] == text
    shares = [len(parts[k]) / len(text) for k in parts]
    assert np.allclose(shares, [0.8, 0.1, 0.1], atol=1e-4)
    assert text.index(parts["val"]) == len(parts["train"])


def test_normalise_keeps_case_and_line_breaks_collapses_spaces_and_blank_lines():
    raw = "\ufeffThe  Time\tMachine \r\n by  H. G. Wells\n\n\n\n“Yes,” he said.  \n"
    assert normalise(raw) == "The Time Machine\nby H. G. Wells\n\n“Yes,” he said.\n"


def test_the_novel_has_75_symbols_ordered_by_frequency_and_every_one_is_in_training():
    vocab, text = novel_vocabulary(), novel_text()
    counts = [text.count(c) for c in vocab.symbols]
    assert len(vocab) == 75 and counts == sorted(counts, reverse=True)
    assert vocab.symbols[:3] == (" ", "e", "t")
    assert vocab.unknown(time_machine()["train"]) == [] and set(vocab.symbols) == set(text)


def test_encode_and_decode_round_trip():
    vocab = novel_vocabulary()
    passage = time_machine()["test"][:500]
    ids = vocab.encode(passage)
    assert ids.dtype == np.int64 and ids.shape == (500,) and vocab.decode(ids) == passage


def test_unknown_characters_are_named_in_the_message():
    with pytest.raises(ValueError, match=r"\['\{', '€'\]"):
        novel_vocabulary().encode("a{b€")


def test_row_b_of_batch_k_plus_1_continues_row_b_of_batch_k():
    ids = np.arange(1000)
    batches = stateful_batches(ids, batch_size=4, num_steps=10, offset=3)
    row_length = (1000 - 1 - 3) // 4
    assert len(batches) == row_length // 10
    for (X, _), (X_next, _) in zip(batches, batches[1:]):
        assert np.array_equal(X_next[:, 0].numpy(), X[:, -1].numpy() + 1)
    first_column = batches[0][0][:, 0].numpy()
    assert np.array_equal(first_column, 3 + row_length * np.arange(4))


def test_targets_are_the_inputs_shifted_by_one_character():
    vocab = novel_vocabulary()
    ids = vocab.encode(time_machine()["val"])
    for X, Y in stateful_batches(ids, batch_size=8, num_steps=16)[:5]:
        assert X.shape == Y.shape == (8, 16)
        assert np.array_equal(X[:, 1:].numpy(), Y[:, :-1].numpy())


def test_the_rows_cover_the_text_without_overlap():
    X, Y = sequential_rows(np.arange(101), 5)
    assert X.shape == (5, 20) and np.array_equal(X.ravel(), np.arange(100)) and np.array_equal(Y.ravel(), np.arange(1, 101))


@pytest.mark.parametrize("args", [(0, 10, 0), (4, 0, 0), (4, 10, 999), (600, 10, 0)])
def test_impossible_batch_layouts_get_a_message(args):
    batch_size, num_steps, offset = args
    with pytest.raises(ValueError, match="batch_size|num_steps|too few"):
        stateful_batches(np.arange(1000), batch_size, num_steps, offset)


def test_vocabulary_from_a_text_breaks_ties_in_code_point_order():
    assert Vocabulary.from_text("bbaac").symbols == ("a", "b", "c")


def test_split_text_of_a_short_text():
    parts = split_text("0123456789")
    assert parts == {"train": "01234567", "val": "8", "test": "9"}


def test_the_novel_length_in_the_docstring_is_the_text_length():
    assert len(novel_text()) == 179_574 and "179,574 characters" in novel_text.__doc__
