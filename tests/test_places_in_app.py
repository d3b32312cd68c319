"""A teacher prepares the room in the app (issue 16, item 3): the group's places, the
planbord's activities with picture or photo, capacity and goals, any day composed and
copied (a day, a week), and a child who has not chosen planned by the teacher."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from classroom.models import Place
from planboard.models import Activity, Board, Plan, Slot
from tests.images import jpeg_bytes

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def boards(group) -> list[tuple]:
    return sorted(
        Slot.objects.filter(board__group=group).values_list(
            "board__date", "activity__name", "compulsory", "capacity"
        )
    )


def test_a_teacher_adds_and_edits_a_place(world, client_as):
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/werkplekken/"))
    assert "Stiltehoek" in page and 'name="icon"' in page and "pictograms/quiet.svg" in page
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/werkplekken/",
        {"name": "Instructietafel", "icon": "table", "capacity": "6"},
    )
    assert response.status_code == 302
    place = Place.objects.get(group=world.group, name="Instructietafel")
    assert (place.icon, place.capacity) == ("table", 6)
    # A second Stiltehoek is refused, with what she typed; nothing is added.
    count = Place.objects.count()
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/werkplekken/",
        {"name": "stiltehoek", "icon": "quiet", "capacity": "0"},
    )
    assert response.status_code == 400 and 'value="stiltehoek"' in html(response)
    assert Place.objects.count() == count
    response = client.post(
        f"/leerkracht/werkplek/{place.pk}/bewerken/",
        {"name": "Instructietafel", "icon": "table", "capacity": ""},
    )
    place.refresh_from_db()
    assert response.status_code == 302 and place.capacity is None


def test_a_new_activity_with_a_photo_and_the_groups_goals(world, client_as, settings):
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/activiteit/nieuw/"))
    assert "Ik kan breuken vergelijken." in page
    assert "Ik kan een tekst hardop lezen." not in page  # meester Joost's group's goal
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/activiteit/nieuw/?datum=2026-12-07",
        {
            "name": "Zandtafel",
            "pictogram": "sand",
            "capacity": "3",
            "goals": [world.goal.pk],
            "photo": SimpleUploadedFile("hoek.jpg", jpeg_bytes(gps=True), "image/jpeg"),
        },
    )
    assert response["Location"] == f"/leerkracht/groep/{world.group.pk}/planbord/?datum=2026-12-07"
    activity = Activity.objects.get(group=world.group, name="Zandtafel")
    assert (activity.pictogram, activity.capacity) == ("sand", 3)
    assert list(activity.goals.all()) == [world.goal]
    with Image.open(activity.photo.path) as image:
        assert not image.getexif()  # cleaned: no GPS, no camera
    # Shown to the group's children instead of the picture.
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/planbord/?datum=2026-12-07"))
    assert f"/planbord/hoek/{activity.pk}/foto/" in page


def test_an_activity_cannot_practise_another_groups_goal(world, client_as):
    before = list(Activity.objects.values_list("pk", "name"))
    response = client_as(world.teacher).post(
        f"/leerkracht/groep/{world.group.pk}/activiteit/nieuw/",
        {
            "name": "Leeskring",
            "pictogram": "reading",
            "capacity": "4",
            "goals": [world.other_goal.pk],
        },
    )
    assert response.status_code == 400 and 'data-testid="form-error"' in html(response)
    assert list(Activity.objects.values_list("pk", "name")) == before


def test_an_activity_is_edited_and_taken_off_the_planbord(world, client_as):
    """Bouwhoek is on today's board (Noor is there) and on a board next week."""
    from planboard import actions

    client = client_as(world.teacher)
    next_week = actions.board_for(world.group, timezone.localdate() + timedelta(days=7))
    actions.set_slot(next_week, world.activity, on=True)
    page = html(client.get(f"/leerkracht/activiteit/{world.activity.pk}/bewerken/"))
    assert 'value="Bouwhoek"' in page and 'name="active"' in page
    off = {"name": "Bouwhoek", "pictogram": "building", "capacity": "5", "goals": []}
    # While a child is planned there it stays, and the teacher is told why.
    response = client.post(f"/leerkracht/activiteit/{world.activity.pk}/bewerken/", off)
    assert response.status_code == 400 and "verplaats ze eerst" in html(response)
    world.activity.refresh_from_db()
    assert (world.activity.capacity, world.activity.active) == (2, True)
    # Once Noor has moved, it comes off today's and next week's boards, not the children's.
    actions.move(acting_user=world.teacher, plan_obj=world.plan, to_slot=world.slot2)
    response = client.post(f"/leerkracht/activiteit/{world.activity.pk}/bewerken/", off)
    assert response.status_code == 302
    world.activity.refresh_from_db()
    assert (world.activity.capacity, world.activity.active) == (5, False)
    assert not world.activity.slots.filter(board__date__gte=timezone.localdate()).exists()
    response = client_as(world.classmate.user).get(f"/api/boards/{world.board.pk}/")
    assert "Bouwhoek" not in response.content.decode()


