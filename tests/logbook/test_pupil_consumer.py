"""The pupil's own logbook socket (`ws/leerling/les/<lesson>/`) through the real ASGI
stack: only a pupil of the lesson's group connects, and each hears their own entry only:
the teacher's override of it, and the lesson ending."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from classroom import actions
from config.asgi import application
from logbook import entries
from tests import ws

pytestmark = pytest.mark.django_db(transaction=True)


def hear(path, user, act, count=1):
    """Connect as `user`, run `act` and return the messages that arrive (up to `count`,
    or fewer if nothing more comes within a short wait)."""
    sent = ws.headers(user)

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=sent)
        connected, _code = await communicator.connect()
        assert connected
        await database_sync_to_async(act)()
        received = []
        while len(received) < count:
            if await communicator.receive_nothing(timeout=1):
                break
            received.append(await communicator.receive_json_from(timeout=1))
        await communicator.disconnect()
        return received

    return async_to_sync(run)()


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("pupil", True),
        ("classmate", True),
        ("teacher", False),  # the dashboard has its own socket
        ("school_admin", False),
        ("other_pupil", False),  # another group's pupil
        ("anonymous", False),
    ],
)
def test_only_the_groups_pupils_may_follow_their_logbook(world, persona, allowed):
    result = ws.connect(f"/ws/leerling/les/{world.lesson.pk}/", world.user(persona))
    assert result == ((True, None) if allowed else (False, 4403))


def test_the_pupil_hears_the_teachers_override_of_their_own_entry(world):
    (message,) = hear(
        f"/ws/leerling/les/{world.lesson.pk}/",
        world.pupil.user,
        lambda: entries.override(
            acting_user=world.teacher,
            pupil=world.pupil,
            lesson=world.lesson,
            aspect="instruction",
            value={"wanted": False},
        ),
    )
    assert message["type"] == "entry.changed"
    assert message["lesson"] == world.lesson.pk and message["pupil"] == world.pupil.pk
    assert message["entry"]["instruction"] is False
    assert message["entry"]["decided_by"]["instruction"] == "teacher"
    assert "instruction_text" not in message["entry"]  # codes, never words


def test_a_classmate_does_not_hear_someone_elses_override(world):
    heard = hear(
        f"/ws/leerling/les/{world.lesson.pk}/",
        world.classmate.user,
        lambda: entries.override(
            acting_user=world.teacher,
            pupil=world.pupil,
            lesson=world.lesson,
            aspect="instruction",
            value={"wanted": True},
        ),
    )
    assert heard == []


def test_the_pupil_hears_the_lesson_end_and_the_evaluation_open(world):
    (message,) = hear(
        f"/ws/leerling/les/{world.lesson.pk}/",
        world.pupil.user,
        lambda: actions.end_lesson(world.lesson, acting_user=world.teacher),
    )
    assert message == {
        "type": "lessons.changed",
        "lesson": world.lesson.pk,
        "running": False,
        "evaluating": True,
    }


def test_another_lesson_of_the_class_is_not_heard(world):
    other = actions.create_lesson(group=world.group, title="Tafels")
    heard = hear(
        f"/ws/leerling/les/{other.pk}/",
        world.pupil.user,
        lambda: actions.end_lesson(world.lesson, acting_user=world.teacher),
    )
    assert heard == []
