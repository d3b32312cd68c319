"""The usage verbs classroom records (see classroom.usage)."""

from typing import Annotated, Literal, TypedDict

from .usage import Key, declare


class LoggedIn(TypedDict):
    role: Annotated[Literal["pupil", "staff"], Key("pupil or staff")]


LOGGED_IN = declare("logged_in", "logged in", LoggedIn, app="classroom")
LESSON_STARTED = declare("lesson_started", "the teacher started a lesson", app="classroom")
LESSON_ENDED = declare("lesson_ended", "the teacher ended a lesson", app="classroom")
EVALUATION_CLOSED = declare(
    "lesson_evaluation_closed", "the teacher closed a lesson's evaluation", app="classroom"
)
