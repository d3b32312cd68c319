"""The lesson dashboard's snapshot, the settings form and the trajectory."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from classroom import actions as classroom_actions
from classroom.models import Lesson
from logbook import dashboard, entries


def _snapshot(client, lesson):
    response = client.get(f"/api/lessons/{lesson.pk}/dashboard/")
    assert response.status_code == 200
    return response.json()


def test_the_snapshot_has_every_active_pupil_and_what_they_chose(world, client):
    entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
    entries.choose(
        pupil=world.pupil,
        lesson=world.lesson,
        aspect="instruction",
        value={"wanted": True, "reason": "want_more", "text": "Graag extra sommen"},
    )
    client.force_login(world.teacher)
    data = _snapshot(client, world.lesson)
    assert data["seq"] == Lesson.objects.get(pk=world.lesson.pk).seq
    rows = {row["name"]: row for row in data["pupils"]}
    assert set(rows) == {"Noor", "Daan"}
    noor, daan = rows["Noor"], rows["Daan"]
    assert noor["state"] == "working"
    assert noor["entry"]["goals"] == [{"id": world.goal.pk, "code": "G6-3.1"}]
    assert noor["entry"]["instruction"] is True
    assert noor["entry"]["instruction_reason"] == "want_more"
    assert noor["entry"]["place"] == world.place.pk
    assert noor["entry"]["decided_by"]["place"] == "pupil"
    assert daan == {**daan, "state": "none", "entry": None}
    assert "Graag extra sommen" not in str(data)  # the pupil's own words stay on their page
    assert data["places"] == [
        {"id": world.place.pk, "name": "Stiltehoek", "icon": "quiet", "capacity": 4}
    ]
    assert data["summary"]["running"] is True
    assert data["summary"]["quadrant"]["enacted"]["pupils_without_data"] == 1
    assert data["labels"]["reasons"]["want_more"]


def test_an_evaluated_entry_shows_as_finished(world, client):
    entries.evaluate(pupil=world.pupil, lesson=world.lesson, levels={world.goal.pk: 2}, mood="ok")
    client.force_login(world.teacher)
    noor = next(r for r in _snapshot(client, world.lesson)["pupils"] if r["name"] == "Noor")
    assert (noor["state"], noor["entry"]["mood"]) == ("evaluated", "ok")


def test_inactive_pupils_are_not_on_the_dashboard(world, client):
    classroom_actions.update_pupil(world.classmate, active=False)
    client.force_login(world.teacher)
    assert [r["name"] for r in _snapshot(client, world.lesson)["pupils"]] == ["Noor"]


def _grow_to(world, n):
    """n pupils, each with an entry: goals, a partner, a place, instruction."""
    for i in range(n - world.group.pupils.count()):
        classroom_actions.create_pupil(group=world.group, display_name=f"Leerling {i:02}")
    for pupil in world.group.pupils.all():
        entries.choose(pupil=pupil, lesson=world.lesson, aspect="goal", value=[world.goal.pk])
        entries.choose(pupil=pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
        entries.choose(
            pupil=pupil, lesson=world.lesson, aspect="instruction", value={"wanted": True}
        )
        partner = world.group.pupils.exclude(pk=pupil.pk).first()
        entries.choose(pupil=pupil, lesson=world.lesson, aspect="partner", value=[partner.pk])


def _count(client, lesson):
    with CaptureQueriesContext(connection) as queries:
        _snapshot(client, lesson)
    return len(queries)


def test_the_snapshot_costs_the_same_queries_for_5_and_30_pupils(world, client):
    client.force_login(world.teacher)
    _grow_to(world, 5)
    small = _count(client, world.lesson)
    _grow_to(world, 30)
    data = _snapshot(client, world.lesson)
    assert len(data["pupils"]) == 30 and all(r["state"] == "working" for r in data["pupils"])
    assert _count(client, world.lesson) == small


def test_the_lesson_page_costs_the_same_queries_for_5_and_30_pupils(world, client):
    client.force_login(world.teacher)
    url = f"/leerkracht/les/{world.lesson.pk}/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _grow_to(world, 5)
    small = count()
    _grow_to(world, 30)
    assert count() == small


def test_the_dashboard_event_costs_the_same_queries_for_5_and_30_pupils(world):
    def count():
        seq = Lesson.objects.get(pk=world.lesson.pk).seq
        with CaptureQueriesContext(connection) as queries:
            event = dashboard.event(world.lesson.pk, seq, world.pupil.pk)
        assert event["row"]["name"] == "Noor"
        return len(queries)

    _grow_to(world, 5)
    small = count()
    _grow_to(world, 30)
    assert count() == small


SETTINGS = {
    "goal_openness": "choice",
    "instruction_openness": "free",
    "place_openness": "choice",
    "partner_openness": "free",
    "order_openness": "fixed",
    "differentiation": "level_groups",
    "fixed_instruction": "",
}


def test_the_teacher_sets_openness_options_and_differentiation_in_the_page(world, client):
    client.force_login(world.teacher)
    other = world.block.goals.get(code="G6-3.2")
    page = client.post(
        f"/leerkracht/les/{world.lesson.pk}/instellingen/",
        {**SETTINGS, "goal_options": [world.goal.pk, other.pk], "place_options": [world.place.pk]},
        follow=True,
    ).content.decode()
    assert "De lesinstellingen zijn bewaard." in page
    lesson = Lesson.objects.get(pk=world.lesson.pk)
    assert lesson.place_openness == "choice" and lesson.partner_openness == "free"
    assert lesson.differentiation == "level_groups"
    assert set(lesson.goal_options.all()) == {world.goal, other}
    assert list(lesson.place_options.all()) == [world.place]
    # The quadrant follows: regie (0.5 + 1 + 0.5 + 1 + 0) / 5 = 60%, belang 50%.
    assert "regie 60%, belang 50%." in page


def test_a_bad_settings_form_says_why_and_changes_nothing(world, client):
    client.force_login(world.teacher)
    before = Lesson.objects.get(pk=world.lesson.pk)
    page = client.post(
        f"/leerkracht/les/{world.lesson.pk}/instellingen/",
        {**SETTINGS, "place_openness": "everything", "goal_options": [world.other_goal.pk]},
        follow=True,
    ).content.decode()
    assert "Selecteer een geldige keuze" in page
    after = Lesson.objects.get(pk=world.lesson.pk)
    assert after.place_openness == before.place_openness
    assert list(after.goal_options.all()) == [world.goal]


def test_the_trajectory_shows_the_groups_started_lessons_of_the_past_weeks(world, client):
    today = timezone.localdate()
    old = classroom_actions.create_lesson(
        group=world.group, title="Lang geleden", date=today - timedelta(weeks=10)
    )
    earlier = classroom_actions.create_lesson(
        group=world.group,
        title="Vorige week",
        date=today - timedelta(days=7),
        goal_openness="free",
        differentiation="individual",
    )
    never = classroom_actions.create_lesson(group=world.group, title="Nooit gestart")
    for lesson in (old, earlier):
        classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=earlier, aspect="goal", value=[world.goal.pk])
    entries.choose(
        pupil=world.classmate,
        lesson=earlier,
        aspect="goal",
        value=[world.block.goals.get(code="G6-3.2").pk],
    )
    items = dashboard.trajectory(world.group)
    assert [lesson.title for lesson, _p in items] == ["Vorige week", "Breuken"]
    first = items[0][1]
    assert first.enacted.belang == pytest.approx(0.5)
    assert first.enacted.regie == pytest.approx(0.2)  # one free aspect chosen by each
    assert never.pk not in [lesson.pk for lesson, _p in items]

    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{world.lesson.pk}/").content.decode()
    assert page.count('data-testid="trajectory-row"') == 2
    assert "Vorige week" in page and "Lang geleden" not in page
    assert 'data-testid="trajectory-path"' in page


def test_per_pupil_dots_name_the_pupil(world, client):
    entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="place", value=world.place.pk)
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{world.lesson.pk}/").content.decode()
    assert page.count('data-testid="pupil-dot"') == 2
    assert "<title>Noor</title>" in page and "<title>Daan</title>" in page
    # Readable on touch: a label beside each dot and a list in words, not a hover only.
    assert 'class="q-label">Noo</text>' in page and 'class="q-label">Daa</text>' in page
    listed = page.split('data-testid="pupil-positions"')[1].split("</ul>")[0]
    assert "Daan: regie" in listed and "Noor: regie" in listed
    assert listed.index("Daan") < listed.index("Noor")


def test_a_locked_out_pupil_is_op_slot_on_the_dashboard(world):
    from datetime import timedelta

    from django.utils import timezone

    from classroom.models import Pupil

    Pupil.objects.filter(pk=world.classmate.pk).update(
        locked_until=timezone.now() + timedelta(minutes=5)
    )
    rows = {r["pupil"]: r for r in dashboard.snapshot(world.lesson)["pupils"]}
    assert rows[world.classmate.pk]["locked"] is True
    assert rows[world.pupil.pk]["locked"] is False
