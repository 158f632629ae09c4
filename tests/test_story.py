"""The story's facts, its windows and ceiling, the widget's input parser, and the better set-up's model."""

from __future__ import annotations

import collections
import random

import numpy as np
import pytest
import torch

from course_utils.story import (STORY, accuracy_ceiling, ambiguous_contexts, build_vocabulary,
                                parse_context, tutorial_offsets, split_words, story_tokens, story_windows)
from course_utils.lstm import lstm_gates
from course_utils.story_model import StoryLSTM, TutorialLSTM, fit_full_batch, generate, window_accuracy

TOKENS = story_tokens()
WORD_TO_ID, ID_TO_WORD = build_vocabulary(TOKENS)
IDS = [WORD_TO_ID[t] for t in TOKENS]


def story_tensors() -> tuple[torch.Tensor, torch.Tensor]:
    X, y = story_windows(IDS)
    return torch.tensor(X), torch.tensor(y)


def test_story_has_204_tokens_and_112_symbols():
    assert len(TOKENS) == 204
    assert len(WORD_TO_ID) == len(ID_TO_WORD) == 112


def test_vocabulary_is_ordered_by_frequency_like_the_seed():
    counts = [TOKENS.count(w) for w in ID_TO_WORD]
    assert counts == sorted(counts, reverse=True)
    assert ID_TO_WORD[:2] == [",", "the"]


def test_story_has_201_windows_of_three_words():
    X, y = story_windows(IDS)
    assert X.shape == (201, 3) and y.shape == (201,)
    assert [ID_TO_WORD[k] for k in X[0]] == ["long", "ago", ","] and ID_TO_WORD[y[0]] == "the"
    assert ID_TO_WORD[y[-1]] == "."


def test_windows_reject_too_short_sequences():
    with pytest.raises(ValueError, match="longer than 3"):
        story_windows([1, 2, 3])


def test_story_has_two_ambiguous_contexts():
    assert ambiguous_contexts(TOKENS) == {("the", "cat", "."): ["by", "some"],
                                          ("up", "and", "said"): ["he", "that"]}


def test_no_model_can_exceed_199_of_201():
    assert accuracy_ceiling(TOKENS) == (199, 201)


def test_tutorial_offsets_stride_four_and_stay_inside_the_story():
    offsets = tutorial_offsets(204, 500, rng=random.Random(1))
    assert min(offsets) >= 0 and max(offsets) <= 200
    assert offsets[0] <= 4 and offsets[1] - offsets[0] == 4
    assert len(set(offsets)) > 150  # restarts at random offsets reach most windows


def test_tutorial_offsets_reach_every_one_of_the_201_windows_including_the_last():
    offsets = tutorial_offsets(204, 2000, rng=random.Random(1))
    assert set(offsets) == set(range(201))  # offset 200: "propose impossible remedies" -> "."


def test_split_words_matches_the_seed_on_the_story():
    assert split_words(STORY) == TOKENS


@pytest.mark.parametrize("text", ["the mice had", "  The   MICE had  ", "the\tmice\nhad"])
def test_parser_accepts_odd_spacing_and_case(text):
    assert parse_context(text, WORD_TO_ID) == [WORD_TO_ID[w] for w in ("the", "mice", "had")]


def test_parser_splits_punctuation_from_words():
    assert parse_context("the cat.", WORD_TO_ID) == [WORD_TO_ID[w] for w in ("the", "cat", ".")]


@pytest.mark.parametrize("mark", list(",.?!;:"))
def test_split_words_splits_off_every_punctuation_mark(mark):
    assert split_words(f"Cat{mark}mice") == ["cat", mark, "mice"]


@pytest.mark.parametrize("text, words", [("ago, the", ("ago", ",", "the")), ("the cat?", ("the", "cat", "?"))])
def test_parser_splits_commas_and_question_marks_from_words(text, words):
    assert parse_context(text, WORD_TO_ID) == [WORD_TO_ID[w] for w in words]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_parser_rejects_empty_input(text):
    with pytest.raises(ValueError, match="type 3 words"):
        parse_context(text, WORD_TO_ID)


