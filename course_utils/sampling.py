"""Temperature sampling of characters from any next-character model (the n-gram or the LSTM), and of words from a
word-window model (notebook 06), with a clear message for bad input: a temperature that is not a positive number,
an empty prompt, unknown characters.

With temperature T the next character is drawn from p_T(w) = p(w)^(1/T) / sum_v p(v)^(1/T), which is
softmax(z / T) for logits z: T = 1 samples the model as it is, T -> 0 approaches the most probable character.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Callable, Sequence

import numpy as np
import torch

from .char_model import CharLSTM
from .corpus import Vocabulary
from .ngram import KneserNey

MAX_CHARS = 5000


def check_temperature(temperature: object, unit: str = "character") -> float:
    """The temperature as a float, or a ValueError that says what is wrong with it (unit: what the model predicts)."""
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise ValueError(f"the temperature must be a number > 0 (e.g. 0.5 or 1.0), got {temperature!r}.")
    value = float(temperature)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"the temperature must be a finite number > 0, got {value}.")
    if value <= 0:
        raise ValueError(f"the temperature must be > 0, got {value}: T -> 0 means 'always the most probable "
                         f"{unit}'; use a small value such as 0.1 for that.")
    return value


def check_prompt(prompt: object, vocab: Vocabulary) -> np.ndarray:
    """The prompt's ids, or a ValueError for a non-string, an empty prompt or characters the book never uses."""
    if not isinstance(prompt, str):
        raise ValueError(f"the prompt must be a string of text, got {type(prompt).__name__}.")
    if prompt == "":
        raise ValueError("the prompt is empty: give the model at least one character to start from, e.g. 'The '.")
    unknown = vocab.unknown(prompt)
    if unknown:
        raise ValueError(f"the prompt has characters the book never uses: {unknown!r}. Straight quotes \" and ' "
                         "are written “ ” and ’ in this edition.")
    return vocab.encode(prompt)


def temperature_probs(probs: np.ndarray, temperature: float, unit: str = "character") -> np.ndarray:
    """p^(1/T), renormalised: computed as exp((ln p − max ln p) / T), so no T > 0 overflows or underflows to NaN
    (a tiny T gives the most probable characters or words, tied ones equally; unit names them in errors)."""
    T = check_temperature(temperature, unit)
    with np.errstate(divide="ignore", over="ignore"):
        log_p = np.log(np.asarray(probs, dtype=float))
        weights = np.exp((log_p - log_p.max()) / T)      # every exponent ≤ 0, the largest exactly 0
    return weights / weights.sum()


def sample_window_ids(next_probs: Callable[[list[int]], np.ndarray], context: Sequence[int], n_ids: int,
                      temperature: float, seed: int = 0, unit: str = "word") -> list[int]:
    """n_ids ids drawn one at a time at `temperature` from a model that reads a fixed-size window of ids
    (a word model): next_probs(window) gives (vocab,), and each drawn id slides into the window."""
    T = check_temperature(temperature, unit)
    if isinstance(n_ids, bool) or not isinstance(n_ids, numbers.Integral) or n_ids < 0:
        raise ValueError(f"the number of words must be a whole number >= 0, got {n_ids!r}.")
    rng, window, out = np.random.default_rng(seed), list(context), []
    for _ in range(int(n_ids)):
        probs = temperature_probs(next_probs(window), T, unit)
        out.append(int(rng.choice(len(probs), p=probs)))
        window = window[1:] + [out[-1]]
    return out


class _NgramReader:
    """Feeds characters to an n-gram model: the state is the history."""

    def __init__(self, model: KneserNey) -> None:
        self.model, self.history = model, []

    def read(self, ids: np.ndarray) -> np.ndarray:
        """Append ids to the history; the next character's distribution (vocab,)."""
        self.history.extend(int(k) for k in ids)
        return self.model.next_probs(np.array(self.history[-max(self.model.order - 1, 1):]))


class _LSTMReader:
    """Feeds characters to the LSTM: the state is (h, c)."""

    def __init__(self, model: CharLSTM) -> None:
        self.model, self.state = model.eval(), None
        self.device = next(model.parameters()).device

    @torch.no_grad()
    def read(self, ids: np.ndarray) -> np.ndarray:
        """Run the LSTM over ids from its current state; the next character's distribution (vocab,)."""
        logits, self.state = self.model(torch.as_tensor(np.asarray(ids), device=self.device)[None], self.state)
        return torch.softmax(logits[0, -1].double(), -1).cpu().numpy()


def sample_text(model: KneserNey | CharLSTM, vocab: Vocabulary, prompt: str, n_chars: int = 200,
                temperature: float = 1.0, seed: int = 0) -> str:
    """The prompt followed by n_chars characters drawn one at a time at `temperature` (numpy generator seed)."""
    T = check_temperature(temperature)
    ids = check_prompt(prompt, vocab)
    if isinstance(n_chars, bool) or not isinstance(n_chars, numbers.Integral) or not 1 <= n_chars <= MAX_CHARS:
        raise ValueError(f"the number of characters must be a whole number 1..{MAX_CHARS}, got {n_chars!r}.")
    if not isinstance(model, (KneserNey, CharLSTM)):
        raise ValueError(f"sample from a KneserNey or CharLSTM model, not {type(model).__name__}.")
    reader = _NgramReader(model) if isinstance(model, KneserNey) else _LSTMReader(model)
    rng, out = np.random.default_rng(seed), []
    probs = reader.read(ids)
    for _ in range(int(n_chars)):
        next_id = int(rng.choice(len(probs), p=temperature_probs(probs, T)))
        out.append(next_id)
        probs = reader.read(np.array([next_id]))
    return prompt + vocab.decode(out)


def finished_words(text: str) -> list[str]:
    """The words of text, lowercased: runs of a-z that a non-letter ends (a word cut off at the end is left out)."""
    return re.findall(r"[a-z]+(?=[^a-z])", text.lower())


def invented_share(samples: Sequence[str], known: set[str]) -> float:
    """The share of the samples' finished words that are not in `known` (0 when they hold no word)."""
    words = [w for sample in samples for w in finished_words(sample)]
    return sum(w not in known for w in words) / max(len(words), 1)
