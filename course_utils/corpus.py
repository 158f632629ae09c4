"""H. G. Wells's *The Time Machine* (1895) as a character corpus: the text, its normalisation, the
contiguous train/validation/test split, the vocabulary and a stateful batcher.

The text is the Project Gutenberg edition (eBook #35) with Project Gutenberg's header, footer and
license removed (`data/time_machine.txt`; the novel is in the public domain in the United States).

Normalisation (`normalise`), decided once for the whole course:
* case, punctuation, curly quotes and dashes are kept as printed: they are part of what a character
  model has to predict;
* line breaks are kept (the edition wraps lines at about 70 characters): a line break is one "\\n",
  a paragraph break is exactly "\\n\\n" (longer runs of blank lines are cut to one blank line);
* spaces and tabs inside a line become one space; spaces at the start and end of a line are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

TEXT_FILE = Path(__file__).parent / "data" / "time_machine.txt"
HEADER_END = "=" * 70 + "\n"
SPLITS = {"train": (0.0, 0.8), "val": (0.8, 0.9), "test": (0.9, 1.0)}


def normalise(text: str) -> str:
    """The course's normalisation: case kept, spaces collapsed, lines stripped, paragraphs as one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = re.sub(r"[ \t\f\v\u00a0]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(" \n") + "\n"


@lru_cache(maxsize=1)
def novel_text(path: Path = TEXT_FILE) -> str:
    """The whole novel, normalised (179,574 characters), without the credit header of the data file."""
    raw = Path(path).read_text(encoding="utf-8")
    if HEADER_END not in raw:
        raise ValueError(f"{path} has no credit header ending in a line of '='")
    return normalise(raw.split(HEADER_END, 1)[1])


def split_text(text: str) -> dict[str, str]:
    """Contiguous train/val/test pieces of text by position: the first 80%, the next 10%, the last 10%."""
    n = len(text)
    return {name: text[round(a * n):round(b * n)] for name, (a, b) in SPLITS.items()}


def time_machine() -> dict[str, str]:
    """The novel as {"train", "val", "test"} strings: contiguous 80/10/10 by position, never random windows."""
    return split_text(novel_text())


@dataclass(frozen=True)
class Vocabulary:
    """Characters <-> ids, most frequent first (ties in code-point order)."""

    symbols: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str) -> "Vocabulary":
        """Every character of text, ordered by frequency."""
        counts: dict[str, int] = {}
        for char in text:
            counts[char] = counts.get(char, 0) + 1
        return cls(tuple(sorted(counts, key=lambda c: (-counts[c], c))))

    def __len__(self) -> int:
        return len(self.symbols)

    @property
    def index(self) -> dict[str, int]:
        """Character -> id."""
        return {c: k for k, c in enumerate(self.symbols)}

    def unknown(self, text: str) -> list[str]:
        """The characters of text that are not in the vocabulary, in order of first appearance."""
        known = self.index
        return list(dict.fromkeys(c for c in text if c not in known))

    def encode(self, text: str) -> np.ndarray:
        """Ids (len(text),) as int64; unknown characters raise a ValueError that names them."""
        missing = self.unknown(text)
        if missing:
            raise ValueError(f"characters not in the vocabulary of {len(self)} symbols: {missing!r}")
        known = self.index
        return np.fromiter((known[c] for c in text), dtype=np.int64, count=len(text))

    def decode(self, ids) -> str:
        """The text of a sequence of ids."""
        return "".join(self.symbols[int(k)] for k in ids)


def novel_vocabulary() -> Vocabulary:
    """The vocabulary of the whole novel (a closed set of symbols: val/test characters are in it too)."""
    return Vocabulary.from_text(novel_text())


def sequential_rows(ids: np.ndarray, batch_size: int, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets (batch_size, L): the text from `offset` cut into batch_size contiguous rows;
    targets are the inputs shifted by one character (d2l's sequential partitioning)."""
    ids = np.asarray(ids)
    if batch_size < 1 or not 0 <= offset < len(ids) - 1:
        raise ValueError(f"need batch_size >= 1 and 0 <= offset < {len(ids) - 1}, got {batch_size}, {offset}")
    length = (len(ids) - 1 - offset) // batch_size
    if length < 1:
        raise ValueError(f"{len(ids)} ids are too few for {batch_size} rows")
    inputs = ids[offset:offset + batch_size * length].reshape(batch_size, length)
    targets = ids[offset + 1:offset + 1 + batch_size * length].reshape(batch_size, length)
    return inputs, targets


def stateful_batches(ids: np.ndarray, batch_size: int, num_steps: int,
                     offset: int = 0) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(X, Y) batches of shape (batch_size, num_steps): row b of batch k+1 continues row b of batch k,
    so a model may carry its hidden state from one batch to the next."""
    if num_steps < 1:
        raise ValueError(f"num_steps must be >= 1, got {num_steps}")
    inputs, targets = sequential_rows(ids, batch_size, offset)
    n_batches = inputs.shape[1] // num_steps
    if n_batches == 0:
        raise ValueError(f"rows of {inputs.shape[1]} ids are too few for num_steps={num_steps}")
    return [(torch.from_numpy(inputs[:, k * num_steps:(k + 1) * num_steps].copy()),
             torch.from_numpy(targets[:, k * num_steps:(k + 1) * num_steps].copy()))
            for k in range(n_batches)]
