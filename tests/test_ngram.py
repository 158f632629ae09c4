"""Interpolated Kneser–Ney character n-grams: a proper distribution for every context, the same numbers as a
brute-force count, and the course's figures on the novel."""

import collections
import math

import numpy as np
import pytest

from course_utils.corpus import novel_vocabulary, time_machine
from course_utils.ngram import KneserNey, fit_orders, seen_contexts

TINY = "abracadabra cadabra abba"


def _ids(text):
    symbols = sorted(set(TINY + "xyz"))          # a vocabulary with symbols the text never uses
    return np.array([symbols.index(c) for c in text]), len(symbols)


def _brute_force_kn(train, order, vocab_size):
    """Interpolated Kneser–Ney written from the formula with dictionaries and loops (no numpy tables)."""
    levels = []
    for k in range(order):
        if k == order - 1:
            counts = collections.Counter(tuple(train[i - k:i + 1]) for i in range(k, len(train)))
        else:
            longer = {tuple(train[i - k - 1:i + 1]) for i in range(k + 1, len(train))}
            counts = collections.Counter(g[1:] for g in longer)
        n1 = sum(1 for c in counts.values() if c == 1)
        n2 = sum(1 for c in counts.values() if c == 2)
        levels.append((counts, n1 / (n1 + 2 * n2) if n1 else 0.5))

    def prob(history, w):
        p = 1.0 / vocab_size
        for k, (counts, D) in enumerate(levels):
            if len(history) < k:
                break
            h = tuple(history[len(history) - k:]) if k else ()
            total = sum(c for g, c in counts.items() if g[:-1] == h)
            if total == 0:
                continue
            types = sum(1 for g in counts if g[:-1] == h)
            p = (max(counts.get(h + (w,), 0) - D, 0) + D * types * p) / total
        return p
    return prob


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_a_brute_force_count_on_a_tiny_text(order):
    ids, V = _ids(TINY)
    model, reference = KneserNey(ids, order, V), _brute_force_kn(list(ids), order, V)
    test_ids, _ = _ids("cadabra abracax")
    expected = [math.log(reference(list(test_ids[max(0, i - order + 1):i]), int(test_ids[i])))
                for i in range(len(test_ids))]
    assert np.allclose(model.log_probs(test_ids), expected, atol=1e-12)
    assert math.isclose(model.perplexity(test_ids), math.exp(-np.mean(expected[1:])), rel_tol=1e-12)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_probabilities_sum_to_one_for_every_seen_context(order):
    ids, V = _ids(TINY)
    model = KneserNey(ids, order, V)
    contexts = {tuple(ids[i - order + 1:i]) for i in range(order - 1, len(ids))}
    for context in contexts:
        probs = model.next_probs(np.array(context, dtype=np.int64))
        assert probs.shape == (V,) and np.all(probs > 0) and math.isclose(probs.sum(), 1.0, rel_tol=1e-12)


def test_probabilities_sum_to_one_for_the_novels_seen_contexts():
    vocab = novel_vocabulary()
    train = vocab.encode(time_machine()["train"])
    model = KneserNey(train, 6, len(vocab))
    for start in range(5, len(train), 9973):     # contexts spread over the book
        assert math.isclose(model.next_probs(train[start - 5:start]).sum(), 1.0, rel_tol=1e-12)


def test_an_unseen_context_falls_back_to_the_lowest_level():
    ids, V = _ids(TINY)
    model = KneserNey(ids, 3, V)
    assert np.allclose(model.next_probs(_ids("zz")[0]), model.next_probs(np.array([], dtype=np.int64)))


def test_the_discount_is_neys_estimate_from_the_counts_of_counts():
    ids, V = _ids(TINY)
    top = collections.Counter(zip(ids, ids[1:]))
    n1, n2 = sum(c == 1 for c in top.values()), sum(c == 2 for c in top.values())
    assert math.isclose(KneserNey(ids, 2, V).levels[1].discount, n1 / (n1 + 2 * n2))


def test_on_the_novel_six_characters_of_context_beat_one_and_the_best_order_is_five_to_seven():
    vocab = novel_vocabulary()
    ids = {k: vocab.encode(t) for k, t in time_machine().items()}
    models = fit_orders(ids["train"], ids["val"], range(1, 9), len(vocab))
    val = {n: ppl for n, (_, ppl) in models.items()}
    assert all(val[n + 1] < val[n] for n in range(1, 5))       # each extra character helps up to order 5
    assert min(val, key=val.get) in (5, 6, 7) and 4.0 < min(val.values()) < 4.4
    assert 20 < val[1] < 22


def test_models_fitted_together_give_the_same_probabilities_as_models_fitted_alone():
    ids, V = _ids(TINY)
    together = fit_orders(ids, ids[:12], range(1, 6), V)
    for n, (model, _) in together.items():
        alone = KneserNey(ids, n, V)
        assert np.array_equal(model.log_probs(ids), alone.log_probs(ids))


@pytest.mark.parametrize("length", [1, 2, 4])
def test_seen_contexts_agree_with_a_search_of_the_training_text(length):
    train, other = "abracadabra", "cadabrxabbra"
    ids, _ = _ids(train)
    others, _ = _ids(other)
    expected = [i >= length and other[i - length:i] in train for i in range(len(other))]
    assert seen_contexts(ids, others, length).tolist() == expected


@pytest.mark.parametrize("order", [0, 9, 2.5, True])
def test_an_impossible_order_gets_a_message(order):
    with pytest.raises(ValueError, match="order must be a whole number 1..8"):
        KneserNey(np.arange(10), order, 10)


def test_ids_outside_the_vocabulary_get_a_message():
    with pytest.raises(ValueError, match="each in 0..4"):
        KneserNey(np.arange(10), 2, 5)
