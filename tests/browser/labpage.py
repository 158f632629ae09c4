"""Drive one notebook in JupyterLab's UI with Playwright: open it, Run All from the Run menu, wait,
read errors and widget problems, and move sliders (ipywidgets noUiSlider handles, the course's canvas
scrubbers' range sliders, plotly sliders).

Waits read `window.jupyterapp` (the server runs with --LabApp.expose_app_in_browser=True).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

WIDGET_PROBLEMS = ("Loading widget", "Error displaying widget", "Error rendering", "Model not found")
IPYWIDGET_SLIDERS = ".jp-OutputArea-output .widget-slider"
PLOTLY_SLIDERS = ".js-plotly-plot g.slider-container"
SCRUBBER_SLIDERS = ".unrolled-scrubber input.us-slider"
THUMB_PX = 16  # Chromium's default range thumb: its centre travels from 8 px to width - 8 px
TEXT_INPUTS = ".jp-OutputArea-output .widget-text input[type='text']"
PANEL = "window.jupyterapp.shell.currentWidget"
WORDS = ("the mice had", "long ago ,")  # three words to type; the 2nd when the box holds the 1st

KERNEL_IDLE_JS = f"""() => {{
  const panel = window.jupyterapp && {PANEL};
  const kernel = panel && panel.sessionContext && panel.sessionContext.session?.kernel;
  return !!kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
}}"""

# Done: kernel idle, no "[*]" prompt, and every non-empty code cell ran (or one raised, which stops
# Run All: the later cells keep "[ ]").
RUN_DONE_JS = f"""() => {{
  const panel = {PANEL};
  const status = panel.sessionContext.session?.kernel?.status;
  if (status === 'dead' || status === 'autorestarting') return 'kernel ' + status;
  const dialog = document.querySelector('.jp-Dialog');  // e.g. "Kernel Restarting: ... died"
  if (dialog) return 'a dialog is open: ' + dialog.innerText.replace(/\\s+/g, ' ').trim();
  if (status !== 'idle') return false;
  const prompts = [...panel.node.querySelectorAll('.jp-InputArea-prompt')].map(e => e.textContent);
  if (prompts.some(text => text.includes('*'))) return false;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code'
                                             && c.model.sharedModel.getSource().trim());
  const raised = cells.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return (raised || cells.every(c => c.model.executionCount !== null)) && 'done';
}}"""

ERRORS_JS = f"""() => {{
  const found = [];
  for (const cell of {PANEL}.content.widgets.filter(c => c.model.type === 'code')) {{
    for (const out of cell.model.outputs.toJSON())
      if (out.output_type === 'error') found.push(`${{out.ename}}: ${{out.evalue}}`);
  }}
  for (const node of {PANEL}.node.querySelectorAll(
         '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    if (node.textContent.includes('Traceback')) found.push(node.textContent.slice(0, 300));
  return found;
}}"""

# Per widget-view output in the model: its DOM output child must hold rendered widgets.
UNRENDERED_WIDGETS_JS = f"""(problems) => {{
  const bad = [];
  const outputs = {PANEL}.content.node.querySelectorAll('.jp-OutputArea-output');
  const text = [...outputs].map(node => node.innerText).join(' ');  // outputs only, not prose
  for (const word of problems) if (text.includes(word)) bad.push(word);
  for (const cell of {PANEL}.content.widgets.filter(c => c.model.type === 'code')) {{
    const children = cell.node.querySelectorAll('.jp-OutputArea-child');
    cell.model.outputs.toJSON().forEach((out, i) => {{
      const view = out.data && out.data['application/vnd.jupyter.widget-view+json'];
      if (view && !(children[i] && children[i].querySelector('.jupyter-widgets, .js-plotly-plot')))
        bad.push(`widget ${{view.model_id}} not rendered`);
    }});
  }}
  return bad;
}}"""

# Every figure under `root`, as a string that changes when what it shows changes: a plotly graph div's
# traces and title (a live figure may only retitle, e.g. the continuation), a canvas scrubber's step and a
# sampled hash of its canvases' pixels (a canvas has no data to compare, so the pixels are the proof).
FINGERPRINTS_JS = """(root) => {
  const pixels = c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0; for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0; return h; };
  return [...root.querySelectorAll('.js-plotly-plot')]
      .map(gd => JSON.stringify([gd.data || null, (gd.layout && gd.layout.title) || null]))
    .concat([...root.querySelectorAll('.unrolled-scrubber')]
      .map(s => JSON.stringify([s.dataset.step || null, [...s.querySelectorAll('canvas')].map(pixels)])));
}"""
FIGURES_JS = f"() => ({FINGERPRINTS_JS})({PANEL}.node)"
FIGURES_CHANGED_JS = f"""(before) => {{
  const now = ({FIGURES_JS})();
  return now.length !== before.length || now.some((data, i) => data !== before[i]);
}}"""


def open_notebook(page: Page, url: str, timeout_s: float = 90) -> None:
    """Open a notebook URL and wait until its kernel is idle."""
    page.goto(url)
    page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout_s * 1000)


def run_all_from_menu(page: Page) -> None:
    """Clear old outputs, then Run → Run All Cells, clicked in the menu bar like a learner would."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                 has_text="Run All Cells").first.click()


def wait_until_run(page: Page, timeout_s: float) -> None:
    """Wait until Run All has finished (or stopped at an error) and the kernel is idle."""
    outcome = page.wait_for_function(RUN_DONE_JS, timeout=timeout_s * 1000, polling=250).json_value()
    if outcome != "done":
        raise AssertionError(f"Run All did not finish: {outcome} (out of memory? see the screenshot)")


def errors(page: Page) -> list[str]:
    """Every error output (from the model) and every traceback shown in the page."""
    return page.evaluate(ERRORS_JS)


def wait_widgets_rendered(page: Page, timeout_s: float = 30) -> list[str]:
    """Wait until every widget output is rendered; the problems still left at the timeout."""
    try:
        page.wait_for_function(f"(p) => ({UNRENDERED_WIDGETS_JS})(p).length === 0",
                               arg=list(WIDGET_PROBLEMS), timeout=timeout_s * 1000, polling=250)
    except PlaywrightTimeout:  # the problems left are the answer
        pass
    return page.evaluate(UNRENDERED_WIDGETS_JS, list(WIDGET_PROBLEMS))


def figures(page: Page) -> list[str]:
    """The JSON of every plotly figure's data and title in the notebook (to see if one changed)."""
    return page.evaluate(FIGURES_JS)


def wait_figures_change(page: Page, before: list[str], timeout_s: float = 10) -> bool:
    """Wait until some plotly figure's data differs from `before`; whether it did in time."""
    try:
        page.wait_for_function(FIGURES_CHANGED_JS, arg=before, timeout=timeout_s * 1000, polling=50)
        return True
    except PlaywrightTimeout:  # "did not change"
        return False


def settle(page: Page, quiet_s: float = 0.3, timeout_s: float = 15) -> None:
    """Wait for an idle kernel and figures that stop changing (pending updates have landed)."""
    page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout_s * 1000)
    last, waited = figures(page), 0.0
    while waited < timeout_s:
        page.wait_for_timeout(quiet_s * 1000)
        waited += quiet_s
        now = figures(page)
        if now == last:
            return
        last = now


