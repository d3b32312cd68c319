"""The teacher's planbord page makes a day's board only for a change that succeeds."""

from datetime import timedelta

from django.utils import timezone

from planboard import actions
from planboard.models import Board, Slot


def _url(world):
    return f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/"


def test_switching_an_activity_on_makes_the_days_board(world, client_as):
    day = timezone.localdate() + timedelta(days=5)
    client = client_as(world.teacher)
    response = client.post(
        _url(world), {"command": "slot", "activity": world.activity.pk, "on": "1", "datum": day}
    )
    assert response.status_code == 302
    board = Board.objects.get(group=world.group, date=day)
    assert list(board.slots.values_list("activity", flat=True)) == [world.activity.pk]


def test_a_refused_change_leaves_no_empty_board_behind(world, client_as):
    day = timezone.localdate() + timedelta(days=5)
    client = client_as(world.teacher)
    foreign = actions.create_activity(
        group=world.other_group, name="Poppenhoek", pictogram="home_corner", capacity=2
    )
    response = client.post(
        _url(world), {"command": "slot", "activity": foreign.pk, "on": "1", "datum": day}
    )
    assert response.status_code == 404
    response = client.post(_url(world), {"command": "shout", "datum": day})
    assert response.status_code == 404
    response = client.post(
        _url(world), {"command": "slot", "activity": world.activity.pk, "on": "0", "datum": day}
    )
    assert response.status_code == 302
    assert not Board.objects.filter(group=world.group, date=day).exists()


def test_the_teacher_is_warned_when_a_moetje_has_fewer_places_than_children(world, client_as):
    client = client_as(world.teacher)
    page = client.get(f"/leerkracht/groep/{world.group.pk}/planbord/").content.decode()
    assert "ze gaan om de beurt" not in page  # Leeshoek: 3 places, 2 children
    Slot.objects.filter(pk=world.slot2.pk).update(capacity=1)
    page = client.get(f"/leerkracht/groep/{world.group.pk}/planbord/").content.decode()
    assert "Leeshoek is een moetje met 1 plaatsen voor 2 kinderen: ze gaan om de beurt." in page
