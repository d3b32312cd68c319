"""Sockets follow rights (issue 18): an open socket stops hearing anything once its
session logs out, expires, or its user may no longer see what it listens to: removed
from the group, deactivated, moved, erased. Through the real ASGI stack."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from classroom import actions
from config.asgi import application
from logbook import entries
from research.actions import erase_pupil

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _headers(client):
    return [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
    ]


def _after(path, client, change, then=None):
    """Connect with `client`'s session, make `change` (in the database, like a request
    would), then `then` (a pupil's choice): the close code the socket got, and whether
    anything of `then` still arrived."""

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=_headers(client))
        connected, _code = await communicator.connect()
        assert connected
        await database_sync_to_async(change)()
        closed = await communicator.receive_output(timeout=2)
        while closed["type"] == "websocket.send":  # a hint sent before (erasure's board)
            closed = await communicator.receive_output(timeout=2)
        heard = False
        if then is not None:
            await database_sync_to_async(then)()
            heard = not await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return closed, heard

    return async_to_sync(run)()


def _choice(world):
    return lambda: entries.choose(
        pupil=world.classmate, lesson=world.lesson, aspect="place", value=world.place.pk
    )


def test_the_teachers_dashboard_socket_ends_with_her_logout(world):
    teacher = _client(world.teacher)
    closed, heard = _after(
        f"/ws/les/{world.lesson.pk}/", teacher, lambda: teacher.post("/logout/"), _choice(world)
    )
    assert closed == {"type": "websocket.close", "code": 4401}
    assert heard is False


def test_wissel_van_leerling_ends_the_pupils_sockets(world):
    pupil = _client(world.pupil.user)
    closed, _heard = _after(
        f"/ws/leerling/les/{world.lesson.pk}/", pupil, lambda: pupil.post("/leerling/wissel/")
    )
    assert closed == {"type": "websocket.close", "code": 4401}


def test_another_session_of_the_same_teacher_stays_open(world):
    laptop, digibord = _client(world.teacher), _client(world.teacher)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/les/{world.lesson.pk}/", headers=_headers(digibord)
        )
        assert (await communicator.connect())[0]
        await database_sync_to_async(lambda: laptop.post("/logout/"))()
        await database_sync_to_async(_choice(world))()
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    assert async_to_sync(run)()["type"] == "lesson.changed"


def test_a_teacher_taken_off_the_group_stops_hearing_its_lesson(world):
    closed, heard = _after(
        f"/ws/les/{world.lesson.pk}/",
        _client(world.teacher),
        lambda: actions.unassign_teacher(group=world.group, user=world.teacher),
        _choice(world),
    )
    assert closed == {"type": "websocket.close", "code": 4403}
    assert heard is False


def test_a_teacher_who_leaves_the_school_stops_hearing_its_class(world):
    from classroom.models import Membership

    membership = Membership.objects.get(user=world.teacher, school=world.school)
    closed, _heard = _after(
        f"/ws/klas/{world.group.pk}/",
        _client(world.teacher),
        lambda: actions.remove_membership(membership),
    )
    assert closed == {"type": "websocket.close", "code": 4403}


def test_a_deactivated_pupil_stops_hearing_the_class(world):
    closed, _heard = _after(
        f"/ws/klas/{world.group.pk}/",
        _client(world.pupil.user),
        lambda: actions.update_pupil(world.pupil, active=False),
    )
    assert closed == {"type": "websocket.close", "code": 4403}


def test_a_pupil_moved_to_another_group_stops_hearing_the_old_lesson(world):
    closed, _heard = _after(
        f"/ws/leerling/les/{world.lesson.pk}/",
        _client(world.pupil.user),
        lambda: actions.update_pupil(world.pupil, group=world.other_group),
    )
    assert closed == {"type": "websocket.close", "code": 4403}


def test_an_erased_pupils_socket_is_closed(world):
    closed, _heard = _after(
        f"/ws/planbord/{world.board.pk}/",
        _client(world.pupil.user),
        lambda: erase_pupil(world.pupil, acting_user=world.school_admin),
    )
    assert closed == {"type": "websocket.close", "code": 4403}


def test_a_wrong_picture_code_changes_no_rights_and_closes_nothing(world):
    client = _client(world.classmate.user)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/klas/{world.group.pk}/", headers=_headers(client)
        )
        assert (await communicator.connect())[0]
        await database_sync_to_async(actions.unlock_pupil)(world.pupil)  # update_fields
        silent = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return silent

    assert async_to_sync(run)() is True


def test_a_session_that_expires_ends_its_sockets(world):
    client = _client(world.teacher)
    session = client.session
    session.set_expiry(1)
    session.save()

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/les/{world.lesson.pk}/", headers=_headers(client)
        )
        assert (await communicator.connect())[0]
        closed = await communicator.receive_output(timeout=3)
        await communicator.disconnect()
        return closed

    assert async_to_sync(run)() == {"type": "websocket.close", "code": 4401}
