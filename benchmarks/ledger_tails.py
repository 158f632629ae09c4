"""Tail models for the claims ledger, and the check that a fitted tail agrees with the sample it came from.

A normal fit to values piled at a cap, or to a sample with one far-out value, can put the chance of failing a
threshold at 1e-40 while the sample itself shows the tail is heavier. So a fit is only used when the sample's own
extreme, on each side that has a threshold, is not too rare under it (chance >= TAIL_FIT_MIN of seeing a value at
least that far out in n draws). When a normal or lognormal fit fails that test, the entry falls back to an
exponential tail through its 1% and 5% quantiles (on x or on log x), which is heavier than the normal one.
"""

from __future__ import annotations

import math
from typing import Callable

TAIL_FIT_MIN = 0.01
SIDES = (("low", "min", "0.01", "0.05"), ("high", "max", "0.99", "0.95"))


def _normal_tail(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def _scale(entry: dict) -> Callable[[float], float] | None:
    """The map the tail model works on: x, or log x (None when a value is not positive)."""
    if entry.get("scale", "linear") == "linear":
        return lambda x: x
    return (lambda x: math.log(x) if x > 0 else -math.inf) if entry["min"] > 0 else None


def beyond(entry: dict, side: str, x: float) -> float | None:
    """P(one draw at or beyond x) on `side` ('low': below x, 'high': above x) under the entry's tail model;
    None when the model cannot say (sd 0, a flat exponential tail, a log scale with values <= 0)."""
    tail, sign = entry["tail"], (1 if side == "high" else -1)
    if tail in ("normal", "lognormal"):
        mean, sd = (entry["mean"], entry["sd"]) if tail == "normal" else (entry.get("log_mean"), entry.get("log_sd"))
        if tail == "lognormal" and x <= 0:
            return float(side == "high")               # a positive x is always above 0, never below it
        if not sd or sd <= 0 or mean is None:
            return None
        return _normal_tail(sign * ((math.log(x) if tail == "lognormal" else x) - mean) / sd)
    if tail == "exponential":
        g = _scale(entry)
        _, _, outer, inner = SIDES[0] if side == "low" else SIDES[1]
        if g is None:
            return None
        a, b = g(entry["q"][outer]), g(entry["q"][inner])
        beta = sign * (a - b) / math.log(5)          # P = 0.01 at the 1% quantile and 0.05 at the 5% one
        if not beta > 0:
            return None
        gx = g(x)
        return 1.0 if sign * (gx - a) <= 0 else 0.01 * math.exp(-sign * (gx - a) / beta)
    return None


def p_exponential(entry: dict) -> float:
    """P(x < low) + P(x > high) under an exponential tail through the 1%/5% (99%/95%) quantiles."""
    total = 0.0
    for side, *_ in SIDES:
        if entry.get(side) is not None:
            p = beyond(entry, side, entry[side])
            total += 1.0 if p is None else p
    return total


def contradictions(entry: dict) -> list[str]:
    """Sides where the sample's own extreme is rarer than TAIL_FIT_MIN in n draws under the entry's fit."""
    if entry.get("tail") not in ("normal", "lognormal", "exponential"):
        return []
    problems = []
    for side, extreme, *_ in SIDES:
        if entry.get(side) is None or entry.get(extreme) is None:
            continue
        one = beyond(entry, side, entry[extreme])
        seen = 0.0 if one is None else -math.expm1(entry["n"] * math.log1p(-min(one, 1 - 1e-16)))
        if seen < TAIL_FIT_MIN:
            problems.append(f"{entry.get('id', '?')}: the sample's {extreme} {entry[extreme]} is rarer than "
                            f"{TAIL_FIT_MIN:g} in {entry['n']} draws under its {entry['tail']} "
                            f"{entry.get('scale', '')} fit ({seen:.1g}): the fit underestimates this tail")
    return problems


def honest_tail(entry: dict) -> dict:
    """The entry itself when its normal/lognormal fit agrees with its sample; otherwise the more cautious
    (larger p_fail) of the exponential tails on x and on log x that agree with it (on x when neither does,
    so that the ledger test names the entry)."""
    if entry.get("tail") not in ("normal", "lognormal") or not contradictions(entry):
        return entry
    note = (f"its {entry['tail']} fit is contradicted by the sample's own extreme: "
            "exponential tail through the 1%/5% quantiles")
    candidates = [{**entry, "tail": "exponential", "scale": scale, "tail_note": note} for scale in ("linear", "log")
                  if scale == "linear" or entry["min"] > 0]
    agreeing = [c for c in candidates if not contradictions(c)]
    if not agreeing:
        return candidates[0]
    return max(agreeing, key=p_exponential)


def refit(path: str) -> list[str]:
    """Re-check the tails of a written ledger file in place (what make_entry now does when an entry is made);
    returns one line per entry whose tail changed."""
    import json

    from ledger_common import p_fail

    ledger, changed = json.loads(open(path, encoding="utf-8").read()), []
    for k, entry in enumerate(ledger["entries"]):
        new = honest_tail(entry)
        if new is not entry:
            new["p_fail"] = p_fail(new)
            ledger["entries"][k] = new
            changed.append(f"{entry['id']}: {entry['tail']} p {entry['p_fail']:.2g} -> exponential "
                           f"({new['scale']}) p {new['p_fail']:.2g}")
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(ledger, indent=1, ensure_ascii=False) + "\n")
    return changed


if __name__ == "__main__":   # python benchmarks/ledger_tails.py course_utils/data/ledger/NN.json ...
    import sys

    for name in sys.argv[1:]:
        print(name, *refit(name), sep="\n  ")
