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
    assert report["packages"]["torch"].startswith("2.13.0")


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
