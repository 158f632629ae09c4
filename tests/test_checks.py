import numpy as np
import torch

from course_utils.checks import check_array, check_function, check_number, self_check, failed
from course_utils.checks_00 import check_dense_tanh, check_output_size, dense_tanh_reference

EXPECTED = np.arange(6.0).reshape(2, 3)


def test_check_array_accepts_the_right_answer_from_numpy_list_or_torch():
    assert check_array(EXPECTED.copy(), EXPECTED)
    assert check_array(EXPECTED.tolist(), EXPECTED)
    assert check_array(torch.tensor(EXPECTED), EXPECTED)


def test_check_array_hints():
    cases = {
        "not attempted": check_array(None, EXPECTED),
        "should be numbers": check_array("abc", EXPECTED),
        "NaN": check_array(np.full((2, 3), np.nan), EXPECTED),
        "transposed": check_array(EXPECTED.T, EXPECTED),
        "shape (2, 3)": check_array(np.zeros(6), EXPECTED),
        "wrong values": check_array(EXPECTED + 1, EXPECTED),
    }
    for words, result in cases.items():
        assert not result and words in result.message, (words, result)


def test_check_array_rejects_an_answer_off_by_half_a_hundredth():
    result = check_array(EXPECTED + 0.005, EXPECTED)
    assert not result and "largest error 0.005" in result.message


def test_check_array_forgives_float_round_off():
    assert check_array(EXPECTED + 1e-9, EXPECTED)
    assert check_array(torch.tensor(EXPECTED, dtype=torch.float32) / 3 * 3, EXPECTED)


def test_check_function_tries_every_probe_not_only_the_first():
    probes = [(np.ones(2),), (np.arange(2.0),), (np.full(2, -3.0),)]
    reference = lambda v: 2 * v  # noqa: E731
    hard_coded_for_probe_0 = lambda v: np.full(2, 2.0)  # noqa: E731
    result = check_function(hard_coded_for_probe_0, probes, reference, "f")
    assert not result and "wrong values (largest error 2)" in result.message
    assert "3 test inputs" in check_function(reference, probes, reference, "f").message


def test_result_reads_as_tick_or_cross():
    assert repr(check_array(EXPECTED, EXPECTED)).startswith("✔")
    assert repr(check_array(None, EXPECTED)).startswith("✘")
    assert "color" in check_array(None, EXPECTED)._repr_html_()


def test_check_function_reports_unwritten_raising_and_wrong_functions():
    probes = [(np.ones(2),)]
    reference = lambda v: 2 * v  # noqa: E731

    def unwritten(v):
        raise NotImplementedError

    assert "not written yet" in check_function(unwritten, probes, reference, "f").message
    assert "ZeroDivisionError" in check_function(lambda v: 1 / 0, probes, reference, "f").message
    assert "wrong values" in check_function(lambda v: 3 * v, probes, reference, "f").message
    assert "pass your function" in check_function(42, probes, reference, "f").message
    assert check_function(lambda v: v + v, probes, reference, "f")


def test_check_number_hints():
    assert check_number(4, 4)
    assert "too large" in check_number(5, 4).message
    assert "should be a number" in check_number("4", 4).message
    assert "NaN" in check_number(float("nan"), 4).message
    assert "None" in check_number(None, 4).message


def test_self_check_turns_errors_into_a_cross():
    @self_check
    def fragile(answer):
        return failed("x") if answer else answer["key"]

    result = fragile(0)
    assert not result and "TypeError" in result.message


def test_notebook00_solutions_pass_and_wrong_answers_get_hints():
    assert check_dense_tanh(dense_tanh_reference)
    assert "not written yet" in check_dense_tanh(lambda W, x, b: (_ for _ in ()).throw(NotImplementedError)).message
    transposed = check_dense_tanh(lambda W, x, b: np.tanh(W @ x + b)[:, None].T)
    assert "shape" in transposed.message or "transposed" in transposed.message
    assert "wrong values" in check_dense_tanh(lambda W, x, b: W @ x + b).message
    assert check_output_size(4)
    assert "input size" in check_output_size(3).message
    assert "integer" in check_output_size("four").message or "number" in check_output_size("four").message


def test_check_function_is_not_fooled_by_a_function_that_changes_its_inputs():
    from course_utils.checks_01 import check_rnn_step

    def zeroes_W_hh_then_answers(x_t, h_prev, W_xh, W_hh, b_h):
        W_hh[...] = 0.0                                 # in place: the reference must not see this
        return np.tanh(W_xh @ x_t + W_hh @ h_prev + b_h)

    assert not check_rnn_step(zeroes_W_hh_then_answers)


def test_a_shape_error_in_the_learners_code_gets_words_not_numpys_gufunc_message():
    from course_utils.checks_01 import check_rnn_step

    def transposed(x_t, h_prev, W_xh, W_hh, b_h):
        return np.tanh(W_xh.T @ x_t + W_hh @ h_prev + b_h)

    result = check_rnn_step(transposed)
    assert not result and "gufunc" not in result.message and "shapes in a product do not fit" in result.message


def test_a_function_that_forgets_return_is_told_so_and_counts_as_a_try():
    def forgot_return(W, x, b):
        np.tanh(W @ x + b)
    result = check_dense_tanh(forgot_return, record=False)
    assert not result and result.attempted and "forget `return`" in result.message
