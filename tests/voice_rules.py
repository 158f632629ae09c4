"""The course's voice in learner text (issue #33): markdown, code comments and the strings code shows never name
seeds, seed ranges, run counts of the course's own measurements, test files, benchmark scripts or make targets, and
never praise themselves. Pure functions, used by tests/test_voice.py on the notebooks and on good and bad strings."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNT = r"(?:\d{3,}|[2-9]\d|\d{1,3}(?:,\d{3})+|hundreds of|thousands of|a thousand)"
RUNS = r"(?:runs|seeds|trainings|training runs|restarts)"     # "draws" only after "measured over" (a cell's own
MEASURED = r"\b(?:measured|fitted|estimated|found|seen)\s+(?:over|across|on|from|in)\s+(?:the\s+)?"  # draws are fine)
RULES = {  # name -> pattern; notebooks a rule does not apply to
    "the seed variable": (r"UNROLLED_SEED", {"00"}),
    "a seed range": (r"\bseeds?\s+\d+\s*(?:[–—-]|to|…|\.\.\.?)\s*\d+", {"00"}),
    "seeds": (r"\bseeds\b", {"00"}),
    "a run count of our measurement": (
        rf"(?<!of )(?<![/\d,]){COUNT}\s+(?:\w+\s+)?{RUNS}\b(?!\s+(?:in|out of|of)\s+\d)"
        rf"|\beach of the \d[\d,]*\s+(?:{RUNS}|draws)\b|{MEASURED}{COUNT}\s+(?:\w+\s+)?draws\b", set()),
    "a test file": (r"\btests?/\w|\btest_\w+\.py\b|\bconftest\b|\bpytest\b|\bnbval\b", set()),
    "a benchmark script": (r"\bbenchmarks?/|\bscripts/\w", set()),
    "self-praise": (r"\bhonest\w*|\bmeasured, not assumed\b|\bnot assumed\b", set()),
}


def _make_targets(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The Makefile's targets, longest first."""
    names = re.findall(r"^([a-z][\w-]*)\s*:(?!=)", makefile.read_text(), flags=re.M)
    return sorted(set(names), key=len, reverse=True)


OUR_SCRIPTS = sorted({p.name for d in ("benchmarks", "scripts", "tests") for p in (ROOT / d).rglob("*.py")})
OUR_SCRIPT = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, OUR_SCRIPTS)) + r")\b")
MAKE_TARGET = re.compile(r"\bmake\s+(" + "|".join(map(re.escape, _make_targets())) + r")(?![\w-])")


def voice_problems(text: str, notebook: str) -> list[str]:
    """The offending phrases in one piece of learner text of notebook NN ("00", "01"...), each as 'rule: phrase'."""
    found = []
    for name, (pattern, exempt) in RULES.items():
        if notebook not in exempt:
            found += [f"{name}: '{m.group(0)}'" for m in re.finditer(pattern, text, flags=re.I)]
    found += [f"a benchmark script: '{m.group(0)}'" for m in OUR_SCRIPT.finditer(text)]
    for m in MAKE_TARGET.finditer(text):
        if not (notebook == "00" and m.group(1) == "lab"):
            found.append(f"a make target: '{m.group(0)}'")
    return found


def code_learner_text(source: str) -> list[str]:
    """The comments and string literals (docstrings, printed text, titles) of a code cell; magics dropped."""
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        comments = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                    if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        comments = re.findall(r"#.*", source)
    try:
        strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    except SyntaxError:
        strings = []
    return comments + strings


def cell_problems(cell, notebook: str) -> list[str]:
    """The voice problems of one notebook cell, each prefixed with the cell id."""
    texts = [cell.source] if cell.cell_type == "markdown" else code_learner_text(cell.source)
    return [f"cell {cell.get('id')}: {p}" for text in texts for p in voice_problems(text, notebook)]
