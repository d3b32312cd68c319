"""The realtime messages' contract: one `TypedDict` per message type, declared once.

Classroom declares its own (`lessons.changed`, and a bare `lesson.changed` for when no
app builds the dashboard's); apps declare theirs at import or `ready()` and may give
`lesson.changed` its full shape when they register its builder (logbook does). The
action/event table test checks every message an action sends against these, and
docs/realtime.md describes them.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from classroom import schema

MESSAGES: dict[str, type] = {}


def declare(message_type: str, shape: type) -> type:
    """Declare (or, for the app that builds it, replace) the shape of a message type."""
    MESSAGES[message_type] = shape
    return shape


def check(message: dict) -> None:
    """Raise schema.ShapeError unless `message` fits its declared type. The channel
    layer's copy carries the pre-encoded `text` (publish.encoded); that is not part of
    the contract."""
    message = {k: v for k, v in message.items() if k != "text"}
    try:
        shape = MESSAGES[message["type"]]
    except KeyError:
        raise schema.ShapeError(f"undeclared realtime message {message.get('type')!r}") from None
    schema.check(message, shape, message["type"])


class LessonsChanged(TypedDict):
    """To `class.<group>`: a lesson of the class started or ended, or its evaluation
    closed. `evaluating`: ended, and pupils may still say how it went."""

    type: Literal["lessons.changed"]
    lesson: int
    running: bool
    evaluating: bool


class BareLessonChanged(TypedDict):
    """To `lesson.<id>`: change number `seq` of the lesson (no app described it)."""

    type: Literal["lesson.changed"]
    lesson: int
    seq: int
    pupil: int | None
    row: None
    summary: None


declare("lessons.changed", LessonsChanged)
declare("lesson.changed", BareLessonChanged)


class SessionEnded(TypedDict):
    """To `session.<key>`: the login session ended (logout): its sockets close (4401)."""

    type: Literal["session.ended"]


class RightsChanged(TypedDict):
    """To `user.<id>`: the user's rights changed; each socket checks again (4403)."""

    type: Literal["rights.changed"]


declare("session.ended", SessionEnded)
declare("rights.changed", RightsChanged)
