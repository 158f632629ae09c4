"""scripts/mutation_check.py: its list of issue 33's bugs still applies to today's sources (each old string is
found exactly once, and the mutated module still compiles), so the table it prints cannot silently rot."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mutation_check", ROOT / "scripts" / "mutation_check.py")
mutation_check = sys.modules.setdefault("mutation_check", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(mutation_check)
ALL = (*mutation_check.MUTATIONS, *mutation_check.VARIANTS)


def test_the_list_has_the_issues_19_bugs_with_distinct_names():
    assert len(mutation_check.MUTATIONS) == 19
    assert len({m.name for m in ALL}) == len(ALL)


@pytest.mark.parametrize("mutation", ALL, ids=[m.name for m in ALL])
def test_each_mutation_applies_once_and_compiles(mutation):
    source = (ROOT / mutation.module).read_text(encoding="utf-8")
    assert source.count(mutation.old) == 1, f"{mutation.old!r} is not found exactly once in {mutation.module}"
    mutated = mutation_check.mutated_source(source, mutation)
    assert mutated != source
    compile(mutated, mutation.module, "exec")                  # a kill must come from a test, not a SyntaxError
    assert (ROOT / mutation.tests).is_file(), f"{mutation.tests} is missing"


def test_an_old_string_that_is_not_found_once_is_refused():
    mutation = mutation_check.MUTATIONS[0]
    with pytest.raises(ValueError, match="occurs 0 times"):
        mutation_check.mutated_source("nothing here", mutation)
    with pytest.raises(ValueError, match="occurs 2 times"):
        mutation_check.mutated_source(mutation.old * 2, mutation)
