"""Guards on the learner's course map (course_utils/progress_view.py): each test fails on one real bug
that the rest of the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

from html.parser import HTMLParser

from course_utils.progress import empty_record, updated_entry
from course_utils.progress_view import chip, map_rows


class _Spans(HTMLParser):
    """Every start tag's attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _item(*answers: tuple[bool, str | None]) -> dict:
    """Exercise 04.clip's row item after the given (passed, hint) answers."""
    record, entry = empty_record(), None
    for k, (passed, hint) in enumerate(answers):
        entry = updated_entry(entry, passed, hint, f"2026-01-01T10:{k:02d}:00Z")
    record["exercises"]["04.clip"] = entry
    row = map_rows(record, "04")[0]
    return next(item for item in row["exercises"] if item["id"] == "04.clip")


def test_a_passed_chip_shows_no_old_hint():
    page = chip(_item((False, "clip all gradients by one factor"), (True, None)))
    assert "last hint" not in page and "one factor" not in page, f"a passed chip shows its old hint: {page}"


def test_a_tried_chip_shows_its_last_hint():
    assert "last hint: clip all gradients by one factor" in chip(_item((False, "clip all gradients by one factor")))


def test_a_hint_with_quotes_stays_inside_the_chips_label():
    hint = "it's the norm, not each value' onmouseover='alert(1)"
    parser = _Spans()
    parser.feed(chip(_item((False, hint))))
    tag, attrs = parser.tags[0]
    assert tag == "span" and set(attrs) == {"role", "aria-label", "title", "style"}, \
        f"the hint broke out of its attribute: attributes {sorted(attrs)}"
    assert attrs["aria-label"].endswith(f"last hint: {hint}") and attrs["title"] == attrs["aria-label"]
