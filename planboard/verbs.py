"""The usage verbs of the planbord (see classroom.usage)."""

from typing import Annotated, Literal, TypedDict

from classroom.usage import Key, declare

Activity = Annotated[
    str, Key("the planbord activity: its per-study code in exports", label="activity")
]


class Planned(TypedDict):
    activity: Activity
    position: Annotated[int, Key("place of the activity in the child's plan (1 = first)")]
    by: Annotated[Literal["pupil", "teacher"], Key("who decided (pupil or teacher)")]


class Unplanned(TypedDict):
    activity: Activity


# "from" is a Python keyword: the functional form.
Moved = TypedDict(
    "Moved",
    {
        "from": Annotated[
            str, Key("the planbord activity moved from (per-study code)", label="activity")
        ],
        "to": Annotated[
            str, Key("the planbord activity moved to (per-study code)", label="activity")
        ],
    },
)


class Ticked(TypedDict):
    activity: Activity
    done: Annotated[bool, Key("ticked off (true) or un-ticked (false)")]


PLANBOARD_PLANNED = declare(
    "planboard_planned", "planned an activity on the planbord", Planned, app="planboard"
)
PLANBOARD_UNPLANNED = declare(
    "planboard_unplanned", "took an activity off the planbord", Unplanned, app="planboard"
)
PLANBOARD_MOVED = declare(
    "planboard_moved", "the teacher moved the child to another activity", Moved, app="planboard"
)
PLANBOARD_TICKED = declare(
    "planboard_ticked", "ticked an activity off (or un-ticked it)", Ticked, app="planboard"
)


class PhotoAdded(TypedDict):
    activity: Activity


PLANBOARD_PHOTO_ADDED = declare(
    "planboard_photo_added",
    "took a photo of their work at a planbord activity (never the photo itself)",
    PhotoAdded,
    app="planboard",
)
