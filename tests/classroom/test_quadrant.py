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


def test_decisions_not_taken_yet_count_nowhere():
    """Issue 17: 8 pupils have an entry; 22 decisions are taken, 20 of them by pupils, 18
    are still open. Regie is over the 22, and does not fall while pupils fill in."""
    lesson_openness = {"goal": "choice", "instruction": "free", "place": "free"}
    lesson_openness |= {"partner": "free", "order": "free"}
    mine = {"goal": PUPIL, "instruction": PUPIL, "place": PUPIL, "partner": PUPIL}
    records = {i: PupilRecord(dict(mine), frozenset({f"g{i}"}), True) for i in range(5)}
    records[5] = PupilRecord({"goal": TEACHER, "instruction": TEACHER}, frozenset({"g"}), True)
    records[6] = PupilRecord({})
    records[7] = PupilRecord({})
    result = enacted(lesson_openness, records)
    assert (result.decisions, result.by_pupils, result.pending) == (22, 20, 18)
    assert result.regie == pytest.approx(5 * 3.5 / 22)
    # A pupil who has not decided anything yet has no regie of their own, not 0.
    positions = pupil_positions(lesson_openness, records, list(records.values()))
    assert positions[6][0] is None and positions[0][0] == pytest.approx(3.5 / 4)
    # The last pupil chooses their goal: regie moves with the new decision only.
    records[7] = PupilRecord({"goal": PUPIL})
    later = enacted(lesson_openness, records)
    assert (later.decisions, later.by_pupils, later.pending) == (23, 21, 17)
    assert later.regie == pytest.approx(18 / 23)


def test_every_percentage_rounds_half_up():
    from classroom.quadrant import pct

    # Python's round() would give 42 and 0; the page, the event and the sentence agree.
    assert [pct(0.425), pct(0.005), pct(0.4249), pct(1), pct(None)] == [43, 1, 42, 100, 0]
    assert pct(17.5 / 40) == 44
