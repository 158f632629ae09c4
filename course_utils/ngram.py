"""Character n-gram language models with interpolated Kneser–Ney smoothing (Chen & Goodman 1998),
counted and evaluated with numpy: every n-gram is one integer code, tables are sorted arrays.

An order-n model predicts a character from the n − 1 before it. Level k (context length k = 0..n−1)
uses raw counts at the top level (k = n − 1) and continuation counts N1+(• h w) below it; each level
subtracts its discount D_k = n1 / (n1 + 2 n2) from every seen count and gives the mass it freed to the
level below, down to a uniform distribution over the vocabulary:

    P_k(w | h) = max(c_k(h w) − D_k, 0) / c_k(h •) + D_k · N1+(h •) / c_k(h •) · P_{k−1}(w | h'),

with h' = h without its first character; a context never seen at level k falls through to level k − 1.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Level:
    """One context length's tables: sorted codes of (h, w) with their counts, and of h with totals."""

    pair_codes: np.ndarray
    pair_counts: np.ndarray
    context_codes: np.ndarray
    context_totals: np.ndarray
    context_types: np.ndarray     # N1+(h •): how many different characters follow h
    discount: float


def _codes(ids: np.ndarray, length: int, base: int) -> np.ndarray:
    """Integer code of every window of `length` ids (one per start position), base-`base` digits."""
    n = len(ids) - length + 1
    codes = np.zeros(max(n, 0), dtype=np.int64)
    for j in range(length):
        codes = codes * base + ids[j:j + n]
    return codes


def _lookup(table: np.ndarray, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """values[table == key] for each key, 0 where the key is not in the sorted table."""
    if len(table) == 0:
        return np.zeros(len(keys), dtype=values.dtype)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[at] == keys, values[at], 0)


def _discount(counts: np.ndarray) -> float:
    """Ney's discount n1 / (n1 + 2 n2) from the counts of counts (0.5 when it cannot be estimated)."""
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 > 0 and n1 + 2 * n2 > 0 else 0.5


def _level(ids: np.ndarray, k: int, top: bool, base: int) -> Level:
    """The tables of context length k: raw counts if top, else continuation counts."""
    grams = _codes(ids, k + 1, base)
    if top:
        pairs, counts = np.unique(grams, return_counts=True)
    else:   # N1+(• h w): how many different characters precede h w
        longer = np.unique(_codes(ids, k + 2, base))
        pairs, counts = np.unique(longer % base ** (k + 1), return_counts=True)
    contexts = pairs // base
    context_codes, first = np.unique(contexts, return_index=True)
    totals = np.add.reduceat(counts, first)
    types = np.diff(np.append(first, len(contexts)))
    return Level(pairs, counts, context_codes, totals, types, _discount(counts))


class KneserNey:
    """An interpolated Kneser–Ney character model of `order` (1 = unigram) over `vocab_size` ids."""

    def __init__(self, train_ids: np.ndarray, order: int, vocab_size: int, shared: dict | None = None) -> None:
        ids = np.asarray(train_ids, dtype=np.int64)
        if isinstance(order, bool) or not isinstance(order, numbers.Integral) or not 1 <= order <= 8:
            raise ValueError(f"order must be a whole number 1..8, got {order!r}")
        if len(ids) <= order or ids.min() < 0 or ids.max() >= vocab_size:
            raise ValueError(f"need more than {order} ids, each in 0..{vocab_size - 1}")
        self.order, self.vocab_size = order, vocab_size
        shared = {} if shared is None else shared    # (k, top) -> Level, reused by models of other orders
        for k in range(order):
            if (k, k == order - 1) not in shared:
                shared[k, k == order - 1] = _level(ids, k, k == order - 1, vocab_size)
        self.levels = [shared[k, k == order - 1] for k in range(order)]

    def _probs(self, contexts: np.ndarray, has: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """P(target | context) for rows of contexts (N, order-1, left-padded); has[:, k] = context of length k known."""
        V, n = self.vocab_size, len(targets)
        p = np.full(n, 1.0 / V)
        for k, level in enumerate(self.levels):
            h = np.zeros(n, dtype=np.int64)
            for j in range(self.order - 1 - k, self.order - 1):
                h = h * V + contexts[:, j]
            total = _lookup(level.context_codes, level.context_totals, h).astype(float)
            types = _lookup(level.context_codes, level.context_types, h)
            count = _lookup(level.pair_codes, level.pair_counts, h * V + targets)
            seen = has[:, k] & (total > 0)
            safe = np.where(seen, total, 1.0)
            mixed = (np.maximum(count - level.discount, 0) + level.discount * types * p) / safe
            p = np.where(seen, mixed, p)
        return p

    def _contexts(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The context (order-1 ids, left-padded) of every position of ids, and which context lengths exist."""
        m = self.order - 1
        padded = np.concatenate([np.zeros(m, dtype=np.int64), ids])
        contexts = np.stack([padded[j:j + len(ids)] for j in range(m)], axis=1) if m else np.zeros((len(ids), 0), int)
        return contexts, np.arange(len(ids))[:, None] >= np.arange(self.order)[None, :]

    def log_probs(self, ids: np.ndarray) -> np.ndarray:
        """ln P(ids[i] | the up to order-1 ids before it, within ids), for every position i: shape (len(ids),)."""
        ids = np.asarray(ids, dtype=np.int64)
        return np.log(self._probs(*self._contexts(ids), ids))

    def symbol_probs(self, ids: np.ndarray, symbol: int) -> np.ndarray:
        """P(symbol | the ids before position i) for every position i of ids: shape (len(ids),)."""
        ids = np.asarray(ids, dtype=np.int64)
        return self._probs(*self._contexts(ids), np.full(len(ids), symbol, dtype=np.int64))

    def next_probs(self, history: np.ndarray) -> np.ndarray:
        """P(w | the last order-1 ids of history) for every w: shape (vocab_size,), sums to 1."""
        history = np.asarray(history, dtype=np.int64)[-(self.order - 1):] if self.order > 1 else np.zeros(0, int)
        m, V = self.order - 1, self.vocab_size
        context = np.concatenate([np.zeros(m - len(history), dtype=np.int64), history])
        has = np.arange(self.order) <= len(history)
        return self._probs(np.tile(context, (V, 1)), np.tile(has, (V, 1)), np.arange(V))

    def perplexity(self, ids: np.ndarray) -> float:
        """exp(mean negative log-likelihood) of ids[1:] (each given what precedes it in ids)."""
        return float(np.exp(-self.log_probs(ids)[1:].mean()))


def fit_orders(train_ids: np.ndarray, val_ids: np.ndarray, orders, vocab_size: int) -> dict[int, tuple["KneserNey", float]]:
    """One model per order, each with its validation perplexity: {order: (model, perplexity)}. The orders share
    their lower levels (continuation counts do not depend on the order), so each table is counted once."""
    shared: dict = {}
    return {n: (model, model.perplexity(val_ids))
            for n in orders for model in [KneserNey(train_ids, n, vocab_size, shared)]}


def seen_contexts(train_ids: np.ndarray, ids: np.ndarray, length: int) -> np.ndarray:
    """(len(ids),) True at position i when the `length` ids before it, ids[i - length:i], occur anywhere in
    train_ids (False where fewer than `length` ids precede i)."""
    train_ids, ids = np.asarray(train_ids, dtype=np.int64), np.asarray(ids, dtype=np.int64)
    base = int(max(train_ids.max(), ids.max())) + 1
    known = np.isin(_codes(ids, length, base)[:len(ids) - length], _codes(train_ids, length, base))
    return np.concatenate([np.zeros(length, dtype=bool), known])
