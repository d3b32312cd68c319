"""Marks, stars and the usage events they leave."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from classroom.models import AppendOnlyError, UsageEvent
from goals import actions
from goals.models import GoalStar, SelfAssessment


def events(verb):
    return list(UsageEvent.objects.filter(verb=verb).values("actor", "pupil", "group", "context"))


def test_every_self_assessment_is_kept_with_its_time(world):
    actions.assess_self(pupil=world.pupil, goal=world.goal, level=3)
    marks = SelfAssessment.objects.filter(pupil=world.pupil, goal=world.goal)
    assert [m.level for m in marks] == [2, 3]
    assert marks[0].created_at <= marks[1].created_at


def test_a_self_assessment_records_exactly_one_usage_event(world):
    UsageEvent.objects.all()._raw_delete(UsageEvent.objects.db)
    actions.assess_self(pupil=world.pupil, goal=world.goal, level=3)
    assert events("self_assessed") == [
        {
            "actor": world.pupil.user.pk,
            "pupil": world.pupil.pk,
            "group": world.group.pk,
            "context": {"goal": "G6-3.1", "level": 3},
        }
    ]
    assert UsageEvent.objects.count() == 1


def test_a_teacher_assessment_records_its_event_without_the_note(world):
    actions.assess_as_teacher(
        acting_user=world.teacher, pupil=world.pupil, goal=world.goal, level=4, note="Goed!"
    )
    last = UsageEvent.objects.filter(verb="teacher_assessed").last()
    assert last.actor == world.teacher and last.pupil == world.pupil
    assert last.context == {"goal": "G6-3.1", "level": 4, "has_note": True}


def test_no_event_when_the_transaction_rolls_back(world):
    before = UsageEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.assess_self(pupil=world.pupil, goal=world.goal, level=4)
        raise RuntimeError("the request failed after the action")
    assert UsageEvent.objects.count() == before
    assert not SelfAssessment.objects.filter(level=4).exists()


@pytest.mark.parametrize(
    "goal_attr,level,message",
    [
        ("goal", 5, "This goal has no level 5."),
        ("goal", 0, "This goal has no level 0."),
        ("other_goal", 1, "This goal is not in this pupil's booklet."),
    ],
)
def test_impossible_marks_are_refused(world, goal_attr, level, message):
    before = SelfAssessment.objects.count(), UsageEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.assess_self(pupil=world.pupil, goal=getattr(world, goal_attr), level=level)
    assert error.value.messages == [message]
    assert (SelfAssessment.objects.count(), UsageEvent.objects.count()) == before


def test_starring_twice_is_one_star_and_one_event(world):
    actions.set_star(pupil=world.pupil, goal=world.goal, starred=True)
    actions.set_star(pupil=world.pupil, goal=world.goal, starred=True)
    assert GoalStar.objects.filter(pupil=world.pupil).count() == 1
    assert len(events("goal_starred")) == 1
    actions.set_star(pupil=world.pupil, goal=world.goal, starred=False)
    actions.set_star(pupil=world.pupil, goal=world.goal, starred=False)
    assert not GoalStar.objects.exists()
    assert len(events("goal_unstarred")) == 1


def test_usage_events_are_never_updated(world):
    event = UsageEvent.objects.first()
    event.verb = "something_else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        UsageEvent.objects.update(verb="x")


def test_a_pupil_sees_the_teachers_level_but_not_the_note(world, api):
    api.force_login(world.pupil.user)
    rows = api.get("/api/teacher-assessments/").json()["results"]
    assert [(r["goal"], r["level"]) for r in rows] == [(world.goal.pk, 1)]
    assert "note" not in rows[0]
    api.force_login(world.teacher)
    assert api.get("/api/teacher-assessments/").json()["results"][0]["note"] == (
        "Oefent nog met noemers."
    )
