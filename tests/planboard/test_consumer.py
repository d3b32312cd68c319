"""The planbord WebSocket through the real ASGI stack: Origin check, session login,
permission on connect, and the hint that a board changed."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from planboard import actions
from tests import ws

# Transactional (the consumer closes the connection around its look-ups): `world` is
# committed for each test (tests/conftest.py's transactional_world).
pytestmark = pytest.mark.django_db(transaction=True)


def connect(board_id, user=None, origin="http://localhost"):
    return ws.connect(f"/ws/planbord/{board_id}/", user, origin)


def test_a_pupil_of_the_group_connects_and_hears_when_the_board_changes(world):
    sent = ws.headers(world.pupil.user)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/planbord/{world.board.pk}/", headers=sent
        )
        connected, _code = await communicator.connect()
        assert connected
        await database_sync_to_async(actions.plan)(
            pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user
        )
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    message = async_to_sync(run)()
    world.board.refresh_from_db()
    assert message == {
        "type": "board.changed",
        "board": world.board.pk,
        "version": world.board.version,
    }


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "pupil", "classmate"])
def test_the_groups_people_may_connect(world, persona):
    user = getattr(world, persona)
    assert connect(world.board.pk, getattr(user, "user", user))[0] is True


@pytest.mark.parametrize(
    "persona", ["anonymous", "colleague", "other_school_teacher", "other_pupil"]
)
def test_everyone_else_is_refused(world, persona):
    user = None if persona == "anonymous" else getattr(world, persona)
    connected, code = connect(world.board.pk, getattr(user, "user", user))
    assert connected is False and code == 4403


def test_a_foreign_origin_is_refused_even_for_the_teacher(world):
    connected, _code = connect(world.board.pk, world.teacher, origin="http://evil.example")
    assert connected is False


def test_an_unknown_board_is_refused(world):
    assert connect(999999, world.teacher) == (False, 4403)