def test_odd_input_is_refused_not_a_server_error(world, client_as):
    client = client_as(world.teacher)
    base = f"/leerkracht/groep/{world.group.pk}/planbord/"
    for day in ("9999-12-31", "0001-01-01", "2026-02-30", "²"):
        assert client.get(f"{base}?datum={day}").status_code == 200
    before = boards(world.group)
    response = client.post(
        base + "wijzig/", {"datum": "9999-12-28", "command": "copy_week"}, follow=True
    )
    assert "Dat is geen dag in de kalender." in html(response)
    response = client.post(
        base + "wijzig/",
        {"datum": timezone.localdate().isoformat(), "command": "copy_day", "naar": "9999-12-31"},
        follow=True,
    )
    assert "Kies een andere dag" in html(response)
    assert not Board.objects.filter(date__year__gt=2100).exists()
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/activiteit/nieuw/",
        {"name": "Zand", "pictogram": "sand", "capacity": "99999999999", "goals": ["9" * 30]},
    )
    assert response.status_code == 400
    assert boards(world.group) == before


def test_any_day_is_composed_with_a_date_control_and_a_week_strip(world, client_as):
    client = client_as(world.teacher)
    today = timezone.localdate()
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/planbord/"))
    assert f'type="date" id="day-input" name="datum" value="{today:%Y-%m-%d}"' in page
    assert page.count('data-testid="week-day"') == 5
    assert "2 activiteiten" in page  # today's board
    # An impossible date is today, not an error.
    assert (
        client.get(f"/leerkracht/groep/{world.group.pk}/planbord/?datum=2026-02-30").status_code
        == 200
    )
    next_week = today + timedelta(days=7)
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {
            "datum": next_week.isoformat(),
            "command": "slot",
            "activity": world.activity.pk,
            "on": "1",
        },
    )
    assert response.status_code == 302
    assert Board.objects.get(group=world.group, date=next_week).slots.count() == 1


def test_a_day_is_copied_to_another_and_a_week_to_the_next(world, client_as):
    client = client_as(world.teacher)
    today = timezone.localdate()
    url = f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/"
    tomorrow = today + timedelta(days=1)
    response = client.post(
        url, {"datum": today.isoformat(), "command": "copy_day", "naar": tomorrow.isoformat()}
    )
    assert response["Location"].endswith(f"?datum={tomorrow:%Y-%m-%d}")
    copied = [row[1:] for row in boards(world.group) if row[0] == tomorrow]
    assert copied == [("Bouwhoek", False, 2), ("Leeshoek", True, 3)]
    # No child comes along.
    assert not Plan.objects.filter(board__date=tomorrow).exists()


def test_a_week_is_copied_to_the_next_and_a_prepared_day_is_kept(world, client_as):
    from planboard import actions

    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    actions.set_slot(actions.board_for(world.group, monday), world.activity, on=True)
    reading = Activity.objects.get(group=world.group, name="Leeshoek")
    actions.set_slot(actions.board_for(world.group, monday + timedelta(days=1)), reading, on=True)
    prepared = actions.board_for(world.group, monday + timedelta(days=8))
    actions.set_slot(prepared, world.activity, on=True, compulsory=True)
    response = client_as(world.teacher).post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {"datum": (monday + timedelta(days=2)).isoformat(), "command": "copy_week"},
        follow=True,
    )
    rows = boards(world.group)
    assert [r[1:] for r in rows if r[0] == monday + timedelta(days=7)] == [("Bouwhoek", False, 2)]
    # Tuesday next week was prepared already: it keeps its moetje and is named.
    assert [r[1:] for r in rows if r[0] == monday + timedelta(days=8)] == [("Bouwhoek", True, 2)]
    assert "had al activiteiten en bleef zoals het was" in html(response)
    assert not [
        r for r in rows if monday + timedelta(days=9) <= r[0] <= monday + timedelta(days=11)
    ]


def test_the_teacher_plans_for_a_child_who_has_not_chosen(world, client_as):
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/planbord/"))
    assert f'data-child="{world.classmate.display_name}"' in page
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {
            "datum": timezone.localdate().isoformat(),
            "command": "plan",
            "pupil": world.classmate.pk,
            "slot": world.slot2.pk,
        },
        follow=True,
    )
    plan = Plan.objects.get(pupil=world.classmate, board=world.board)
    assert (plan.slot, plan.decided_by, plan.seated) == (world.slot2, "teacher", True)
    assert f"{world.classmate.display_name} gaat nu naar Leeshoek" in html(response)


def test_a_child_of_another_group_or_school_cannot_be_planned(world, client_as):
    client = client_as(world.teacher)
    other_school_pupil = actions_for_other_school_pupil(world)
    for pupil in (world.other_pupil, other_school_pupil):
        response = client.post(
            f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
            {
                "datum": timezone.localdate().isoformat(),
                "command": "plan",
                "pupil": pupil.pk,
                "slot": world.slot2.pk,
            },
        )
        assert response.status_code == 404
    assert not Plan.objects.filter(pupil__in=[world.other_pupil, other_school_pupil]).exists()
    # A child who has chosen keeps their own plan: the teacher moves them instead.
    before = list(Plan.objects.filter(pupil=world.pupil).values_list("slot", "decided_by"))
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {
            "datum": timezone.localdate().isoformat(),
            "command": "plan",
            "pupil": world.pupil.pk,
            "slot": world.slot2.pk,
        },
        follow=True,
    )
    assert "heeft al gekozen" in html(response)
    assert list(Plan.objects.filter(pupil=world.pupil).values_list("slot", "decided_by")) == before


def actions_for_other_school_pupil(world):
    from classroom import actions

    return actions.create_pupil(group=world.foreign_group, display_name="Sem")