@pytest.mark.parametrize("text, count", [("the mice", 2), ("mice", 1), ("the mice had a", 4),
                                         ("long ago , the", 4)])
def test_parser_names_the_wrong_word_count(text, count):
    with pytest.raises(ValueError, match=f"exactly 3 words; you typed {count}"):
        parse_context(text, WORD_TO_ID)


def test_parser_names_unknown_words_and_suggests_known_ones():
    with pytest.raises(ValueError) as error:
        parse_context("the mouses had", WORD_TO_ID)
    assert "'mouses'" in str(error.value) and "'mouse'" in str(error.value)


def test_parser_names_every_unknown_word_even_without_suggestion():
    with pytest.raises(ValueError) as error:
        parse_context("the dog xyzzy", WORD_TO_ID)
    assert "'dog'" in str(error.value) and "'xyzzy'" in str(error.value)
    assert "no close word" in str(error.value)


@pytest.mark.parametrize("value", [None, 3, ["the", "mice", "had"]])
def test_parser_rejects_non_text(value):
    with pytest.raises(ValueError, match="as text"):
        parse_context(value, WORD_TO_ID)


def test_generate_rejects_a_bad_length():
    model = StoryLSTM(112)
    with pytest.raises(ValueError, match="whole number"):
        generate(model, [0, 1, 2], ID_TO_WORD, n_words=-1)


def test_generate_gives_sorted_top5_and_continuation():
    torch.manual_seed(0)
    answer = generate(StoryLSTM(112), [0, 1, 2], ID_TO_WORD, n_words=7, top_k=5)
    assert len(answer.top_words) == 5 and len(answer.continuation) == 7
    assert answer.top_probs == sorted(answer.top_probs, reverse=True)


def test_the_better_setup_model_reaches_the_ceiling_within_a_second():
    torch.manual_seed(0)
    X, y = story_tensors()
    model = StoryLSTM(112, embed=16, hidden=64, n_layers=1)
    fit = fit_full_batch(model, X, y, target=199 / 201, lr=3e-2, max_epochs=300)
    assert round(window_accuracy(model, X, y) * 201) == 199
    assert fit.seconds[-1] < 5.0  # typically 0.1–0.3 s on one thread
    assert fit.time_to(199 / 201) is not None


def test_tutorial_model_feeds_each_id_as_one_float():
    model = TutorialLSTM(112, hidden=8, n_layers=2)
    assert model.lstm.input_size == 1 and model.lstm.num_layers == 2
    assert model(torch.tensor([[0, 5, 111]])).shape == (1, 112)


def test_tutorial_model_adds_the_forget_bias_of_one_to_the_forget_gate_rows_only():
    hidden = 64  # torch's gate rows: i, f, g, o; its initial biases lie in ±1/8 each
    model = TutorialLSTM(112, hidden=hidden, n_layers=2)
    for layer in range(2):
        total = (getattr(model.lstm, f"bias_ih_l{layer}") + getattr(model.lstm, f"bias_hh_l{layer}")).detach()
        i, f, g, o = total.reshape(4, hidden)
        assert torch.all((f > 0.75) & (f < 1.25)), layer
        assert torch.all(torch.cat([i, g, o]).abs() <= 0.25), layer


def test_course_lstm_gates_match_the_story_model_on_a_passage():
    torch.manual_seed(0)
    model = StoryLSTM(112, embed=8, hidden=16, n_layers=2)
    passage = torch.tensor(IDS[50:64])
    with torch.no_grad():
        embedded = model.embed(passage)
        h_torch = model.lstm(embedded.unsqueeze(0))[0][0].numpy()
    gates = lstm_gates(model.lstm, embedded, layer=1)
    np.testing.assert_allclose(gates["h"], h_torch, atol=1e-5)
    assert all(v.shape == (14, 16) for v in gates.values())


