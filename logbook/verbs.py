"""The usage verbs of the rekenlogboek and photo reflection (see classroom.usage)."""

from typing import Annotated, Literal, NotRequired, TypedDict

from classroom.usage import Key, declare

Aspect = Annotated[
    Literal["goal", "instruction", "partner", "place", "order"],
    Key("logbook aspect (goal, instruction, partner, place, order)"),
]


class Decision(TypedDict):
    """What was decided: the keys of the one aspect that was."""

    aspect: Aspect
    goals: NotRequired[Annotated[list[str], Key("goal codes chosen")]]
    instruction: NotRequired[Annotated[bool, Key("whether the pupil joins the instruction")]]
    reason: NotRequired[Annotated[str | None, Key("instruction reason code")]]
    place: NotRequired[Annotated[str, Key("place name (set by the teacher)")]]
    partners: NotRequired[Annotated[int, Key("number of partners chosen")]]
    first_step: NotRequired[Annotated[str, Key("what the pupil does first (easy, hard)")]]


class Chosen(Decision):
    openness: Annotated[
        Literal["fixed", "choice", "free"],
        Key("the aspect's openness in the lesson (fixed, choice, free)"),
    ]


class Evaluated(TypedDict):
    mood: Annotated[str, Key("mood code")]
    goals: Annotated[int, Key("number of goals evaluated")]
    has_text: Annotated[
        bool, Key("whether the pupil wrote words (the words are not in this dataset)")
    ]


class PhotoAdded(TypedDict):
    goal: Annotated[str | None, Key("goal code")]
    prompt: Annotated[str | None, Key("photo reflection prompt code")]


class Noted(TypedDict):
    goals: Annotated[list[str], Key("goal codes the note is about")]


LOGBOOK_CHOSEN = declare(
    "logbook_chosen", "chose an aspect of their logbook entry", Chosen, app="logbook"
)
LOGBOOK_OVERRIDDEN = declare(
    "logbook_overridden", "the teacher decided an aspect for the pupil", Decision, app="logbook"
)
LOGBOOK_EVALUATED = declare(
    "logbook_evaluated", "evaluated the lesson in the logbook", Evaluated, app="logbook"
)
PHOTO_ADDED = declare(
    "photo_added",
    "added a photo of their work (the photo is not exported)",
    PhotoAdded,
    app="logbook",
)
CONVERSATION_NOTED = declare(
    "conversation_noted",
    "the teacher noted a rekengesprek (the note is not exported)",
    Noted,
    app="logbook",
)
