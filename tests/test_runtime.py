import numpy as np
import torch

from course_utils.runtime import device, environment_problems, environment_report, seed_everything


def test_device_is_cuda_exactly_when_available():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert device().type == expected
    assert device(prefer_gpu=False).type == "cpu"


def test_seed_everything_repeats_the_same_numbers():
    seed_everything(3)
    first = (np.random.rand(3), torch.rand(3))
    seed_everything(3)
    second = (np.random.rand(3), torch.rand(3))
    assert np.array_equal(first[0], second[0]) and torch.equal(first[1], second[1])


def test_seed_everything_uses_one_thread():
    seed_everything(0)
    assert torch.get_num_threads() == 1


def test_environment_report_is_complete_here():
    report = environment_report()
    assert environment_problems(report) == []
    # any torch in pyproject's range is supported (a CUDA build of another minor version too);
    # the exact pin is tested on the lock (test_environment_files.py), not on this machine
    from packaging.version import Version
    assert Version(report["packages"]["torch"]).release >= (2, 3)


def test_environment_problems_name_the_missing_package_and_old_python():
    report = {"python": "3.9.1", "packages": {"numpy": "2.0", "plotly": None}}
    problems = environment_problems(report)
    assert len(problems) == 2
    assert "3.9.1" in problems[0] and "plotly" in problems[1] and "make lab" in problems[1]


def test_figures_also_carry_html_for_static_exports():
    import plotly.graph_objects as go
    import plotly.io as pio

    seed_everything(0)
    bundle = pio.renderers._build_mime_bundle(go.Figure().to_dict())
    assert "application/vnd.plotly.v1+json" in bundle and "text/html" in bundle


def test_seed_everything_defaults_to_unrolled_seed(monkeypatch):
    monkeypatch.setenv("UNROLLED_SEED", "3")
    seed_everything()
    from_env = torch.rand(3)
    seed_everything(3)
    assert torch.equal(from_env, torch.rand(3))
    seed_everything(4)
    assert not torch.equal(from_env, torch.rand(3))


def test_course_seed_is_zero_when_unset_and_refuses_words(monkeypatch):
    import pytest
    from course_utils.runtime import course_seed

    monkeypatch.delenv("UNROLLED_SEED", raising=False)
    assert course_seed() == 0
    monkeypatch.setenv("UNROLLED_SEED", "two")
    with pytest.raises(ValueError, match="UNROLLED_SEED must be a whole number"):
        course_seed()


def test_seed_blocks_do_not_overlap_across_course_seeds(monkeypatch):
    from course_utils.runtime import seed_block

    blocks = []
    for k in range(3):
        monkeypatch.setenv("UNROLLED_SEED", str(k))
        blocks.append(seed_block(5))
    assert blocks[0] == [0, 1, 2, 3, 4] and blocks[2] == [10, 11, 12, 13, 14]


def test_seed_everything_turns_tf32_off_for_matmuls_and_cudnn_rnns():
    torch.backends.cudnn.rnn.fp32_precision = "tf32"      # torch's default for cuDNN RNNs
    seed_everything(0)
    assert torch.backends.cudnn.rnn.fp32_precision == "ieee"
    assert torch.backends.cuda.matmul.fp32_precision == "ieee"


def test_parity_tolerance_is_stated_per_dtype_and_device():
    from course_utils.runtime import parity_tolerance

    assert parity_tolerance(torch.float64, "cuda") == 1e-10
    assert parity_tolerance(torch.float32, "cpu") == 1e-5 < parity_tolerance(torch.float32, "cuda")


def test_cuda_use_report_says_where_training_ran(monkeypatch):
    from course_utils.runtime import cuda_use_report

    monkeypatch.delenv("UNROLLED_REQUIRE_CUDA", raising=False)
    assert "CPU" in cuda_use_report("cpu")


def test_cuda_use_report_refuses_a_cpu_run_when_cuda_is_required(monkeypatch):
    import pytest
    from course_utils.runtime import cuda_use_report

    monkeypatch.setenv("UNROLLED_REQUIRE_CUDA", "1")
    with pytest.raises(RuntimeError, match="ran on cpu"):
        cuda_use_report("cpu")


def test_importing_the_course_skips_only_jsonschemas_slow_optional_iri_check():
    import subprocess
    import sys

    code = ("import time, course_utils, nbformat, jsonschema\n"
            "start = time.process_time()\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
            "nbformat.validate(nb)\n"                                   # notebooks still validate
            "checker = jsonschema.FormatChecker()\n"
            "assert 'iri' not in checker.checkers and 'email' in checker.checkers, sorted(checker.checkers)\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
    plain = subprocess.run([sys.executable, "-c", "import importlib.util, jsonschema; print("
                            "'iri' in jsonschema.FormatChecker().checkers, "
                            "importlib.util.find_spec('rfc3987_syntax') is not None)"],
                           capture_output=True, text=True, timeout=60)
    checked, installed = plain.stdout.split()
    assert checked == installed      # without the course, the check (and its cost) is there wherever it is installed
