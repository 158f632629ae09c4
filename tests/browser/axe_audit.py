"""An axe-core audit of a page (axe-core pinned in tests/browser/axe/, installed there by `make browser`):
violations of impact "serious" or "critical" split into the course's own and the rest.

"Our own" is decided per flagged node, in the page, by where the node lies: inside a cell's output
(`.jp-OutputArea-output`: the scrubbers' `.unrolled-scrubber` roots, the course's ipywidgets, the text and
HTML the notebooks print, our plotly figures) or inside the notebooks' rendered markdown
(`.jp-RenderedMarkdown`, `.jp-MarkdownOutput`), less what a library builds inside an output and gives no
hook to name from Python: plotly's chrome (its mode bar and SVG layers, `.modebar-container`, `.main-svg`)
and ipywidgets' slider (its noUiSlider track and handle, `.noUi-target`: ipywidgets 8 passes no label to
the handle, which axe reports as aria-input-field-name). Every other node (JupyterLab's or
jupyterlab-deck's interface, nbconvert's page around the cells, those library parts) is theirs: reported,
never failed on.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = f"axe-core is missing at {AXE_JS}: run `make browser` (or `cd {AXE_DIR} && npm ci`)"
SERIOUS = ("serious", "critical")
OURS = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-MarkdownOutput"
THEIRS_INSIDE_OURS = ".modebar-container, .main-svg, .noUi-target"

AUDIT_JS = """async ([ours, theirs, serious]) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const split = {ours: [], theirs: []};
  for (const v of result.violations) {
    if (!serious.includes(v.impact)) continue;
    for (const node of v.nodes) {
      const target = node.target[node.target.length - 1];
      let el = null;
      try { el = document.querySelector(Array.isArray(target) ? target[0] : target); } catch (e) {}
      const own = !!el && !!el.closest(ours) && !el.closest(theirs);
      split[own ? 'ours' : 'theirs'].push({rule: v.id, impact: v.impact, target: JSON.stringify(node.target),
        html: node.html.slice(0, 200), summary: (node.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)});
    }
  }
  return split;
}"""


def audit(page: Page) -> dict[str, list[dict]]:
    """axe.run on the whole page: serious/critical violations, one entry per node, as {"ours": [...], "theirs": [...]}."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AUDIT_JS, [OURS, THEIRS_INSIDE_OURS, list(SERIOUS)])


def audit_all(page: Page) -> list[dict]:
    """axe.run on a page that is all ours (no JupyterLab around it): every serious/critical node."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AUDIT_JS, ["html", "#no-such-element", list(SERIOUS)])["ours"]


def summary(found: list[dict]) -> str:
    """One line per node: rule, impact, target, what axe says to fix."""
    return "\n".join(f"  {f['rule']} ({f['impact']}) at {f['target']}: {f['html'][:120]} | {f['summary']}"
                     for f in found)


def counts(found: list[dict]) -> dict[str, int]:
    """How many nodes per rule."""
    out: dict[str, int] = {}
    for f in found:
        out[f["rule"]] = out.get(f["rule"], 0) + 1
    return out
