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
    place: NotRequired[
        Annotated[str, Key("the place: its per-study code in exports", label="place")]
    ]
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


HelpReasonKey = Annotated[
    Literal["dont_understand", "done", "missing"],
    Key("why help was asked (dont_understand, done, missing)"),
]


class HelpAsked(TypedDict):
    reason: HelpReasonKey


class HelpAnswered(TypedDict):
    reason: HelpReasonKey
    waited_seconds: Annotated[int, Key("seconds between the request and 'ik kom eraan'")]


class HelpClosed(TypedDict):
    reason: HelpReasonKey
    by: Annotated[
        Literal["pupil", "teacher"],
        Key("who closed it: the pupil ('ik kan verder') or the teacher"),
    ]
    waited_seconds: Annotated[int, Key("seconds between the request and its end")]


HELP_ASKED = declare(
    "help_asked", "asked the teacher for help, with a pictured reason", HelpAsked, app="logbook"
)
HELP_ANSWERED = declare(
    "help_answered",
    "the teacher said 'ik kom eraan' to a help request",
    HelpAnswered,
    app="logbook",
)
HELP_CLOSED = declare(
    "help_closed",
    "a help request ended (the pupil can go on, or was helped)",
    HelpClosed,
    app="logbook",
)


class Reacted(TypedDict):
    on: Annotated[Literal["reflection", "photo"], Key("what the teacher answered")]
    thumb: Annotated[bool, Key("a thumb up")]
    has_comment: Annotated[
        bool, Key("whether the teacher wrote a comment (the words are not in this dataset)")
    ]


REACTED = declare(
    "reacted",
    "the teacher answered a pupil's reflection or photo with a thumb or a comment",
    Reacted,
    app="logbook",
)
