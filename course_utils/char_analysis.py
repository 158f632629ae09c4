"""Where one character model beats another, position by position, and which hidden unit follows a feature
of the text: features of every character of a text, log-loss broken down by them, unit-feature correlations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

OPEN_QUOTE, CLOSE_QUOTE = "“", "”"
LONG_WORD = 8       # letters: a word this long or longer is "long"
FAR_QUOTE = 100     # characters: a closing quote this far from its opening one was "opened long before"


def _code_points(text: str) -> np.ndarray:
    """(len(text),) the Unicode code point of every character."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _paragraph_starts(text: str) -> np.ndarray:
    """(len(text),) True at the second line break of each blank line: a new paragraph starts after it."""
    newline = _code_points(text) == ord("\n")
    return newline & np.concatenate([[False], newline[:-1]])


def inside_quotes(text: str) -> np.ndarray:
    """(len(text),) 1.0 where, within the character's paragraph, the last quotation mark before (not at) it
    opened a quotation (a paragraph break ends any quotation)."""
    points, breaks = _code_points(text), _paragraph_starts(text)
    if len(text) == 0:
        return np.zeros(0)
    opens = points == ord(OPEN_QUOTE)
    event = breaks | opens | (points == ord(CLOSE_QUOTE))        # where the state is set: to 1 at an opening
    last = np.maximum.accumulate(np.where(event, np.arange(len(text)), -1))
    before = np.concatenate([[-1], last[:-1]])                   # the last event strictly before each character
    return np.where(before >= 0, opens[np.maximum(before, 0)], False).astype(float)


def line_position(text: str) -> np.ndarray:
    """(len(text),) how many characters precede each character on its line (0 right after a line break)."""
    column, out = 0, np.zeros(len(text))
    for i, char in enumerate(text):
        out[i] = column
        column = 0 if char == "\n" else column + 1
    return out


def count_since(text: str, resets: str) -> np.ndarray:
    """(len(text),) how many characters have been read since the last character in `resets`, counting the
    character itself (0 at a reset character): the state after reading each character."""
    count, out = 0, np.zeros(len(text))
    for i, char in enumerate(text):
        count = 0 if char in resets else count + 1
        out[i] = count
    return out


def letters_into_word(text: str) -> np.ndarray:
    """(len(text),) after reading each character, how many letters of the current word have been read (0 after a
    non-letter)."""
    count, out = 0, np.zeros(len(text))
    for i, char in enumerate(text):
        count = count + 1 if char.isalpha() else 0
        out[i] = count
    return out


def since_sentence_end(text: str) -> np.ndarray:
    """(len(text),) after reading each character, how many characters since the last . ? or ! (a long-range count)."""
    return count_since(text, ".?!")


def _quote_distance(text: str) -> np.ndarray:
    """(len(text),) at each closing quote, the distance back to the last opening quote before it in the same
    paragraph; 0 elsewhere (and at a closing quote with no opening one in its paragraph)."""
    distance, opened, breaks = np.zeros(len(text)), None, _paragraph_starts(text)
    for i, char in enumerate(text):
        if breaks[i]:
            opened = None
        elif char == OPEN_QUOTE:
            opened = i
        elif char == CLOSE_QUOTE and opened is not None:
            distance[i], opened = i - opened, None
    return distance


def _word_halves(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the first and second half of the letters of each word of >= LONG_WORD letters."""
    first, second = np.zeros(len(text), bool), np.zeros(len(text), bool)
    for match in re.finditer(r"[A-Za-z]{%d,}" % LONG_WORD, text):
        middle = (match.start() + match.end()) // 2
        first[match.start():middle], second[middle:match.end()] = True, True
    return first, second


def position_features(text: str) -> dict[str, np.ndarray]:
    """Boolean masks (len(text),) of kinds of character position, by name (what each model is asked to predict)."""
    chars = np.array(list(text))
    previous = np.array(["\n"] + list(text[:-1]))
    before = np.array(["\n", "\n"] + list(text[:-2]))
    distance = _quote_distance(text)
    first_half, second_half = _word_halves(text)
    return {
        "every character": np.ones(len(text), bool),
        f"closing quote, opened ≥ {FAR_QUOTE} chars before": distance >= FAR_QUOTE,
        f"closing quote, opened < {FAR_QUOTE} chars before": (distance > 0) & (distance < FAR_QUOTE),
        "line break (end of a line)": (chars == "\n") & (previous != "\n"),
        "first char after a space": (previous == " ") & (chars != " "),
        "first char after a line break": (previous == "\n") & (before != "\n") & (chars != "\n"),
        "first char of a paragraph": (previous == "\n") & (before == "\n"),
        f"first half of a long word (≥ {LONG_WORD} letters)": first_half,
        f"second half of a long word (≥ {LONG_WORD} letters)": second_half,
    }


@dataclass(frozen=True)
class Breakdown:
    """Mean log-loss (nats per character) of two models on one kind of position, with a 95% interval of the gap."""

    name: str
    count: int
    loss_a: float
    loss_b: float
    gap: float          # loss_b - loss_a: > 0 where model a wins
    half_width: float   # 1.96 standard errors of the gap


def loss_breakdown(log_probs_a: np.ndarray, log_probs_b: np.ndarray,
                   masks: dict[str, np.ndarray]) -> list[Breakdown]:
    """Per mask, both models' mean loss −ln p on those positions and the gap's 95% interval (normal approximation)."""
    loss_a, loss_b = -np.asarray(log_probs_a), -np.asarray(log_probs_b)
    if loss_a.shape != loss_b.shape:
        raise ValueError(f"the two models scored different numbers of positions: {loss_a.shape} vs {loss_b.shape}")
    rows = []
    for name, mask in masks.items():
        mask = np.asarray(mask, bool)
        if mask.shape != loss_a.shape:
            raise ValueError(f"mask {name!r} has shape {mask.shape}, the losses {loss_a.shape}")
        diff = loss_b[mask] - loss_a[mask]
        spread = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else float("inf")
        rows.append(Breakdown(name, int(mask.sum()), float(loss_a[mask].mean()), float(loss_b[mask].mean()),
                              float(diff.mean()), float(spread)))
    return rows


def unit_correlations(hidden: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """(units,) Pearson correlation of each hidden unit's value (T, units) with a feature (T,) over the T steps."""
    hidden, feature = np.asarray(hidden, float), np.asarray(feature, float)
    if hidden.ndim != 2 or feature.shape != (hidden.shape[0],):
        raise ValueError(f"need hidden (T, units) and feature (T,), got {hidden.shape} and {feature.shape}")
    h = hidden - hidden.mean(0)
    f = feature - feature.mean()
    denominator = np.sqrt((h ** 2).sum(0) * (f ** 2).sum())
    return np.where(denominator > 0, (h * f[:, None]).sum(0) / np.where(denominator > 0, denominator, 1), 0.0)