def press_slider(slider: Locator, presses: int = 3) -> None:
    """Focus an ipywidgets slider's (first) handle and press ArrowRight (ArrowLeft when at max)."""
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowLeft" if at_max else "ArrowRight")


def plotly_slider_steps(slider: Locator) -> tuple[int, int]:
    """(active step, number of steps) of a plotly slider, read from its graph div's layout."""
    return slider.evaluate("""(g) => {
      const gd = g.closest('.js-plotly-plot');
      const index = [...gd.querySelectorAll('g.slider-container')].indexOf(g);
      const s = gd.layout.sliders[index];
      return [s.active || 0, s.steps.length];
    }""")


def click_plotly_step(slider: Locator, step: int) -> None:
    """Click plotly's slider rail (its touch rect, which takes the mousedown) at the x of step
    `step`'s tick; plotly picks the nearest step. Playwright scrolls it into view first."""
    touch = slider.locator("rect.slider-rail-touch-rect").first
    touch.scroll_into_view_if_needed()
    tick = slider.locator("rect.slider-tick-rect").nth(step).bounding_box()
    box = touch.bounding_box()
    touch.click(position={"x": tick["x"] + tick["width"] / 2 - box["x"], "y": box["height"] / 2})


def click_scrubber_step(slider: Locator, step: int) -> None:
    """Click a canvas scrubber's range slider where its thumb sits at `step`; fall back to the arrow keys
    if the click landed on another step (a thumb of another width)."""
    slider.scroll_into_view_if_needed()
    box, top = slider.bounding_box(), int(slider.get_attribute("max"))
    x = THUMB_PX / 2 + (box["width"] - THUMB_PX) * step / max(top, 1)
    slider.click(position={"x": x, "y": box["height"] / 2})
    for _ in range(abs(step - int(slider.input_value()))):
        slider.press("ArrowRight" if step > int(slider.input_value()) else "ArrowLeft")


