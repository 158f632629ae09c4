"""make html, tested: the exported course opens from file:// with every other request blocked, every
figure has data, every formula is typeset, every scrubber and plotly slider still scrubs (every scrubber from
the keyboard too, and labelled for a screen reader), it stays small, and axe-core finds no serious or critical
violation in the course's own output on any page (axe_audit.py says what "our own" is; nbconvert's page
around the cells is reported apart and not failed on)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page

import axe_audit
import labpage
from labserver import notebook_paths

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "export_html.py"
MAX_MB = 30
HOVER_AT = (90, 28)  # CSS px inside the canvas: just inside the first panel's plot (scrubber.js: LEFT 84, TOP 22)
RAW_TEX_JS = r"""() => (document.body.innerText.match(/\$\$|\\frac|\\mathbb|\\tanh|\\partial|\\sum/g) || []).length"""
FIGURES_JS = f"() => ({labpage.FINGERPRINTS_JS})(document.body)"
# a canvas scrubber is drawn: its script ran (the "needs JavaScript" line is gone) and it shows a step
UNDRAWN_SCRUBBERS_JS = """() => [...document.querySelectorAll('.unrolled-scrubber')].filter(s =>
  s.querySelector('.us-fallback') || !s.dataset.step || !s.querySelector('canvas')).length"""
# drawn: plotly has laid it out, with traces or (a diagram) with shapes or annotations
EMPTY_FIGURES_JS = """() => [...document.querySelectorAll('.plotly-graph-div')].filter(gd => !(gd._fullLayout &&
  ((gd.data || []).length || (gd.layout.shapes || []).length || (gd.layout.annotations || []).length))).length"""


def _export_module():
    spec = importlib.util.spec_from_file_location("export_html", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every notebook executed and exported, as `make html` does."""
    out = tmp_path_factory.mktemp("html")
    _export_module().export(notebook_paths(), out)
    return out


@pytest.fixture()
def offline_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that may load file:// only; the list of every other URL it tried."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, blocked = context.new_page(), []

    def route(route):
        if route.request.url.startswith("file://"):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    page.route("**/*", route)
    yield page, blocked
    context.close()


def check_hover(page: Page, canvas) -> None:
    """Hovering just inside a scrubber's first panel (its all-steps view) reads out a value."""
    canvas.scroll_into_view_if_needed()
    canvas.hover(position={"x": HOVER_AT[0], "y": HOVER_AT[1]})
    tip = canvas.locator("xpath=ancestor::div[contains(@class,'unrolled-scrubber')][1]").locator(".us-tip")
    assert tip.is_visible() and re.search(r": .*[0-9]", tip.inner_text()), f"no read-out: {tip.inner_text()!r}"


@pytest.mark.browser
def test_the_exported_course_is_small(site: Path) -> None:
    size_mb = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20
    print(f"exported course: {size_mb:.1f} MB")
    assert size_mb <= MAX_MB and (site / "index.html").exists()
    assert all((site / f"{p.stem}.html").exists() for p in notebook_paths())


@pytest.mark.browser
@pytest.mark.parametrize("notebook", notebook_paths(), ids=[p.stem for p in notebook_paths()])
def test_an_exported_page_works_offline(site: Path, offline_page, notebook: Path) -> None:
    page, blocked = offline_page
    page.goto((site / f"{notebook.stem}.html").as_uri())
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                           "&& MathJax.Hub.queue.running === 0", timeout=60_000)
    empty = page.evaluate(EMPTY_FIGURES_JS)
    assert page.evaluate(FIGURES_JS) and empty == 0, f"{empty} figures were not drawn"
    assert page.evaluate(RAW_TEX_JS) == 0, "some LaTeX was left untypeset"
    assert page.evaluate(UNDRAWN_SCRUBBERS_JS) == 0, "a scrubber's script did not draw it"
    for canvas in page.locator(".unrolled-scrubber .us-panels canvas:first-child").all():
        check_hover(page, canvas)
    for i, slider in enumerate(page.locator(labpage.SCRUBBER_SLIDERS).all()):
        problems = labpage.press_scrubber_keys(slider) + labpage.scrubber_spoken_problems(slider)
        assert not problems, f"scrubber #{i} from the keyboard / for a screen reader: {problems}"
    moves = [lambda s=s: labpage.move_scrubber(s) for s in page.locator(labpage.SCRUBBER_SLIDERS).all()]
    moves += [lambda s=s: labpage.move_plotly_slider(s) for s in page.locator(labpage.PLOTLY_SLIDERS).all()]
    for move in moves:
        before = page.evaluate(FIGURES_JS)
        move()
        page.wait_for_function(f"(before) => JSON.stringify(({FIGURES_JS})()) !== JSON.stringify(before)",
                               arg=before, timeout=10_000)
    assert blocked == [], f"the page asked the network for {blocked}"


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index"] + [p.stem for p in notebook_paths()])
def test_an_exported_page_passes_axe(site: Path, offline_page, name: str) -> None:
    """axe-core on the page as it opens: no serious/critical violation in our own output; nbconvert's own printed."""
    if not axe_audit.AXE_JS.exists():
        pytest.fail(axe_audit.AXE_HINT, pytrace=False)
    page, _ = offline_page
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_function("() => !window.MathJax || (MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                           "&& MathJax.Hub.queue.running === 0)", timeout=60_000)
    found = axe_audit.audit(page)
    print(f"{name}: axe, serious/critical nodes: ours {axe_audit.counts(found['ours'])}, "
          f"nbconvert's/plotly's {axe_audit.counts(found['theirs'])}")
    assert not found["ours"], f"axe-core in the course's own output:\n{axe_audit.summary(found['ours'])}"
