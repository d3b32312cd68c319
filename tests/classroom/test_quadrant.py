"""The worked examples of personalisation-quadrant.md, as test vectors."""

import pytest

from classroom.models import ASPECTS, Lesson
from classroom.quadrant import (
    PUPIL,
    TEACHER,
    PupilRecord,
    enacted,
    intended_belang,
    intended_regie,
    pupil_position,
    pupil_positions,
    quadrant_name,
)


def openness(**overrides):
    return {aspect: overrides.get(aspect, "fixed") for aspect in ASPECTS}


def test_example_1_klassikaal():
    lesson = Lesson(differentiation="whole_class", **{f"{a}_openness": "fixed" for a in ASPECTS})
    records = {
        i: PupilRecord({a: TEACHER for a in ASPECTS}, frozenset({"g1"}), True) for i in range(24)
    }
    result = enacted(openness(), records)
    assert intended_regie(lesson) == 0
    assert intended_belang(lesson) == 0
    assert result.regie == 0
    assert result.belang == 0
    assert quadrant_name(result.regie, result.belang) == "klassikaal onderwijs"


def test_example_2_three_level_groups_assigned_by_the_teacher():
    records = {}
    for i in range(30):
        group = i // 10
        records[i] = PupilRecord({}, frozenset({f"goal-{group}"}), group == 0)
    result = enacted(openness(), records)
    assert result.regie == 0
    assert result.belang == pytest.approx(0.667, abs=0.001)
    assert quadrant_name(result.regie, result.belang) == (
        "groepsdifferentiatie en individuele leerlijnen"
    )


def test_example_3_self_regulated_fixed_programme():
    free = {a: "free" for a in ("instruction", "place", "partner", "order")}
    records = {
        i: PupilRecord({a: PUPIL for a in ASPECTS}, frozenset({"g"}), i < 12) for i in range(20)
    }
    result = enacted(openness(**free), records)
    assert result.regie == pytest.approx(0.8)
    assert result.belang == pytest.approx(0.48)
    assert quadrant_name(result.regie, result.belang) == (
        "zelfregulerend leren in een vaststaand programma"
    )


def test_example_4_personalised():
    records = {
        i: PupilRecord({a: PUPIL for a in ASPECTS}, frozenset({f"goal-{i}"}), False)
        for i in range(4)
    }
    result = enacted({a: "free" for a in ASPECTS}, records)
    assert result.regie == 1.0
    assert result.belang == pytest.approx(0.75)
    assert quadrant_name(result.regie, result.belang) == "gepersonaliseerd leren"


def test_example_5_choice_with_one_override():
    lesson = Lesson(differentiation="whole_class", goal_openness="choice")
    records = {
        "P": PupilRecord({"goal": PUPIL}, frozenset({"g1"}), False),
        "Q": PupilRecord({"goal": TEACHER}, frozenset({"g2"}), False),
    }
    result = enacted(openness(goal="choice"), records)
    assert result.regie == pytest.approx(0.05)
    assert result.pupil_weight == 0.5 and result.decisions == 10
    assert intended_regie(lesson) == pytest.approx(0.1)


def test_pupils_without_records_are_left_out_and_counted():
    records = {"P": PupilRecord({"goal": PUPIL}, frozenset({"g"}), True), "Q": None, "R": None}
    result = enacted(openness(goal="free"), records)
    assert result.pupils_with_data == 1 and result.pupils_without_data == 2
    assert result.regie == pytest.approx(0.2)
    # One pupil with data: belang is undefined, not zero.
    assert result.belang is None


def test_a_pupil_decision_on_a_fixed_aspect_still_counts_as_the_teachers():
    records = {"P": PupilRecord({a: PUPIL for a in ASPECTS}), "Q": PupilRecord({})}
    assert enacted(openness(), records).regie == 0


def test_per_pupil_position():
    a = PupilRecord({"goal": PUPIL}, frozenset({"g1"}), True)
    b = PupilRecord({}, frozenset({"g1"}), True)
    c = PupilRecord({}, frozenset({"g2"}), False)
    regie, belang = pupil_position(openness(goal="free"), a, [a, b, c])
    assert regie == pytest.approx(0.2)
    assert belang == pytest.approx(1 - 2 / 3)


def test_every_pupils_position_at_once_matches_one_at_a_time():
    a = PupilRecord({"goal": PUPIL, "place": PUPIL}, frozenset({"g1"}), True)
    b = PupilRecord({}, frozenset({"g1"}), True)
    c = PupilRecord({"partner": PUPIL}, frozenset({"g2"}), False)
    class_ = [a, b, c, b]
    together = pupil_positions(openness(goal="free"), dict(enumerate(class_)), class_)
    assert together == {
        i: pupil_position(openness(goal="free"), r, class_) for i, r in enumerate(class_)
    }
    assert together[1] == (0.0, pytest.approx(1 - 3 / 4))
