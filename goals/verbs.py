"""The usage verbs of the doelenboekje (see classroom.usage)."""

from typing import Annotated, TypedDict

from classroom.usage import Key, declare

GoalCode = Annotated[str, Key("goal code")]
Level = Annotated[int, Key("rubric level")]


class Assessed(TypedDict):
    goal: GoalCode
    level: Level


class TeacherAssessed(Assessed):
    has_note: Annotated[bool, Key("whether the teacher wrote a note (the note is not exported)")]


class Starred(TypedDict):
    goal: GoalCode


SELF_ASSESSED = declare("self_assessed", "marked their own level on a goal", Assessed, app="goals")
TEACHER_ASSESSED = declare(
    "teacher_assessed",
    "the teacher marked the pupil's level on a goal",
    TeacherAssessed,
    app="goals",
)
GOAL_STARRED = declare("goal_starred", "starred a goal to work on next", Starred, app="goals")
GOAL_UNSTARRED = declare("goal_unstarred", "removed a star from a goal", Starred, app="goals")
