"""The claims ledger's rules (spec: LEDGER.md, issue #33), as pure functions that return a list of problems
(empty when the rule holds). Used by tests/test_ledger.py on the real notebooks and by tests/test_ledger_rules.py
on small hand-made notebooks and ledgers, which prove that each rule can fail."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from ledger_common import MIN_N, code_asserts, collapse, p_fail  # noqa: E402
from ledger_tails import contradictions  # noqa: E402

P_FAIL_MAX = 1e-4
NUMBER = re.compile(r"(?<![\d.])(?:[-−](?=\d))?\d+(?:\.\d+)?")
LITERAL = re.compile(r"(?<![\w.])(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)")


def _items(ledger: dict) -> list[dict]:
    """The entries with an assert, then the fixed items."""
    return [e for e in ledger.get("entries", []) if e.get("assert")] + list(ledger.get("fixed", []))


def coverage_problems(cells: list, ledger: dict) -> list[str]:
    """Each assert is covered by exactly one entry or fixed item (same cell, substring); no item covers nothing."""
    problems, asserts = [], code_asserts(cells)
    for cell_id, statement in asserts:
        covering = [i for i in _items(ledger) if i.get("cell") == cell_id and collapse(i["assert"]) in statement]
        if len(covering) != 1:
            what = "no ledger entry or fixed item" if not covering else f"{len(covering)} ledger items"
            problems.append(f"cell {cell_id}: `{statement}` is covered by {what}")
    for item in _items(ledger):
        if not any(c == item.get("cell") and collapse(item["assert"]) in s for c, s in asserts):
            problems.append(f"ledger item {item.get('id', '')} cell {item.get('cell')}: `{item['assert']}` "
                            f"matches no assert of that cell")
    return problems


def _threshold_shown(value: float, text: str) -> bool:
    """Whether the number `value` is written as a literal in text (1e-4, 0.45, 5...)."""
    return any(math.isclose(float(lit), abs(value), rel_tol=1e-9) for lit in LITERAL.findall(text))


def entry_problems(entry: dict) -> list[str]:
    """n large enough; min/max inside [low, high]; p_fail recomputed equals the stored one, <= 1e-4; thresholds shown."""
    name, problems = entry.get("id", "?"), []
    unit, low, high = entry.get("unit"), entry.get("low"), entry.get("high")
    if unit not in MIN_N or entry.get("n", 0) < MIN_N[unit]:
        problems.append(f"{name}: n = {entry.get('n')} {unit} (needs >= 1000 draws or >= 100 runs)")
    for side in ("min", "max"):
        x = entry.get(side)
        if x is None or (low is not None and x < low) or (high is not None and x > high):
            problems.append(f"{name}: {side} {x} lies outside the pass region [{low}, {high}]")
    try:
        recomputed = p_fail(entry)
    except (KeyError, ValueError, TypeError) as error:
        return problems + [f"{name}: p_fail cannot be recomputed ({type(error).__name__}: {error})"]
    stored = entry.get("p_fail")
    if stored is None or not math.isclose(recomputed, stored, rel_tol=1e-6, abs_tol=1e-300):
        problems.append(f"{name}: stored p_fail {stored} but the {entry['tail']} tail gives {recomputed:.3g}")
    if recomputed > P_FAIL_MAX:
        problems.append(f"{name}: p_fail {recomputed:.2g} > {P_FAIL_MAX:g}")
    if entry["tail"] in ("binomial", "bound") and not entry.get("why"):
        problems.append(f"{name}: a {entry['tail']} estimate needs a 'why'")
    if entry.get("assert") and not entry.get("threshold_expr"):
        for side, x in (("low", low), ("high", high)):
            if x is not None and not _threshold_shown(x, entry["assert"]):
                problems.append(f"{name}: threshold {side}={x} is not written in `{entry['assert']}`")
    return problems


def tail_fit_problems(entry: dict) -> list[str]:
    """A normal, lognormal or exponential tail must not be contradicted by the sample it was fitted to
    (benchmarks/ledger_tails.py): the sample's extreme on a thresholded side is not rarer than 1% in n draws."""
    return contradictions(entry)


def prose_numbers(text: str) -> tuple[list[str], bool]:
    """The numbers of a prose figure as printed ('0.38–0.50' -> ['0.38', '0.50']) and whether it is a percentage."""
    return [n.replace("−", "-") for n in NUMBER.findall(text)], "%" in text


def printed_matches(printed: str, value: float) -> bool:
    """Whether value rounds to the printed number, give or take one in the last printed digit."""
    decimals = len(printed.partition(".")[2])
    return abs(float(printed) - value) <= 1.5 * 10 ** -decimals + 1e-12


def _stat(entry: dict, key: str) -> float:
    """A quantile ('0.05') or 'min'/'max'/'median'/'mean' of an entry."""
    return entry[key] if key in ("min", "max", "median", "mean") else entry["q"][key]


def prose_problems(cells: list, ledger: dict) -> list[str]:
    """Each prose figure occurs in its cell and its numbers equal its entry's quantiles as printed."""
    sources = {c.get("id"): c.source for c in cells}
    entries = {e.get("id"): e for e in ledger.get("entries", [])}
    problems = []
    for item in ledger.get("prose", []):
        where, text = f"cell {item.get('cell')}: '{item.get('text')}'", item.get("text", "")
        if not text or text not in sources.get(item.get("cell"), ""):
            problems.append(f"{where} is not in that cell's text")
            continue
        entry = entries.get(item.get("entry"))
        if entry is None:
            problems.append(f"{where} points to no entry {item.get('entry')!r}")
            continue
        numbers, percent = prose_numbers(text)
        keys = [item.get("from")] if len(numbers) == 1 else [item.get("from"), item.get("to")]
        if len(numbers) not in (1, 2):
            problems.append(f"{where}: a figure is one number or a range a–b, found {numbers}")
            continue
        for printed, key in zip(numbers, keys):
            try:
                value = _stat(entry, key) * (100 if percent else 1)
            except (KeyError, TypeError):
                problems.append(f"{where}: {item['entry']} has no statistic {key!r} to compare {printed} with")
                continue
            if not printed_matches(printed, value):
                problems.append(f"{where}: {printed} but {item['entry']}'s {key} is {value:.4g}")
    return problems


def made_by_problems(ledger: dict, root: Path = ROOT) -> list[str]:
    """The script named in made_by exists."""
    script = ledger.get("made_by")
    return [] if script and (root / script).is_file() else [f"made_by {script!r} does not exist"]
