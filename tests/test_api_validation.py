"""Bad input to the API gets a 400 with a clear Dutch message, and changes nothing."""

import pytest

from classroom.models import Lesson, Place


@pytest.mark.parametrize(
    "url,data,message",
    [
        ("/api/places/", {"name": " ", "icon": "table"}, "Dit veld mag niet leeg zijn."),
        ("/api/places/", {"name": "Gang", "icon": "rocket"}, "is een ongeldige keuze"),
        ("/api/places/", {"name": "stiltehoek", "icon": "quiet"}, "heeft al een werkplek"),
        (
            "/api/lessons/",
            {"title": "Meten", "subject": "rekenen", "date": "2026-11-24", "goal_openness": "open"},
            "is een ongeldige keuze",
        ),
        (
            "/api/lessons/",
            {"title": "Meten", "subject": "rekenen", "date": "24-11-2026"},
            "heeft het verkeerde formaat",
        ),
        ("/api/pupils/", {"display_name": "   "}, "Dit veld mag niet leeg zijn."),
        ("/api/pupils/", {"display_name": "Finn", "avatar_colour": "gold"}, "ongeldige keuze"),
    ],
)
def test_bad_input_is_refused_with_a_message(world, api, url, data, message):
    api.force_login(world.teacher)
    before = (Place.objects.count(), Lesson.objects.count(), world.group.pupils.count())
    response = api.post(url, {"group": world.group.pk, **data}, format="json")
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert (Place.objects.count(), Lesson.objects.count(), world.group.pupils.count()) == before


def test_a_place_cannot_move_to_another_group(world, api):
    api.force_login(world.school_admin)
    response = api.patch(
        f"/api/places/{world.place.pk}/", {"group": world.other_group.pk}, format="json"
    )
    assert response.status_code == 400
    assert "Dit kan niet worden gewijzigd." in response.content.decode()
    world.place.refresh_from_db()
    assert world.place.group == world.group
