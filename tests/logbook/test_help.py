"""Help without losing face (issue 17, item 4): a pupil asks with a pictured reason, the
teacher's own screen holds the queue and says "ik kom eraan", the pupil says "ik kan
verder"; every step is a usage event with reason codes and waiting times, no words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from classroom import actions as classroom_actions
from classroom.models import UsageEvent
from logbook import dashboard, entries
from logbook.models import LogbookEntry

pytestmark = pytest.mark.django_db


def help_events(world):
    return list(
        UsageEvent.objects.filter(pupil=world.pupil, verb__startswith="help_")
        .order_by("pk")
        .values_list("verb", "context")
    )


def row_of(world):
    snapshot = dashboard.snapshot(world.lesson)
    return next(r for r in snapshot["pupils"] if r["pupil"] == world.pupil.pk)


def test_a_request_is_asked_answered_and_closed(world):
    entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="dont_understand")
    help_line = row_of(world)["help"]
    assert help_line["reason"] == "dont_understand" and help_line["coming"] is False
    asked = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson).help_asked_at
    # The same tap again changes nothing; another reason keeps the place in the queue.
    entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="dont_understand")
    entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="missing")
    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson)
    assert (entry.help_reason, entry.help_asked_at) == ("missing", asked)
    LogbookEntry.objects.filter(pk=entry.pk).update(help_asked_at=asked - timedelta(minutes=2))
    entries.answer_help(acting_user=world.teacher, pupil=world.pupil, lesson=world.lesson)
    assert row_of(world)["help"]["coming"] is True
    entries.close_help(acting_user=world.pupil.user, pupil=world.pupil, lesson=world.lesson)
    assert row_of(world)["help"] is None
    events = help_events(world)
    assert [verb for verb, _ in events] == [
        "help_asked",
        "help_asked",
        "help_answered",
        "help_closed",
    ]
    assert events[1][1] == {"reason": "missing"}
    assert events[2][1]["waited_seconds"] >= 120
    assert events[3][1]["by"] == "pupil" and events[3][1]["reason"] == "missing"


def test_the_teacher_closes_a_request_she_has_helped_with(world):
    entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="done")
    entries.close_help(acting_user=world.teacher, pupil=world.pupil, lesson=world.lesson)
    assert help_events(world)[-1][1]["by"] == "teacher"
    # Closing again (two taps, two screens) changes nothing.
    entries.close_help(acting_user=world.teacher, pupil=world.pupil, lesson=world.lesson)
    assert len(help_events(world)) == 2


def test_help_is_asked_only_in_a_running_lesson_with_a_known_reason(world):
    with pytest.raises(ValidationError):
        entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="bored")
    classroom_actions.end_lesson(world.lesson, acting_user=world.teacher)
    with pytest.raises(ValidationError):
        entries.ask_help(pupil=world.pupil, lesson=world.lesson, reason="done")
    with pytest.raises(ValidationError):
        entries.answer_help(acting_user=world.teacher, pupil=world.classmate, lesson=world.lesson)
    assert help_events(world) == []


def test_the_api_asks_for_the_pupil_and_answers_for_the_teacher(world, client):
    client.force_login(world.pupil.user)
    response = client.post(
        "/api/logbook-entries/help/",
        {"lesson": world.lesson.pk, "reason": "dont_understand"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["help_reason"] == "dont_understand"
    page = client.get(f"/leerling/logboek/{world.lesson.pk}/").content.decode()
    assert 'data-testid="help-waiting"' in page and 'data-testid="help-go-on"' in page
    # A classmate cannot answer, and neither can the pupil herself.
    response = client.post(
        "/api/logbook-entries/help-answer/",
        {"lesson": world.lesson.pk, "pupil": world.pupil.pk, "answer": "coming"},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.force_login(world.teacher)
    response = client.post(
        "/api/logbook-entries/help-answer/",
        {"lesson": world.lesson.pk, "pupil": world.pupil.pk, "answer": "coming"},
        content_type="application/json",
    )
    assert response.status_code == 200
    client.force_login(world.pupil.user)
    page = client.get(f"/leerling/logboek/{world.lesson.pk}/").content.decode()
    assert 'data-testid="help-coming"' in page and "Ik kom eraan!" in page
    response = client.post(
        "/api/logbook-entries/help/",
        {"lesson": world.lesson.pk, "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["help_reason"] == ""
    page = client.get(f"/leerling/logboek/{world.lesson.pk}/").content.decode()
    assert 'data-testid="help-dont_understand"' in page  # asking again is one tap
