"""Publishing realtime messages: only from actions, only after the transaction commits.

Channel layers deliver at most once, so nothing depends on a message arriving: planbord
hints are followed by a fetch, and lesson events carry a sequence number so a dashboard
that misses one sees the gap and reloads its snapshot (docs/realtime.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from classroom.models import Lesson

from . import handover, messages
from .groups import lesson_group

logger = logging.getLogger(__name__)


def encoded(payload: dict) -> dict:
    """The message with its JSON text made once, here: a consumer forwards the text to
    each of its sockets instead of encoding the same event thirty (or 900) times."""
    return {**payload, "text": json.dumps(payload, separators=(",", ":"))}


def send_on_commit(group: str, message: dict | Callable[[], dict]) -> None:
    """Send `message` to `group` once the current transaction commits. A callable is
    called then, so the message can describe the committed state. In the server the
    message is handed to its event loop and the write does not wait (handover.py)."""

    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            payload = encoded(message() if callable(message) else message)
            if not handover.hand_over(group, payload):
                async_to_sync(layer.group_send)(group, payload)
        except Exception:  # a lost message must never fail the write that caused it
            logger.warning("realtime message to %s not sent", group, exc_info=True)

    transaction.on_commit(send)


def lesson_changed(lesson_id: int, pupil_id: int | None = None, *, lesson=None, entry=None) -> int:
    """Call inside the action's transaction: gives the change the lesson's next sequence
    number and, after commit, sends `lesson.changed` with the pupil's row (or, for a
    change to the lesson itself, none) and the lesson's summary. Returns the number.

    What the write already holds is handed to the registered builder so the event does
    not read it again: the `lesson` as the action has it, and the changed `entry` (a row
    of the app that registered the builder, with what its row shows loaded)."""
    # One UPDATE: the row lock orders concurrent changes to one lesson. RETURNING (SQLite
    # 3.35+, PostgreSQL) gives the new number without a second query.
    table = Lesson._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = seq + 1 WHERE id = %s RETURNING seq",  # noqa: S608
            [lesson_id],
        )
        (seq,) = cursor.fetchone()

    send_on_commit(
        lesson_group(lesson_id),
        lambda: _lesson_event(lesson_id, seq, pupil_id, lesson=lesson, entry=entry),
    )
    return seq


def _bare_lesson_event(lesson_id: int, seq: int, pupil_id: int | None, **held) -> dict:
    """Without an app that registers the dashboard's builder: the number alone, so a
    screen still sees that something changed and reloads its snapshot."""
    return {
        "type": "lesson.changed",
        "lesson": lesson_id,
        "seq": seq,
        "pupil": pupil_id,
        "row": None,
        "summary": None,
    }


_lesson_event: Callable[..., dict] = _bare_lesson_event


def register_lesson_event(builder: Callable[..., dict], shape: type) -> None:
    """The app that owns the dashboard (logbook) registers, at ready(), how the
    `lesson.changed` message for a change is built:
    `builder(lesson_id, seq, pupil_id, lesson=..., entry=...)`, called after commit with
    what the write held (either may be None), and the message's shape (a TypedDict).
    Classroom itself knows nothing of logbook entries."""
    global _lesson_event
    _lesson_event = builder
    messages.declare("lesson.changed", shape)
