"""Guards on the client-side scrubbers (course_utils/scrubbers.py): each test fails on one real bug that
the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

import numpy as np

from course_utils.scrubbers import step_scrubber


def test_a_one_hot_panel_is_coloured_on_0_to_1():
    one_hot = np.eye(4)[[0, 2, 1, 3, 0]]
    panel = step_scrubber({"input": one_hot}, list("abcde"), "one-hot").panel("input")
    assert panel["range"] == [0.0, 1.0], f"a one-hot panel's colour range is {panel['range']}, not [0, 1]"
    assert panel["scale"][0] == [0.0, "#ffffff"], "0 should be drawn white (the scale's low end)"


def test_a_signed_panel_is_coloured_symmetric_about_0():
    panel = step_scrubber({"hidden": np.array([[-0.5, 0.2], [0.1, 0.3]])}, ["a", "b"], "t").panel("hidden")
    assert panel["range"] == [-0.5, 0.5]
