"""The lesson dashboard's and the class's WebSockets through the real ASGI stack: who may
connect, foreign Origins, and what arrives after a pupil's choice or a lesson start."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from classroom import actions
from classroom.models import Lesson
from config.asgi import application
from logbook import entries
from tests import ws

# Transactional (the consumers close the connection around their look-ups): `world` is
# committed for each test (tests/conftest.py's transactional_world).
pytestmark = pytest.mark.django_db(transaction=True)


def listen(path, user, act):
    """Connect as `user`, run `act` (a database write) and return the first message."""
    sent = ws.headers(user)

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=sent)
        connected, _code = await communicator.connect()
        assert connected
        await database_sync_to_async(act)()
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    return async_to_sync(run)()


def test_the_teacher_hears_a_pupils_choice_with_its_number_and_line(world):
    message = listen(
        f"/ws/les/{world.lesson.pk}/",
        world.teacher,
        lambda: entries.choose(
            pupil=world.classmate, lesson=world.lesson, aspect="partner", value=[world.pupil.pk]
        ),
    )
    assert message["type"] == "lesson.changed"
    assert message["seq"] == Lesson.objects.get(pk=world.lesson.pk).seq
    assert message["row"]["name"] == "Daan"
    assert message["row"]["entry"]["partners"] == [{"id": world.pupil.pk, "name": "Noor"}]
    assert message["summary"]["quadrant"]["enacted"]["pupils_with_data"] == 2


@pytest.mark.parametrize("persona", ["teacher", "school_admin"])
def test_the_lessons_teachers_may_open_the_dashboard(world, persona):
    assert ws.connect(f"/ws/les/{world.lesson.pk}/", getattr(world, persona)) == (True, None)


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "pupil", "classmate", "colleague", "other_school_teacher", "other_pupil"],
)
def test_pupils_and_other_groups_teachers_are_refused(world, persona):
    connected, code = ws.connect(f"/ws/les/{world.lesson.pk}/", world.user(persona))
    assert (connected, code) == (False, 4403)


def test_a_foreign_origin_is_refused_even_for_the_teacher(world):
    connected, _code = ws.connect(
        f"/ws/les/{world.lesson.pk}/", world.teacher, origin="http://evil.example"
    )
    assert connected is False


def test_an_unknown_lesson_is_refused(world):
    assert ws.connect("/ws/les/999999/", world.teacher) == (False, 4403)


def test_a_pupils_home_hears_the_lesson_start(world):
    actions.end_lesson(world.lesson, acting_user=world.teacher)
    message = listen(
        f"/ws/klas/{world.group.pk}/",
        world.pupil.user,
        lambda: actions.start_lesson(world.lesson, acting_user=world.teacher),
    )
    assert message == {
        "type": "lessons.changed",
        "lesson": world.lesson.pk,
        "running": True,
        "evaluating": False,
    }


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "pupil", "classmate"])
def test_the_class_and_its_teachers_may_follow_the_class(world, persona):
    assert ws.connect(f"/ws/klas/{world.group.pk}/", world.user(persona))[0] is True


@pytest.mark.parametrize(
    "persona", ["anonymous", "colleague", "other_school_teacher", "other_pupil"]
)
def test_other_classes_are_refused(world, persona):
    assert ws.connect(f"/ws/klas/{world.group.pk}/", world.user(persona)) == (False, 4403)


def test_a_foreign_origin_is_refused_for_the_class_too(world):
    connected, _code = ws.connect(
        f"/ws/klas/{world.group.pk}/", world.pupil.user, origin="http://evil.example"
    )
    assert connected is False