def move_scrubber(slider: Locator) -> None:
    """Move a canvas scrubber one step (forward, or back when at the last step)."""
    value, top = int(slider.input_value()), int(slider.get_attribute("max"))
    click_scrubber_step(slider, value + 1 if value < top else max(value - 1, 0))


# A canvas scrubber's state as the keys see it: its step (data-step), the range's value and where focus is.
SCRUBBER_STATE_JS = """(slider) => {
  const root = slider.closest('.unrolled-scrubber');
  return {step: root.dataset.step, value: +slider.value, focused: document.activeElement === slider,
          order: JSON.parse(root.querySelector('script.us-spec').textContent).order,
          playing: root.querySelector('.us-play').getAttribute('aria-label') === 'pause'};
}"""
# What a screen reader gets: per canvas its role, label and the text of the values it is described by.
SCRUBBER_SPOKEN_JS = """(slider) => {
  const root = slider.closest('.unrolled-scrubber');
  return {spec: JSON.parse(root.querySelector('script.us-spec').textContent), step: +root.dataset.step,
          live: root.querySelector('.us-label').getAttribute('aria-live'),
          canvases: [...root.querySelectorAll('.us-panels canvas')].map(c => ({role: c.getAttribute('role'),
            label: c.getAttribute('aria-label') || '',
            values: (document.getElementById(c.getAttribute('aria-describedby')) || {}).textContent || ''}))};
}"""
SCRUBBER_KEYS = (("ArrowRight", lambda k, last: min(k + 1, last)), ("End", lambda k, last: last),
                 ("Home", lambda k, last: 0), ("ArrowRight", lambda k, last: min(k + 1, last)),
                 ("ArrowLeft", lambda k, last: max(k - 1, 0)))


def press_scrubber_keys(slider: Locator, after_each: Callable[[], list[str]] = lambda: []) -> list[str]:
    """Focus a canvas scrubber's play button, Tab to its range and press →, End, Home, →, ←, then Space twice;
    after each key the step must be the one the key leads to and focus still on the range; `after_each` adds
    checks of its own (e.g. that the notebook's active cell stayed). The problems found, in words."""
    slider.scroll_into_view_if_needed()
    slider.locator("xpath=preceding-sibling::button[contains(@class,'us-play')]").focus()
    slider.page.keyboard.press("Tab")
    problems = [] if slider.evaluate(SCRUBBER_STATE_JS)["focused"] else ["Tab from the play button missed the range"]
    slider.focus()   # go on from the range whatever Tab did
    problems += after_each()
    state = slider.evaluate(SCRUBBER_STATE_JS)
    last = len(state["order"]) - 1
    for key, leads_to in SCRUBBER_KEYS:
        want = leads_to(state["value"], last)
        slider.page.keyboard.press(key)
        state = slider.evaluate(SCRUBBER_STATE_JS)
        if (state["value"], state["step"]) != (want, str(state["order"][want])):
            problems.append(f"{key}: range at {state['value']} showing step {state['step']}, "
                            f"expected {want} showing {state['order'][want]}")
        if not state["focused"]:
            problems.append(f"{key}: focus left the range")
        problems += [f"{key}: {p}" for p in after_each()]
    for playing in (True, False):   # Space plays, Space again pauses
        slider.page.keyboard.press("Space")
        state = slider.evaluate(SCRUBBER_STATE_JS)
        if state["playing"] != playing or not state["focused"]:
            problems.append(f"Space: playing={state['playing']}, focused={state['focused']} (expected {playing}, True)")
        problems += [f"Space: {p}" for p in after_each()]
    return problems


