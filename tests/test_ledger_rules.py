"""The ledger's rules and tail formulas can fail: each is tried on a small hand-made notebook and ledger."""

import math

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from ledger_rules import (code_asserts, coverage_problems, entry_problems, made_by_problems, printed_matches,
                          prose_numbers, prose_problems, tail_fit_problems)  # puts benchmarks/ on the path for ledger_common
from ledger_common import (binomial_sf, clopper_pearson_upper, collapse, make_entry, p_binomial, p_lognormal,  # noqa: I001
                           p_fail, p_normal, summary)

CELLS = [new_code_cell("%matplotlib inline\nlookup = 0.3\nassert lookup < 0.45\nassert  len([1,\n 2]) == 2",
                       id="c1"),
         new_markdown_cell("The lookup table gets 0.38–0.50 of the days right, about 42% of them.", id="m1")]


def _entry(**change):
    entry = make_entry("02.lookup", "c1", "lookup < 0.45", "accuracy", [0.30 + 0.001 * (k % 40) for k in range(1000)],
                       "draws", None, 0.45, "normal")
    entry.update(change)
    return entry


def _ledger():
    entry = _entry()
    entry["q"].update({"0.05": 0.381, "0.95": 0.498})
    entry["median"] = 0.42
    return {"notebook": "x.ipynb", "made_by": "benchmarks/ledger_common.py", "entries": [entry],
            "fixed": [{"cell": "c1", "assert": "len([1, 2]) == 2", "why": "structure"}],
            "prose": [{"cell": "m1", "text": "0.38–0.50", "entry": "02.lookup", "from": "0.05", "to": "0.95"},
                      {"cell": "m1", "text": "42%", "entry": "02.lookup", "from": "median"}]}


def test_asserts_are_found_with_whitespace_collapsed_and_magics_dropped():
    assert code_asserts(CELLS) == [("c1", "assert lookup < 0.45"), ("c1", "assert len([1, 2]) == 2")]


def test_a_complete_ledger_has_no_problems():
    ledger = _ledger()
    assert coverage_problems(CELLS, ledger) == [] and prose_problems(CELLS, ledger) == []
    assert entry_problems(ledger["entries"][0]) == [] and made_by_problems(ledger) == []


def test_an_uncovered_assert_is_named_with_its_cell_and_statement():
    ledger = _ledger()
    ledger["fixed"] = []
    assert coverage_problems(CELLS, ledger) == ["cell c1: `assert len([1, 2]) == 2` is covered by no ledger entry "
                                                "or fixed item"]


def test_an_assert_covered_twice_or_an_item_in_the_wrong_cell_fails():
    ledger = _ledger()
    ledger["fixed"].append({"cell": "c1", "assert": "== 2", "why": "x"})
    assert "covered by 2 ledger items" in coverage_problems(CELLS, ledger)[0]
    ledger["fixed"] = [{"cell": "c9", "assert": "len([1, 2]) == 2", "why": "x"}]
    assert len(coverage_problems(CELLS, ledger)) == 2          # the assert uncovered, the item stale


def test_a_failure_chance_of_2e_4_fails():
    entry = _entry(tail="bound", p_fail=2e-4, why="a bound")
    assert entry_problems(entry) == ["02.lookup: p_fail 0.0002 > 0.0001"]


def test_a_stored_p_fail_that_the_tail_does_not_give_fails():
    assert "stored p_fail" in entry_problems(_entry(p_fail=1e-9))[0]


def test_a_min_or_max_outside_the_threshold_fails():
    assert entry_problems(_entry(max=0.46)) == ["02.lookup: max 0.46 lies outside the pass region [None, 0.45]"]


def test_too_few_draws_fails():
    assert entry_problems(_entry(n=999))[0].startswith("02.lookup: n = 999 draws")


def test_a_threshold_missing_from_the_assert_fails_unless_an_expression_is_named():
    assert "not written" in entry_problems(_entry(high=0.46, max=0.44, p_fail=p_normal(0.3195, 0.0116, None, 0.46)))[-1]
    entry = make_entry("x", "c1", "lookup < ceiling + 4 * sd", "s", [0.1, 0.2] * 500, "draws", None, 0.45, "normal",
                       threshold_expr="ceiling + 4 * sd")
    assert entry_problems(entry) == []


def test_a_prose_range_that_drifted_from_the_ledger_fails():
    ledger = _ledger()
    ledger["entries"][0]["q"]["0.95"] = 0.52
    assert prose_problems(CELLS, ledger) == ["cell m1: '0.38–0.50': 0.50 but 02.lookup's 0.95 is 0.52"]


def test_a_percentage_is_compared_with_the_quantile_times_100():
    ledger = _ledger()
    ledger["entries"][0]["median"] = 0.44
    assert prose_problems(CELLS, ledger) == ["cell m1: '42%': 42 but 02.lookup's median is 44"]


def test_a_range_compared_with_a_missing_statistic_fails():
    ledger = _ledger()
    del ledger["prose"][0]["to"]
    assert prose_problems(CELLS, ledger) == ["cell m1: '0.38–0.50': 02.lookup has no statistic None to compare 0.50 with"]


def test_a_prose_figure_missing_from_its_cell_fails():
    ledger = _ledger()
    ledger["prose"][0]["text"] = "0.38–0.51"
    assert "is not in that cell's text" in prose_problems(CELLS, ledger)[0]


def test_a_range_with_an_en_dash_a_hyphen_or_a_minus_sign_reads_as_two_numbers():
    assert prose_numbers("0.38–0.50") == (["0.38", "0.50"], False)
    assert prose_numbers("0.4-0.8") == (["0.4", "0.8"], False)
    assert prose_numbers("−0.3 to 0.2") == (["-0.3", "0.2"], False)
    assert prose_numbers("22–43%") == (["22", "43"], True)