def _held_out_split():
    from course_utils.story import build_vocabulary, story_tokens, story_windows

    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    X, y = story_windows([word_to_id[w] for w in tokens])
    return X[:160], y[:160], X[160:], y[160:]


def test_last_word_lookup_scores_8_of_the_41_unseen_windows():
    from course_utils.lookup import lookup_predictions

    X_tr, y_tr, X_new, y_new = _held_out_split()
    assert (lookup_predictions(X_tr[:, -1], y_tr, X_new[:, -1]) == y_new).sum() == 8


def test_lookup_takes_the_most_frequent_follower_and_falls_back_to_the_most_common_target():
    from course_utils.lookup import lookup_predictions

    X_tr = np.array([[0, 1], [2, 1], [3, 1], [4, 5]])
    y_tr = np.array([7, 8, 8, 9])
    assert lookup_predictions(X_tr[:, -1], y_tr, np.array([1, 6])).tolist() == [8, 8]
    assert lookup_predictions(X_tr, y_tr, np.array([[4, 5], [3, 1], [0, 0]])).tolist() == [9, 8, 8]


def test_three_unseen_windows_repeat_a_training_context():
    from course_utils.story import context_seen_in_training

    X_tr, _, X_new, _ = _held_out_split()
    assert np.flatnonzero(context_seen_in_training(X_tr, X_new)).tolist() == [2, 3, 4]   # mouse got up, got up and, up and said


def test_long_runs_of_the_tutorial_setup_ship_with_the_course():
    from course_utils.story_model import TUTORIAL_SETUP_RUNS, load_tutorial_setup_runs

    runs = load_tutorial_setup_runs()
    assert TUTORIAL_SETUP_RUNS.stat().st_size <= 200_000
    assert len({run["seed"] for run in runs}) >= 3
    for run in runs:
        assert run["steps"] == 50_000 and len(run["running_accuracy"]) == 50
        assert len(run["eval_steps"]) == len(run["all_window_accuracy"]) == 100


def test_tf1_rmsprop_first_step_is_lr_g_over_root_of_rho_plus_g_squared():
    from course_utils.story_model import TF1RMSprop

    g = torch.tensor([0.01, -0.3, 2.0], dtype=torch.float64)
    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = TF1RMSprop([w], lr=1e-3, rho=0.9, eps=1e-10)
    w.grad = g.clone()
    opt.step()
    expected = -1e-3 * g / torch.sqrt(0.9 + 0.1 * g ** 2 + 1e-10)
    assert torch.allclose(w.detach(), expected, rtol=1e-12, atol=0)


def test_torch_rmsprop_first_step_is_a_sign_step_of_lr_over_root_of_one_minus_rho():
    g = torch.tensor([0.01, -0.3, 2.0], dtype=torch.float64)
    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.RMSprop([w], lr=1e-3, alpha=0.9, eps=1e-10)
    w.grad = g.clone()
    opt.step()
    assert torch.allclose(w.detach(), -1e-3 / 0.1 ** 0.5 * torch.sign(g), rtol=1e-6, atol=0)


def test_tf1_init_draws_glorot_uniform_kernels_zero_biases_and_forget_bias_one():
    from course_utils.story_model import TutorialLSTM

    torch.manual_seed(0)
    model = TutorialLSTM(112, hidden=64, n_layers=2, init="tf1")
    for layer, n_in in [(0, 1), (1, 64)]:
        limit = (6 / (n_in + 64 + 4 * 64)) ** 0.5
        kernel = torch.cat([getattr(model.lstm, f"weight_ih_l{layer}").flatten(),
                            getattr(model.lstm, f"weight_hh_l{layer}").flatten()])
        assert kernel.abs().max() <= limit and kernel.abs().max() > 0.95 * limit
        assert abs(kernel.std().item() - limit / 3 ** 0.5) < 0.05 * limit
        bias = getattr(model.lstm, f"bias_ih_l{layer}") + getattr(model.lstm, f"bias_hh_l{layer}")
        assert torch.equal(bias, torch.cat([torch.zeros(64), torch.ones(64), torch.zeros(128)]))


