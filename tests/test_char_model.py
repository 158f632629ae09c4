"""The character LSTM trained like a book (truncated BPTT on stateful batches, clipping, early stopping), the
shipped model and runs, temperature sampling and the per-position analysis."""

import json
import math

import numpy as np
import pytest
import torch

from course_utils.char_analysis import inside_quotes, line_position, loss_breakdown, position_features, unit_correlations
from course_utils.char_model import (MODEL_FILE, CharLSTM, detach, load_model, rows_perplexity, save_model,
                                     stream_log_probs, train_stateful)
from course_utils.corpus import novel_text, novel_vocabulary, stateful_batches, time_machine
from course_utils.ngram import KneserNey
from course_utils.sampling import (check_prompt, check_temperature, finished_words, invented_share, sample_text,
                                   temperature_probs)

RUNS_FILE = MODEL_FILE.parent / "time_machine_runs.json"
VOCAB = novel_vocabulary()
IDS = {k: VOCAB.encode(t) for k, t in time_machine().items()}


def test_the_shipped_model_reproduces_its_shipped_test_perplexity():
    model, saved = load_model()
    runs = json.loads(RUNS_FILE.read_text())
    shipped = next(r for r in runs["runs"] if r["seed"] == runs["shipped_seed"])
    perplexity = math.exp(-stream_log_probs(model, IDS["test"])[0].mean())
    assert math.isclose(perplexity, saved["test_perplexity"], rel_tol=1e-3)
    assert math.isclose(perplexity, shipped["test_perplexity"], rel_tol=1e-3)


def test_the_shipped_model_is_small_and_float16():
    _, saved = load_model()
    assert MODEL_FILE.stat().st_size < 2e6
    assert all(w.dtype == torch.float16 for w in saved["weights"].values())


def test_the_shipped_runs_stopped_on_validation_and_kept_their_best_step():
    runs = json.loads(RUNS_FILE.read_text())["runs"]
    assert len(runs) >= 5
    for run in runs:
        best = int(np.argmin(run["val_perplexity"]))
        assert run["steps"][best] == run["best_step"]


def test_stream_log_probs_equal_torch_cross_entropy_over_the_whole_sequence():
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=32).eval()
    ids = IDS["val"][:700]
    log_probs, hidden = stream_log_probs(model, ids, chunk=128)          # read in pieces, state carried
    logits, _ = model(torch.as_tensor(ids[:-1])[None])
    loss = torch.nn.functional.cross_entropy(logits[0].double(), torch.as_tensor(ids[1:]), reduction="none")
    assert np.allclose(-log_probs, loss.detach().numpy(), atol=1e-5) and hidden.shape == (699, 32)


def test_detach_cuts_the_gradient_at_the_batch_boundary():
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=16, dropout=0.0)
    (X1, _), (X2, Y2) = stateful_batches(IDS["train"][:2000], 4, 8)[:2]
    emb = model.embed(X1).detach().requires_grad_(True)
    _, state = model.lstm(emb)
    out, _ = model.lstm(model.embed(X2), detach(state))
    model.out(out).sum().backward()
    assert emb.grad is None                                      # nothing flowed back into the previous batch
    _, state = model.lstm(emb)
    out, _ = model.lstm(model.embed(X2), state)
    model.out(out).sum().backward()
    assert emb.grad is not None and emb.grad.abs().sum() > 0      # without detach, it does


def test_a_short_training_lowers_validation_perplexity_and_keeps_the_best_weights():
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=64)
    history = train_stateful(model, IDS["train"][:20000], IDS["val"][:3000], batch_size=16, num_steps=32,
                             max_steps=40, eval_every=10, progress=False)
    assert history.steps == [10, 20, 30, 40] and history.val_perplexity[-1] < history.val_perplexity[0] < 75
    assert math.isclose(rows_perplexity(model, IDS["val"][:3000]), history.best_val, rel_tol=1e-6)


def test_early_stopping_stops_after_patience_evaluations_without_progress():
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=16)
    history = train_stateful(model, IDS["train"][:5000], IDS["val"][:2000], batch_size=4, num_steps=16, lr=0.0,
                             max_steps=500, eval_every=5, patience=2, progress=False)
    assert history.stopped_early and history.steps == [5, 10, 15]


