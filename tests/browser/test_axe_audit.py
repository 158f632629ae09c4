"""The axe-core audit can fail: on a page holding a real scrubber in a cell output, it passes; a scrubber
canvas that loses its name, a range with no label or low-contrast text in an output is reported as the
course's own, while the same fault outside the outputs counts as the host page's (JupyterLab's, nbconvert's)."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest
from playwright.sync_api import Browser, Page

import axe_audit
from course_utils.widgets import step_scrubber

SCRUBBER = step_scrubber({"hidden": np.linspace(-1, 1, 12).reshape(4, 3)}, ["a", "b", "c", "d"], "a test scrubber")
PAGE = ("<!doctype html><html lang='en'><head><title>axe test</title></head><body><main>"
        "<div class='jp-OutputArea-output'>{output}</div><div class='host'>{host}</div></main></body></html>")
FAULTS = {  # what we break in the page, and the axe rule that must catch it
    "a canvas without its name": ("document.querySelector('.unrolled-scrubber canvas').removeAttribute('aria-label')",
                                  "role-img-alt"),
    "a range without a label": ("document.querySelector('.us-slider').removeAttribute('aria-label')", "label"),
    "low-contrast text": ("document.querySelector('.unrolled-scrubber').insertAdjacentHTML('beforeend',"
                          " '<p style=\"color:#bbb\">faint words</p>')", "color-contrast"),
}


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    if not axe_audit.AXE_JS.exists():
        pytest.fail(axe_audit.AXE_HINT, pytrace=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def show(page: Page, output: str, host: str = "") -> None:
    page.set_content(PAGE.format(output=output, host=host))
    page.wait_for_function("() => document.querySelector('.unrolled-scrubber')?.dataset.step !== undefined")


@pytest.mark.browser
def test_a_scrubber_in_an_output_passes_axe(page: Page) -> None:
    show(page, SCRUBBER._repr_html_())
    found = axe_audit.audit(page)
    assert found == {"ours": [], "theirs": []}, axe_audit.summary(found["ours"] + found["theirs"])


@pytest.mark.browser
@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_in_our_output_is_ours(page: Page, fault: str) -> None:
    script, rule = FAULTS[fault]
    show(page, SCRUBBER._repr_html_())
    page.evaluate(f"() => {{ {script}; }}")
    found = axe_audit.audit(page)
    assert rule in axe_audit.counts(found["ours"]) and not found["theirs"], found


@pytest.mark.browser
def test_a_fault_outside_the_outputs_is_the_hosts(page: Page) -> None:
    show(page, SCRUBBER._repr_html_(), host="<p style='color:#bbb'>the host's faint words</p><input type='range'>")
    found = axe_audit.audit(page)
    assert not found["ours"] and {"color-contrast", "label"} <= set(axe_audit.counts(found["theirs"])), found