def test_default_init_seed_lstm_has_no_forget_bias_and_a_small_read_out():
    from course_utils.story_model import TutorialLSTM

    torch.manual_seed(0)
    model = TutorialLSTM(112, hidden=64, n_layers=1, init="default")
    assert model.lstm.bias_hh_l0.abs().max() <= 1 / 64 ** 0.5
    assert model.out.weight.abs().max() <= 1 / 64 ** 0.5


def test_seed_lstm_rejects_an_unknown_init():
    from course_utils.story_model import TutorialLSTM

    with pytest.raises(ValueError, match="init must be one of"):
        TutorialLSTM(112, hidden=8, n_layers=1, init="glorot")


def test_tutorial_setup_loop_runs_with_tf1_rmsprop():
    from course_utils.story_model import TutorialLSTM, train_tutorial_setup

    tokens = story_tokens()
    word_to_id, _ = build_vocabulary(tokens)
    X, y = (torch.tensor(a) for a in story_windows([word_to_id[w] for w in tokens]))
    torch.manual_seed(0)
    run = train_tutorial_setup(TutorialLSTM(112, hidden=16, n_layers=1, init="tf1"), X, y, [0, 4, 8], eval_every=3,
                           optimizer="tf1")
    assert len(run.correct) == 3 and len(run.eval_accuracy) == 1


def test_word_sampling_at_a_tiny_temperature_is_greedy_and_at_one_follows_the_model():
    from course_utils.sampling import sample_window_ids

    probs = np.array([0.1, 0.6, 0.3])
    assert sample_window_ids(lambda window: probs, [0, 0, 0], 50, temperature=1e-3) == [1] * 50
    drawn = sample_window_ids(lambda window: probs, [0, 0, 0], 20_000, temperature=1.0, seed=1)
    assert np.allclose(np.bincount(drawn, minlength=3) / 20_000, probs, atol=0.015)


def test_word_sampling_slides_the_window():
    from course_utils.sampling import sample_window_ids

    seen = []
    sample_window_ids(lambda window: seen.append(list(window)) or np.array([0.0, 1.0]), [7, 8, 9], 2, 0.5)
    assert seen == [[7, 8, 9], [8, 9, 1]]


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan"), "hot", None])
def test_word_sampling_rejects_a_bad_temperature_with_a_message(temperature):
    from course_utils.sampling import sample_window_ids

    with pytest.raises(ValueError, match="temperature"):
        sample_window_ids(lambda window: np.array([0.5, 0.5]), [0, 0, 0], 3, temperature)


def test_the_last_word_table_gets_8_of_41_with_ties_going_to_the_more_common_word():
    from course_utils.lookup import lookup_predictions

    tokens = story_tokens()
    word_to_id, id_to_word = build_vocabulary(tokens)
    X, y = story_windows([word_to_id[w] for w in tokens])
    counts = collections.Counter(tokens)
    assert all(counts[a] >= counts[b] for a, b in zip(id_to_word, id_to_word[1:]))   # smaller id = more common
    right = lookup_predictions(X[:160, -1:], y[:160], X[160:, -1:]) == y[160:]
    table = collections.defaultdict(collections.Counter)
    for last, nxt in zip(X[:160, -1], y[:160]):
        table[last][nxt] += 1
    rarer = [max((k for k, c in table[last].items() if c == max(table[last].values())), default=None)
             for last in X[160:, -1]]
    rarer = [np.bincount(y[:160]).argmax() if r is None else r for r in rarer]
    assert right.sum() == 8 and (np.array(rarer) == y[160:]).sum() < 8                  # the tie-break matters