def test_save_and_load_round_trip_in_float16(tmp_path):
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=16)
    save_model(model, tmp_path / "m.pt", note="x")
    loaded, saved = load_model(tmp_path / "m.pt")
    assert saved["note"] == "x" and saved["config"] == model.config
    for (name, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.allclose(a, b, atol=1e-3), name


def test_temperature_probs_are_the_softmax_of_logits_over_t():
    logits = np.array([2.0, 0.5, -1.0, 0.0])
    probs = np.exp(logits) / np.exp(logits).sum()
    for T in (0.25, 1.0, 3.0):
        assert np.allclose(temperature_probs(probs, T), np.exp(logits / T) / np.exp(logits / T).sum())
    assert temperature_probs(probs, 1e-3).argmax() == 0 and temperature_probs(probs, 1e-3).max() > 0.999


def test_a_tiny_temperature_gives_the_most_probable_character_not_nan():
    probs = np.array([0.5, 0.3, 0.2, 0.0])
    for T in (1e-320, 5e-324, 1e-30):
        assert temperature_probs(probs, T).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert temperature_probs(np.array([0.4, 0.4, 0.2]), 1e-320).tolist() == [0.5, 0.5, 0.0]   # ties share
    kn = KneserNey(IDS["train"], 4, len(VOCAB))
    assert sample_text(kn, VOCAB, "The Time Travelle", n_chars=5, temperature=1e-320) == \
        sample_text(kn, VOCAB, "The Time Travelle", n_chars=5, temperature=1e-3)


@pytest.mark.parametrize("bad, words", [(0, "> 0"), (-1.0, "> 0"), (float("nan"), "finite"), (float("inf"), "finite"),
                                        ("hot", "a number"), (True, "a number"), (None, "a number")])
def test_bad_temperatures_get_a_clear_message(bad, words):
    with pytest.raises(ValueError, match=words):
        check_temperature(bad)


@pytest.mark.parametrize("bad, words", [("", "empty"), (None, "string"), ("Hello {world}", r"\['\{', '\}'\]"),
                                        ('He said "yes"', "Straight quotes")])
def test_bad_prompts_get_a_clear_message(bad, words):
    with pytest.raises(ValueError, match=words):
        check_prompt(bad, VOCAB)


def test_sampling_from_both_models_is_reproducible_and_starts_with_the_prompt():
    torch.manual_seed(0)
    lstm, kn = CharLSTM(len(VOCAB), hidden=16), KneserNey(IDS["train"], 4, len(VOCAB))
    for model in (lstm, kn):
        a = sample_text(model, VOCAB, "The Time ", n_chars=40, temperature=0.8, seed=3)
        assert a == sample_text(model, VOCAB, "The Time ", n_chars=40, temperature=0.8, seed=3)
        assert a.startswith("The Time ") and len(a) == 49 and VOCAB.unknown(a) == []
    with pytest.raises(ValueError, match="whole number"):
        sample_text(kn, VOCAB, "The", n_chars=0)


def test_a_cold_ngram_sample_follows_the_most_probable_character():
    kn = KneserNey(IDS["train"], 4, len(VOCAB))
    text = sample_text(kn, VOCAB, "The Time Travelle", n_chars=1, temperature=0.01)
    assert text.endswith("r")


def test_inside_quotes_follows_the_last_mark_within_the_paragraph_over_the_whole_novel():
    text = novel_text()
    state, expected = 0.0, []
    for i, char in enumerate(text):
        expected.append(state)
        new_paragraph = char == "\n" and i > 0 and text[i - 1] == "\n"
        state = 0.0 if new_paragraph else 1.0 if char == "“" else 0.0 if char == "”" else state
    assert inside_quotes(text).tolist() == expected


def test_inside_quotes_and_line_position_on_a_small_text():
    text = "a “b\nc” d“e"
    assert inside_quotes(text).tolist() == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1]
    assert line_position(text).tolist() == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5]


def test_a_paragraph_break_ends_a_quotation():
    assert inside_quotes("“a\n\nb").tolist() == [0, 1, 1, 1, 0]


def test_a_closing_quote_pairs_with_the_last_opening_one_in_its_paragraph():
    text = "“a\n\n“bb “c”"          # the first “ is never closed; its paragraph ends
    distance = np.flatnonzero(position_features(text)["closing quote, opened < 100 chars before"])
    assert distance.tolist() == [10]
    from course_utils.char_analysis import _quote_distance
    assert _quote_distance(text)[10] == 2 and _quote_distance("“a\n\nb”")[-1] == 0