def test_a_printed_number_matches_within_one_in_its_last_digit():
    assert printed_matches("0.33", 0.334) and printed_matches("0.33", 0.3449)
    assert not printed_matches("0.33", 0.346) and not printed_matches("12", 13.6)


def test_a_missing_made_by_script_fails():
    assert made_by_problems({"made_by": "benchmarks/ledger_99.py"}) == ["made_by 'benchmarks/ledger_99.py' does not exist"]


def test_normal_tail_is_phi_of_the_distance_in_sds():
    assert math.isclose(p_normal(0.0, 1.0, None, 3.719), 1e-4, rel_tol=1e-3)
    assert math.isclose(p_normal(0.0, 1.0, -2.0, 2.0), 0.0455003, rel_tol=1e-5)


def test_lognormal_tail_is_the_normal_tail_of_the_log():
    assert math.isclose(p_lognormal(0.0, 1.0, None, math.exp(2.0)), p_normal(0.0, 1.0, None, 2.0))
    assert p_lognormal(0.0, 1.0, 0.0, None) == 0.0


def test_binomial_tail_and_clopper_pearson_bound():
    assert math.isclose(p_binomial(5, 4, 0.1), 1 - 0.9 ** 5 - 5 * 0.1 * 0.9 ** 4)
    assert math.isclose(clopper_pearson_upper(0, 1000), 1 - 0.001 ** (1 / 1000), rel_tol=1e-9)
    upper = clopper_pearson_upper(3, 200)
    assert math.isclose(1 - binomial_sf(200, 3, upper), 0.001, rel_tol=1e-6)


def test_summary_quantiles_and_log_moments():
    s = summary(range(1, 102))
    assert (s["n"], s["min"], s["median"], s["max"], s["q"]["0.05"]) == (101, 1, 51, 101, 6)
    assert "log_mean" in s and "log_mean" not in summary([0.0, 1.0])


def test_collapse_joins_lines_and_spaces():
    assert collapse("assert  a <\n   0.5 ") == "assert a < 0.5"


def test_run_notebook_at_seeds_runs_each_seed_past_a_failing_assert_and_stops_where_told(tmp_path):
    from ledger_common import run_notebook_at_seeds
    cells = [new_code_cell("%time x = 1\nimport os\nseed = int(os.environ['UNROLLED_SEED'])", id="a"),
             new_code_cell("assert seed % 2 == 0", id="b"),
             new_code_cell("from IPython.display import display\ndisplay('shown')\ny = [seed * 10.0]", id="c"),
             new_code_cell("z = 1", id="d")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    got = run_notebook_at_seeds(path, [2, 3], {"y": "y", "z": "z"}, stop_after="c", jobs=2)
    assert got["y"] == [[20.0], [30.0]] and got["z"] == [None, None]
    assert got["_failed"][0] == ["expression z: NameError: name 'z' is not defined"]
    assert got["_failed"][1][0] == "b: AssertionError: "


def test_binomial_bounds_hold_for_millions_of_draws():
    """math.comb(n, j) as a float overflows beyond n ~ 1000: the bound must still come out right."""
    assert math.isclose(clopper_pearson_upper(0, 2_000_000), 1 - 0.001 ** (1 / 2_000_000), rel_tol=1e-6)
    upper = clopper_pearson_upper(24, 2_000_000)
    assert 24 / 2_000_000 < upper < 2.5e-5
    assert math.isclose(binomial_sf(5000, 0, 1e-4), 1 - (1 - 1e-4) ** 5000, rel_tol=1e-9)


def _piled(**fields):
    """An entry of 1000 accuracies piled at 1.0 with a few far below: what a normal fit misreads."""
    base = {"id": "x.piled", "unit": "draws", "n": 1000, "min": 0.9, "max": 1.0, "mean": 0.9995, "sd": 0.003,
            "q": {"0.01": 0.99, "0.05": 0.998, "0.95": 1.0, "0.99": 1.0}, "low": 0.5, "high": None,
            "tail": "normal"}
    return {**base, **fields}


def test_a_normal_fit_contradicted_by_its_own_minimum_is_a_problem():
    assert tail_fit_problems(_piled()) and "underestimates" in tail_fit_problems(_piled())[0]
    assert not tail_fit_problems(_piled(min=0.992))        # a minimum the fit expects in 1000 draws


def test_an_exponential_tail_through_the_1_and_5_percent_quantiles():
    entry = _piled(tail="exponential", scale="linear")
    beta = (0.998 - 0.99) / math.log(5)
    assert math.isclose(p_fail(entry), 0.01 * math.exp(-(0.99 - 0.5) / beta))
    assert not tail_fit_problems(_piled(tail="exponential", scale="linear", min=0.97))
    assert tail_fit_problems(_piled(tail="exponential", scale="linear", q={**_piled()["q"], "0.05": 0.99}))


def test_make_entry_falls_back_to_an_exponential_tail_when_the_normal_fit_is_contradicted():
    values = [1 - 0.002 * -math.log((k + 0.5) / 1000) for k in range(1000)]    # an exponential lower tail
    entry = make_entry("x.acc", "c1", "acc >= 0.5", "accuracy", values, "draws", 0.5, None, "normal")
    assert entry["tail"] == "exponential" and not tail_fit_problems(entry)
    plain = make_entry("x.gauss", "c1", "x >= -5", "x", [math.sin(k) for k in range(1000)], "draws", -5, None,
                       "normal")
    assert plain["tail"] == "normal"
