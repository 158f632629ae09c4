"""The "belling the cat" story of the Edureka tutorial: tokens, vocabulary, 3-word windows, and input parsing.

The story ships here as a string constant (nothing is downloaded). It is tokenised the tutorial's way:
split on whitespace, with punctuation already written as separate tokens (" , ", " . ", " ? ").
"""

from __future__ import annotations

import collections
import difflib
import random
import re

import numpy as np

STORY = (
    "long ago , the mice had a general council to consider what measures they could take to "
    "outwit their common enemy , the cat . some said this , and some said that but at last a "
    "young mouse got up and said he had a proposal to make , which he thought would meet the "
    "case . you will all agree , said he , that our chief danger consists in the sly and "
    "treacherous manner in which the enemy approaches us . now , if we could receive some signal "
    "of her approach , we could easily escape from her . i venture , therefore , to propose that "
    "a small bell be procured , and attached by a ribbon round the neck of the cat . by this "
    "means we should always know when she was about , and could easily retire while she was in "
    "the neighborhood . this proposal met with general applause , until an old mouse got up and "
    "said that is all very well , but who is to bell the cat ? the mice looked at one another and "
    "nobody spoke . then the old mouse said it is easy to propose impossible remedies ."
)

N_INPUT = 3  # the tutorial's n_input: words of context per prediction
PUNCTUATION = ",.?!;:"


def story_tokens(text: str = STORY) -> list[str]:
    """The tutorial's tokenisation: the text split on whitespace (204 tokens for the story)."""
    return text.split()


def build_vocabulary(tokens: list[str]) -> tuple[dict[str, int], list[str]]:
    """The tutorial's dictionary: ids by decreasing frequency (ties in order of first appearance).

    Returns (word_to_id, id_to_word).
    """
    id_to_word = [word for word, _ in collections.Counter(tokens).most_common()]
    return {word: k for k, word in enumerate(id_to_word)}, id_to_word


def story_windows(ids: list[int] | np.ndarray, n_input: int = N_INPUT) -> tuple[np.ndarray, np.ndarray]:
    """Every window of n_input ids and the id that follows: X (N, n_input), y (N,), N = len - n_input."""
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim != 1 or len(ids) <= n_input:
        raise ValueError(f"need a 1-D sequence longer than {n_input} ids, got shape {ids.shape}")
    X = np.stack([ids[k:k + n_input] for k in range(len(ids) - n_input)])
    return X, ids[n_input:].copy()


def next_words(tokens: list[str], n_input: int = N_INPUT) -> dict[tuple[str, ...], collections.Counter]:
    """For every context of n_input words in tokens: a Counter of the words that follow it."""
    followers: dict[tuple[str, ...], collections.Counter] = collections.defaultdict(collections.Counter)
    for k in range(len(tokens) - n_input):
        followers[tuple(tokens[k:k + n_input])][tokens[k + n_input]] += 1
    return dict(followers)


def ambiguous_contexts(tokens: list[str], n_input: int = N_INPUT) -> dict[tuple[str, ...], list[str]]:
    """Contexts followed by more than one different word: {context: sorted next words}."""
    return {context: sorted(counts) for context, counts in next_words(tokens, n_input).items()
            if len(counts) > 1}


def accuracy_ceiling(tokens: list[str], n_input: int = N_INPUT) -> tuple[int, int]:
    """(most windows any model can get right, number of windows): 199 of 201 for the story."""
    followers = next_words(tokens, n_input)
    best = sum(max(counts.values()) for counts in followers.values())
    return best, len(tokens) - n_input


def tutorial_offsets(n_tokens: int, steps: int, n_input: int = N_INPUT,
                 rng: random.Random | None = None) -> list[int]:
    """The tutorial's sampling, step by step: start at a random offset in 0..n_input+1, jump n_input+1
    tokens each step, restart at a new random offset when the window would run off the end."""
    rng = rng or random.Random(0)
    offset, end_offset, offsets = rng.randint(0, n_input + 1), n_input + 1, []
    for _ in range(steps):
        if offset > n_tokens - end_offset:
            offset = rng.randint(0, n_input + 1)
        offsets.append(offset)
        offset += n_input + 1
    return offsets


def split_words(text: str) -> list[str]:
    """Lower-case words of text, punctuation split off as its own token ("Cat." -> ["cat", "."])."""
    spaced = re.sub(f"([{re.escape(PUNCTUATION)}])", r" \1 ", text.lower())
    return spaced.split()


def unknown_word_message(unknown: list[str], vocabulary: dict[str, int]) -> str:
    """A message naming each unknown word with its nearest known words (difflib)."""
    parts = []
    for word in unknown:
        close = difflib.get_close_matches(word, list(vocabulary), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else "no close word in the story"
        parts.append(f"{word!r} ({hint})")
    s = "s" if len(unknown) > 1 else ""
    return f"the story never uses the word{s} {'; '.join(parts)}."


def parse_context(text: object, vocabulary: dict[str, int], n_input: int = N_INPUT) -> list[int]:
    """The ids of exactly n_input known words typed by the learner; a ValueError with a clear
    message for anything else (not text, empty, too few/many words, unknown words)."""
    if not isinstance(text, str):
        raise ValueError(f"type {n_input} words as text, got {type(text).__name__}.")
    words = split_words(text)
    if not words:
        raise ValueError(f"type {n_input} words from the story, e.g. 'the mice had'.")
    if len(words) != n_input:
        shown = " | ".join(words)
        raise ValueError(f"the model reads exactly {n_input} words; you typed {len(words)} ({shown}). "
                         f"Punctuation such as ',' and '.' counts as a word.")
    unknown = [word for word in words if word not in vocabulary]
    if unknown:
        raise ValueError(unknown_word_message(unknown, vocabulary))
    return [vocabulary[word] for word in words]


def context_seen_in_training(X_train: np.ndarray, X_test: np.ndarray) -> np.ndarray:
    """(N_test,) bool: does the test window's whole context also occur among the training windows?"""
    seen = {tuple(w) for w in X_train}
    return np.array([tuple(w) in seen for w in X_test])