def test_position_features_mark_each_kind_of_position():
    text = "“Yes,” he said.\nThen a wonderful thing.\n\nNext"
    features = position_features(text)
    assert np.flatnonzero(features["closing quote, opened < 100 chars before"]).tolist() == [5]
    assert np.flatnonzero(features["line break (end of a line)"]).tolist() == [15, 39]
    assert np.flatnonzero(features["first char after a line break"]).tolist() == [16]
    assert np.flatnonzero(features["first char of a paragraph"]).tolist() == [0, 41]   # the text starts one
    assert "".join(np.array(list(text))[features["second half of a long word (≥ 8 letters)"]]) == "erful"


def test_unit_correlations_equal_numpy_corrcoef():
    rng = np.random.default_rng(0)
    hidden, feature = rng.normal(size=(200, 5)), rng.normal(size=200)
    expected = [np.corrcoef(hidden[:, u], feature)[0, 1] for u in range(5)]
    assert np.allclose(unit_correlations(hidden, feature), expected)


def test_loss_breakdown_gap_is_the_difference_of_mean_losses():
    a, b = np.log([0.5, 0.25, 0.5, 0.1]), np.log([0.25, 0.25, 0.5, 0.5])
    row = loss_breakdown(a, b, {"all": np.ones(4, bool)})[0]
    assert row.count == 4 and math.isclose(row.gap, (-b).mean() - (-a).mean())
    with pytest.raises(ValueError, match="different numbers"):
        loss_breakdown(a, b[:3], {"all": np.ones(4, bool)})


def test_cell_states_match_the_reference_lstm_and_torch():
    from course_utils.char_model import cell_states
    from course_utils.lstm import lstm_gates
    torch.manual_seed(1)
    model = CharLSTM(len(VOCAB), hidden=24).eval()
    ids = IDS["val"][:301]
    h, c = cell_states(model, ids)
    with torch.no_grad():
        gates = lstm_gates(model.lstm, model.embed(torch.as_tensor(ids[:-1])))
        _, (_, c_T) = model.lstm(model.embed(torch.as_tensor(ids[:-1]))[None])
    assert np.abs(c - gates["c"]).max() < 1e-5 and np.abs(h - gates["h"]).max() < 1e-5
    assert np.abs(c[-1] - c_T[0, 0].numpy()).max() < 1e-5


def test_next_char_probs_are_distributions_that_give_the_stream_log_probs():
    from course_utils.char_model import next_char_probs
    torch.manual_seed(0)
    model = CharLSTM(len(VOCAB), hidden=16).eval()
    ids = IDS["test"][:400]
    probs = next_char_probs(model, ids)
    assert probs.shape == (399, len(VOCAB)) and np.allclose(probs.sum(1), 1)
    assert np.allclose(np.log(probs[np.arange(399), ids[1:]]), stream_log_probs(model, ids)[0], atol=1e-5)


def test_ngram_symbol_probs_are_the_probabilities_of_that_symbol():
    kn = KneserNey(IDS["train"], 4, len(VOCAB))
    ids = IDS["test"][:60]
    newline = VOCAB.index["\n"]
    expected = [kn.next_probs(ids[max(0, i - 3):i])[newline] for i in range(1, 60)]
    assert np.allclose(kn.symbol_probs(ids, newline)[1:], expected, rtol=1e-12)


def test_word_and_sentence_counters():
    from course_utils.char_analysis import letters_into_word, since_sentence_end
    assert letters_into_word("Go on, Filby.").tolist() == [1, 2, 0, 1, 2, 0, 0, 1, 2, 3, 4, 5, 0]
    assert since_sentence_end("Yes. No!").tolist() == [1, 2, 3, 0, 1, 2, 3, 0]


def test_finished_words_are_lowercase_letter_runs_without_the_cut_off_last_one():
    assert finished_words("The Time-Traveller's eyes\nshone. Thes") == ["the", "time", "traveller", "s", "eyes", "shone"]
    assert finished_words("") == [] and finished_words("no end") == ["no"]


def test_invented_share_counts_the_finished_words_outside_the_known_ones():
    known = set(finished_words(novel_text()))
    assert invented_share(["the machine slathed along ", "inatical time."], known) == 2 / 6
    assert invented_share(["   ", "."], known) == 0.0
