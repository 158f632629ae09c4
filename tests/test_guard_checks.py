"""Guards on the self-checks' tolerances (course_utils/checks.py, checks_07.py): each test fails on one real
bug that the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

from course_utils.checks import check_number
from course_utils.checks_07 import check_final_states, final_states


def _off_by(offset: float):
    """final_states with every value moved by `offset`."""
    return lambda output, H: tuple(part + offset for part in final_states(output, H))


def test_final_states_5e_6_off_are_wrong():
    result = check_final_states(_off_by(5e-6), record=False)
    assert not result and "wrong values" in result.message, f"5e-6 off was accepted: {result}"


def test_final_states_within_1e_7_are_right():
    assert check_final_states(_off_by(1e-7), record=False)


def test_check_number_refuses_zero_for_a_tiny_number():
    result = check_number(0.0, 5e-9, "the gradient")
    assert not result and "too small" in result.message, f"0.0 was accepted for 5e-9: {result}"


def test_check_number_accepts_a_tiny_number_within_its_relative_tolerance():
    assert check_number(5e-9 * (1 + 1e-7), 5e-9)
