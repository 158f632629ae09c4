"""The class part of the classroom load test: learners answer exercises right and wrong in their own
kernels, the instructor's class view must show exactly those outcomes, and the accounts hold (a
learner can't open the view, nor log in as another learner, nor claim a new name without the
class password). Used by `classroom_load.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classroom_learner import LoginRefused, hub_login

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import axe_audit  # noqa: E402  (the browser tests' pinned axe-core)

CLASS_PASSWORD = "classroom-test-class-password"
INSTRUCTOR, INSTRUCTOR_PASSWORD = "instructor", "classroom-test-instructor-password"
VIEW = "/services/class-progress/"

# (exercise, import, a right answer, a wrong answer): checked in the learner's kernel
ANSWERS = [
    ("00.output_size", "from course_utils.checks_00 import check_output_size",
     "check_output_size(4)", "check_output_size(3)"),
    ("00.dense_tanh", "import numpy as np\nfrom course_utils.checks_00 import check_dense_tanh",
     "check_dense_tanh(lambda W, x, b: np.tanh(W @ x + b))", "check_dense_tanh(lambda W, x, b: W @ x + b)"),
    ("06.ceiling", "from course_utils.checks_06 import check_ceiling",
     "check_ceiling(199 / 201)", "check_ceiling(1.0)"),
]
# What a learner does with one exercise, by (learner number + exercise number) % 4:
PLANS = [(True,), (False, False), (False, True), ()]       # right; wrong twice; wrong then right; untouched


def own_password(name: str) -> str:
    """The password each simulated learner sets on first login."""
    return f"{name}-own-password"


def planned_answers(learner: int) -> list[tuple[str, bool]]:
    """(exercise, right?) in the order learner number `learner` (0-based) answers them."""
    return [(exercise, right) for j, (exercise, *_) in enumerate(ANSWERS) for right in PLANS[(learner + j) % 4]]


def expected_cells(learner: int) -> dict[str, tuple[str, int]]:
    """exercise → (state, attempts) that the class view must show for that learner."""
    expected = {}
    for j, (exercise, *_) in enumerate(ANSWERS):
        plan = PLANS[(learner + j) % 4]
        state = "passed" if any(plan) else "tried" if plan else "untried"
        expected[exercise] = (state, len(plan))
    return expected


def answer_cells(learner: int) -> list[str]:
    """The cells the learner runs: each a checked answer, as typed in a notebook."""
    code = {exercise: (imports, right, wrong) for exercise, imports, right, wrong in ANSWERS}
    return [f"{code[ex][0]}\n_ = {code[ex][1] if right else code[ex][2]}" for ex, right in planned_answers(learner)]


def view_mismatches(table: dict, learners: list[str], numbers: dict[str, int] | None = None) -> list[str]:
    """Where the class view's JSON differs from what the learners did ([] when it is exact);
    `numbers`: each learner's number in the class when `learners` is part of it."""
    rows = {row["name"]: row for row in table["learners"]}
    problems = [f"rows {sorted(rows)} != learners {sorted(learners)}"] if sorted(rows) != sorted(learners) else []
    for name in learners:
        k = numbers[name] if numbers else learners.index(name)
        cells = rows.get(name, {}).get("cells", {})
        for exercise in (e["id"] for e in table["exercises"]):
            want = expected_cells(k).get(exercise, ("untried", 0))
            got = (cells.get(exercise, {}).get("state"), cells.get(exercise, {}).get("attempts"))
            if got != want:
                problems.append(f"{name} {exercise}: view shows {got}, learner did {want}")
    return problems


def instructor_view(hub: str) -> tuple[dict, str]:
    """Log in as the instructor, open the class view (OAuth through the hub) and read its JSON."""
    session = hub_login(hub, INSTRUCTOR, INSTRUCTOR_PASSWORD)
    page = session.get(hub + VIEW, timeout=60)
    page.raise_for_status()
    data = session.get(hub + VIEW + "api/progress", timeout=120)
    data.raise_for_status()
    return data.json(), page.text


def refused(hub: str, name: str, password: str, class_password: str = "") -> bool:
    """Whether the hub refuses this login."""
    try:
        hub_login(hub, name, password, class_password)
    except LoginRefused:
        return True
    return False


def account_problems(hub: str, learners: list[str]) -> list[str]:
    """What a learner could do that they must not ([] when every attempt was refused)."""
    first, second = learners[0], learners[1]
    problems = []
    status = hub_login(hub, first, own_password(first)).get(hub + VIEW, timeout=60).status_code
    if status != 403:
        problems.append(f"a learner opening the class view got HTTP {status}, not 403")
    trials = {f"{second} logging in as {first} with {second}'s password": (first, own_password(second), ""),
              f"logging in as {first} with the class password": (first, CLASS_PASSWORD, CLASS_PASSWORD),
              "a new name without the class password": ("newcomer", "newcomer-password", ""),
              "a new name with a wrong class password": ("newcomer", "newcomer-password", "not-the-class-one"),
              "a learner claiming the instructor's name": (INSTRUCTOR, CLASS_PASSWORD, CLASS_PASSWORD)}
    problems += [f"{what} was let in" for what, args in trials.items() if not refused(hub, *args)]
    if refused(hub, first, own_password(first)):
        problems.append(f"{first} could not log in again with their own password")
    return problems


COLUMN_JS = """(column) => [...document.querySelectorAll('#table tbody tr')].map(
    r => r.children[column].textContent)"""


def sort_problems(page, key: str, column: int) -> list[str]:  # noqa: ANN001  (a Playwright page)
    """Click a header twice: the rows must be in descending, then ascending order of that column."""
    problems = []
    for order in ("descending", "ascending"):
        page.click(f"button[data-key='{key}']")
        values = [int(v) for v in page.evaluate(COLUMN_JS, column)]
        if values != sorted(values, reverse=order == "descending"):
            problems.append(f"sorted {order} by {key}, the rows read {values}")
    return problems


def axe_problems(page) -> list[str]:  # noqa: ANN001  (a Playwright page)
    """axe-core's serious/critical violations on the class view (the whole page is ours)."""
    if not axe_audit.AXE_JS.exists():
        return [axe_audit.AXE_HINT]
    return [f"axe: {line.strip()}" for line in axe_audit.summary(axe_audit.audit_all(page)).splitlines()]


def browser_problems(hub: str, out: Path | None) -> list[str]:
    """The instructor's view in Chromium: log in, sort by a column both ways, see it refresh by
    itself, audit it with axe-core, and take the screenshot (sorted by longest stuck) when `out` is given."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1440, "height": 700})
        page.goto(hub + "/hub/login")
        page.fill("#username_input", INSTRUCTOR)
        page.fill("#password_input", INSTRUCTOR_PASSWORD)
        page.click("#login_submit")
        page.wait_for_selector("td[data-exercise]")            # the instructor lands on the view
        problems = sort_problems(page, "passed", 2)
        first = page.get_attribute("body", "data-updated")
        try:
            page.wait_for_function(f"() => document.body.dataset.updated !== {first!r}", timeout=40_000)
        except Exception:  # noqa: BLE001  (Playwright's timeout: the answer)
            problems.append("the view did not refresh by itself within 40 s")
        page.click("button[data-key='stuck_minutes']")          # the most stuck first
        problems += axe_problems(page)
        if out:
            page.screenshot(path=str(out), full_page=True)
        browser.close()
    return problems
