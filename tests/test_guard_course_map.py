"""Guards on the course map (course_utils/course_map.py): each test fails on one real bug that the rest of
the suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

from course_utils.course_map import NOTEBOOKS, exercise_labels


def test_every_label_starts_with_its_notebook_number_and_name():
    labels = exercise_labels()
    for stem, _, exercises in NOTEBOOKS:
        for name, what in exercises:
            label = labels[f"{stem[:2]}.{name}"]
            assert label == f"{stem[:2]} {name}: {what}", f"label {label!r} does not name notebook {stem[:2]}"


def test_the_two_param_count_exercises_are_told_apart_by_notebook():
    labels = exercise_labels()
    assert labels["01.param_count"].startswith("01 param_count")
    assert labels["07.param_count"].startswith("07 param_count")