NUMBER = r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|none)"


def _close(said: str, value: float | None) -> bool:
    """A number read out (two significant digits) stands for `value`; "none" for a missing one."""
    return said == "none" if value is None else said != "none" and abs(float(said) - value) <= 0.05 * abs(value) + 1e-12


def _spoken_values_problem(panel: dict, t: int, at: str, text: str) -> str | None:
    """Whether the hidden text reads out panel's values at step t (named `at`), in order, each after its
    unit's (or x's) name; None when it does."""
    pos = text.find(at + ": ")
    if pos < 0:
        return "the step is not named"
    pos += len(at) + 2
    if panel["kind"] == "curves":
        for line in panel["lines"]:
            pos = text.find(line["name"] + ": ", pos)
            if pos < 0:
                return f"no line {line['name']!r}"
            pos += len(line["name"]) + 2
            for value in line["frames"][t]:
                m = re.compile(NUMBER + " " + NUMBER).match(text, pos)
                if not m or not _close(m.group(2), value):
                    return f"{line['name']!r} reads {text[pos:pos + 20]!r} where {value} is"
                pos = m.end() + 2
        return None
    for name, value in zip(panel["units"], panel["values"][t]):
        pos = text.find(name + " ", pos)
        m = pos >= 0 and re.compile(NUMBER).match(text, pos + len(name) + 1)
        if not m or not _close(m.group(1), value):
            return f"{name!r} reads {text[pos:pos + 20]!r} where {value} is"
        pos = m.end()
    return None


def scrubber_spoken_problems(slider: Locator) -> list[str]:
    """Each canvas is an image labelled with its title and the current step, described by a text of the
    values at that step (two significant digits); the step label is a polite live region. The problems."""
    seen = slider.evaluate(SCRUBBER_SPOKEN_JS)
    spec, t = seen["spec"], seen["step"]
    at = spec["prefix"] + spec["steps"][t]
    problems = [] if seen["live"] == "polite" else [f"step label aria-live={seen['live']!r}"]
    if len(seen["canvases"]) != len(spec["panels"]):
        problems.append(f"{len(seen['canvases'])} canvases for {len(spec['panels'])} panels")
    for panel, canvas in zip(spec["panels"], seen["canvases"]):
        if canvas["role"] != "img" or panel["title"] not in canvas["label"] or at not in canvas["label"]:
            problems.append(f"canvas of {panel['title']!r}: role={canvas['role']!r}, label={canvas['label']!r}")
        wrong = _spoken_values_problem(panel, t, at, canvas["values"])
        if wrong:
            problems.append(f"values of {panel['title']!r} at {at!r}: {wrong} in {canvas['values'][:160]!r}")
    return problems


def move_plotly_slider(slider: Locator) -> None:
    """Move a plotly slider one step (forward, or back when at the last step)."""
    active, n_steps = plotly_slider_steps(slider)
    click_plotly_step(slider, active + 1 if active + 1 < n_steps else max(active - 1, 0))


def type_words(text_input: Locator, choices: tuple[str, ...] = WORDS) -> str:
    """Replace an ipywidgets Text box's content with the first of `choices` it does not hold
    already, press Enter; the words typed."""
    text_input.scroll_into_view_if_needed()
    current = text_input.input_value().strip()
    words = next(choice for choice in choices if choice != current)
    text_input.fill(words)
    text_input.press("Enter")
    return words


SCROLLER_JS = f"""() => {{
  const outer = {PANEL}.node.querySelector('.jp-WindowedPanel-outer') || {PANEL}.content.node;
  outer.scrollTop = 0;
  return outer.scrollHeight;
}}"""


def full_screenshot(page: Page, path: Path, max_height: int = 16000) -> None:
    """Screenshot the whole notebook: scroll it to the top and grow the viewport to its height."""
    height = page.evaluate(SCROLLER_JS)
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.set_viewport_size({"width": width, "height": min(max_height, int(height) + 150)})
    page.wait_for_timeout(500)  # let content-visibility paint the cells that just came into view
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
