"""The rekenlogboek entry: what is offered, who decided, overrides and evaluation."""

import pytest
from django.core.exceptions import ValidationError

from classroom import actions as classroom_actions
from classroom.models import UsageEvent
from classroom.quadrant import enacted, openness_of
from goals import actions as goal_actions
from goals.models import SelfAssessment
from logbook import dashboard, entries
from logbook.models import LogbookEntry


def choose(world, aspect, value, pupil=None):
    return entries.choose(
        pupil=pupil or world.pupil, lesson=world.lesson, aspect=aspect, value=value
    )


def test_a_choice_is_recorded_as_the_pupils_with_an_event(world):
    entry = choose(world, "place", world.place.pk)
    assert entry.place == world.place and entry.decided_by["place"] == "pupil"
    event = UsageEvent.objects.filter(verb="logbook_chosen").last()
    assert event.context == {"aspect": "place", "openness": "free", "place": "Stiltehoek"}
    assert event.lesson == world.lesson and event.pupil == world.pupil


def test_goal_choice_offers_only_the_teachers_options(world):
    other = world.block.goals.get(code="G6-3.2")
    with pytest.raises(ValidationError) as error:
        choose(world, "goal", [other.pk])
    assert error.value.messages == ["You cannot choose that goal in this lesson."]


def test_free_goals_offer_the_whole_booklet_with_starred_goals_first(world):
    classroom_actions.configure_lesson(world.lesson, goal_openness="free")
    second = world.block.goals.get(code="G6-3.2")
    goal_actions.set_star(pupil=world.pupil, goal=second, starred=True)
    offered = entries.offer(world.lesson, world.pupil, "goal").options
    assert [g.code for g in offered] == ["G6-3.2", "G6-3.1"]
    entry = choose(world, "goal", [second.pk, world.goal.pk])
    assert {g.code for g in entry.goals.all()} == {"G6-3.1", "G6-3.2"}


def test_a_fixed_aspect_cannot_be_chosen_by_the_pupil(world):
    classroom_actions.configure_lesson(world.lesson, place_openness="fixed")
    with pytest.raises(ValidationError) as error:
        choose(world, "place", world.place.pk)
    assert error.value.messages == ["Your teacher decides this in this lesson."]


def test_choice_partner_is_one_classmate_and_free_up_to_three(world):
    entry = choose(world, "partner", [world.classmate.pk])
    assert list(entry.partners.all()) == [world.classmate] and entry.alone is False
    extra = classroom_actions.create_pupil(group=world.group, display_name="Finn")
    with pytest.raises(ValidationError) as error:
        choose(world, "partner", [world.classmate.pk, extra.pk])
    assert error.value.messages == ["Choose at most 1 classmates."]
    assert choose(world, "partner", []).alone is True
    with pytest.raises(ValidationError):
        choose(world, "partner", [world.other_pupil.pk])


def test_instruction_with_a_reason_and_own_words(world):
    entry = choose(
        world, "instruction", {"wanted": True, "reason": "dont_understand", "text": "  Noemers!  "}
    )
    assert (entry.instruction, entry.instruction_reason, entry.instruction_text) == (
        True,
        "dont_understand",
        "Noemers!",
    )
    entry = choose(world, "instruction", {"wanted": False, "reason": "dont_understand"})
    assert (entry.instruction, entry.instruction_reason) == (False, "")


def test_nothing_can_be_chosen_before_the_lesson_starts_or_after_it_ends(world):
    classroom_actions.end_lesson(world.lesson, acting_user=world.teacher)
    with pytest.raises(ValidationError) as error:
        choose(world, "place", world.place.pk)
    assert error.value.messages == ["This lesson is not running."]


def test_a_teacher_override_sticks_and_counts_as_the_teachers_decision(world):
    choose(world, "instruction", {"wanted": False})
    entries.override(
        acting_user=world.teacher,
        pupil=world.pupil,
        lesson=world.lesson,
        aspect="instruction",
        value={"wanted": True},
    )
    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson)
    assert entry.instruction is True and entry.decided_by["instruction"] == "teacher"
    with pytest.raises(ValidationError) as error:
        choose(world, "instruction", {"wanted": False})
    assert error.value.messages == ["Your teacher has chosen this for you."]
    event = UsageEvent.objects.filter(verb="logbook_overridden").last()
    assert event.actor == world.teacher and event.context["aspect"] == "instruction"


def test_evaluation_marks_the_goals_in_the_doelenboekje(world):
    before = SelfAssessment.objects.filter(pupil=world.pupil, goal=world.goal).count()
    entry = entries.evaluate(
        pupil=world.pupil,
        lesson=world.lesson,
        levels={world.goal.pk: 4},
        mood="great",
        text=" Het lukte! ",
    )
    assert (entry.mood, entry.evaluation_text) == ("great", "Het lukte!")
    marks = SelfAssessment.objects.filter(pupil=world.pupil, goal=world.goal)
    assert marks.count() == before + 1 and marks.last().level == 4


def test_only_chosen_goals_can_be_evaluated(world):
    other = world.block.goals.get(code="G6-3.2")
    with pytest.raises(ValidationError) as error:
        entries.evaluate(pupil=world.pupil, lesson=world.lesson, levels={other.pk: 2}, mood="ok")
    assert error.value.messages == ["You can only mark the goals you chose."]


def test_the_entries_give_the_quadrant_its_enacted_position(world):
    # Lesson: goal choice (0.5), instruction free (1), place free (1), partner choice
    # (0.5), order fixed. Noor chose goal and place; Daan chose instruction, the teacher
    # overrode his goal.
    choose(world, "place", world.place.pk)
    choose(world, "instruction", {"wanted": True}, pupil=world.classmate)
    entries.override(
        acting_user=world.teacher,
        pupil=world.classmate,
        lesson=world.lesson,
        aspect="goal",
        value=[world.goal.pk],
    )
    records = {
        e.pupil_id: dashboard.quadrant_record(e)
        for e in LogbookEntry.objects.filter(lesson=world.lesson)
    }
    result = enacted(openness_of(world.lesson), records)
    # Noor 0.5 + 1, Daan 1 (instruction) over the 6 decisions taken (each also has the
    # fixed order); Noor's instruction and partner and Daan's partner are not taken yet.
    assert (result.decisions, result.by_pupils, result.pending) == (6, 3, 4)
    assert result.regie == pytest.approx(2.5 / 6)
    assert result.belang == pytest.approx(0.5)  # (goal, None) vs (goal, True)


@pytest.mark.parametrize("value", ["abc", 999999, [1]])
def test_a_tampered_override_says_why_in_dutch_and_changes_nothing(world, client, value):
    client.force_login(world.teacher)
    response = client.post(
        "/api/logbook-entries/override/",
        {"lesson": world.lesson.pk, "pupil": world.pupil.pk, "aspect": "place", "value": value},
        content_type="application/json",
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 400
    assert "Die werkplek kun je in deze les niet kiezen." in response.json()["detail"]
    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson)
    assert entry.place is None and "place" not in entry.decided_by
