"""What any stranger can send a WebSocket costs one quiet log line a minute, never a
traceback per request (issue 18): an unknown path closes with 4404, a frame that is not
JSON with 4400; a JSON frame is ignored."""

import logging

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from classroom.realtime import quiet
from config.asgi import application
from tests import ws

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_log_memory():
    quiet._last.clear()
    yield
    quiet._last.clear()


def test_unknown_paths_close_with_4404_and_log_one_line_a_minute(caplog):
    caplog.set_level(logging.WARNING, logger="leerregie.websocket")
    for _ in range(50):
        assert ws.connect("/ws/nothing-here/") == (False, 4404)
    lines = [r for r in caplog.records if r.name == "leerregie.websocket"]
    assert len(lines) == 1
    assert lines[0].exc_info is None and "unknown path" in lines[0].getMessage()


def test_a_frame_that_is_not_json_closes_with_4400_without_a_traceback(world, caplog):
    caplog.set_level(logging.WARNING)
    sent = ws.headers(world.teacher)

    async def run(frame):
        communicator = WebsocketCommunicator(
            application, f"/ws/les/{world.lesson.pk}/", headers=sent
        )
        assert (await communicator.connect())[0]
        await communicator.send_to(text_data=frame)
        if frame == "{}":
            result = await communicator.receive_nothing(timeout=0.3)
        else:
            result = await communicator.receive_output(timeout=2)
        await communicator.disconnect()
        return result

    assert async_to_sync(run)("{}") is True  # a JSON frame: ignored, still open
    for frame in ("not json", "[[[", "\x00", "[" * 50_000 + "]" * 50_000):
        assert async_to_sync(run)(frame) == {"type": "websocket.close", "code": 4400}
    assert not [r for r in caplog.records if r.exc_info]
    assert len([r for r in caplog.records if "bad frame" in r.getMessage()]) == 1
