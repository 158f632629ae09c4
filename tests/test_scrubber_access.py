"""A scrubber's HTML carries what keyboard and screen-reader users need (issue #24); the browser tests
(tests/browser/) check that the keys work and that the canvases are labelled in JupyterLab and the export."""

from html.parser import HTMLParser

import numpy as np

from course_utils import scrubbers
from course_utils.widgets import curve_scrubber, step_scrubber


class _Elements(HTMLParser):
    """Every start tag as (tag, attributes, classes of its open ancestors)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict, list[str]]] = []
        self._open: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.found.append((tag, attributes, [c for _, c in self._open]))
        if tag not in ("input", "br", "img"):
            self._open.append((tag, attributes.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def one(self, css_class: str) -> tuple[dict, list[str]]:
        """The attributes and ancestors' classes of the single element with this class."""
        hits = [(a, up) for _, a, up in self.found if css_class in (a.get("class") or "").split()]
        assert len(hits) == 1, f"{len(hits)} elements of class {css_class}"
        return hits[0]


def _parsed(scrubber) -> _Elements:
    parser = _Elements()
    parser.feed(scrubber._repr_html_())
    return parser


def _scrubber():
    return step_scrubber({"hidden": np.arange(12.0).reshape(4, 3)}, list("abcd"), "a title")


def test_the_play_button_and_the_range_opt_out_of_the_notebooks_shortcuts():
    page = _parsed(_scrubber())
    controls, _ = page.one("us-controls")
    assert controls.get("data-lm-suppress-shortcuts") == "true"
    for control in ("us-play", "us-slider"):
        _, ancestors = page.one(control)
        assert "us-controls" in ancestors, f"{control} is outside the controls that suppress shortcuts"


def test_the_step_label_is_a_polite_live_region_and_every_control_has_a_name():
    page = _parsed(_scrubber())
    assert page.one("us-label")[0].get("aria-live") == "polite"
    assert page.one("us-play")[0].get("aria-label") == "play"
    assert page.one("us-slider")[0].get("aria-label") == "step"


def test_a_curve_scrubbers_range_is_named_by_its_prefix():
    frames = [{"a": np.array([1.0, 2.0])}, {"a": np.array([3.0, 4.0])}]
    scrubber = curve_scrubber([0, 1], frames, ["0.5", "0.9"], "t", "x", "y", prefix="ρ = ")
    assert _parsed(scrubber).one("us-slider")[0].get("aria-label") == "ρ"


def test_the_script_labels_each_canvas_as_an_image_described_by_the_values_at_the_step():
    script = scrubbers.SCRIPT
    for needed in ('setAttribute("role", "img")', '"aria-describedby"', '"aria-label"', '"aria-valuetext"',
                   "focus-visible", '"keydown"', "stopPropagation", "Home", "End"):
        assert needed in script, f"scrubber.js lost {needed}"
