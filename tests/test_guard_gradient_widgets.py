"""Guards on notebook 04's gradient widgets (course_utils/gradient_widgets.py): each test fails on one real
bug that the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

import numpy as np

from course_utils.gradient_widgets import norm_curve, radius_frames


def _setup(H=16, T=30):
    rng = np.random.default_rng(0)
    return rng.normal(0, 1 / np.sqrt(H), (H, H)), rng.normal(0, 1, (T, H))


def _frames(scrubber, line: str) -> np.ndarray:
    """A line's y values in every frame of a curve scrubber, (frames, T+1)."""
    panel = scrubber.panel("curves")
    return np.array(next(item["frames"] for item in panel["lines"] if item["name"] == line), dtype=float)


def test_the_radius_frames_use_the_drive_sigma():
    W, drive = _setup()
    frames = _frames(radius_frames(W, drive, [0.9, 1.5], drive_std=0.3), "tanh")
    at_03 = np.array([norm_curve(W, drive, rho, "tanh", 0.3)["norm"] for rho in (0.9, 1.5)])
    at_1 = np.array([norm_curve(W, drive, rho, "tanh", 1.0)["norm"] for rho in (0.9, 1.5)])
    assert np.allclose(frames, at_03, rtol=1e-3), "the tanh frames are not the curves at σ = 0.3"
    assert not np.allclose(frames, at_1, rtol=1e-3), "the tanh frames ignore σ (they equal σ = 1's curves)"


def test_the_bound_is_the_spectral_norm_to_the_d():
    W, drive = _setup()
    curve = norm_curve(W, drive, 1.2, "linear")
    largest_singular_value = np.linalg.svd(W * (1.2 / np.max(np.abs(np.linalg.eigvals(W)))), compute_uv=False)[0]
    assert np.allclose(curve["bound"], largest_singular_value ** np.arange(len(curve["bound"])), rtol=1e-9), \
        f"bound[1] = {curve['bound'][1]:.4g}, the spectral norm is {largest_singular_value:.4g}"


def test_the_bound_is_reached_after_one_linear_step():
    """‖∂h_T/∂h_(T−1)‖₂ = ‖W_hh‖₂ for a linear RNN: Pascanu's bound is tight at d = 1."""
    W, drive = _setup()
    curve = norm_curve(W, drive, 0.8, "linear")
    assert np.isclose(curve["norm"][1], curve["bound"][1], rtol=1e-9), \
        f"norm {curve['norm'][1]:.6g} vs bound {curve['bound'][1]:.6g} at d = 1"
