"""The shape of `lesson.changed` as the logbook builds it (logbook/dashboard.py `event`):
the pupil's dashboard line and the lesson's summary. Ids, codes and names; no free text."""

from typing import Literal, TypedDict

Decider = Literal["pupil", "teacher"] | None
Share = float | None


class GoalRef(TypedDict):
    id: int
    code: str


class PartnerRef(TypedDict):
    id: int
    name: str


class Decisions(TypedDict):
    goal: Decider
    instruction: Decider
    place: Decider
    partner: Decider
    order: Decider


class EntryLine(TypedDict):
    goals: list[GoalRef]
    instruction: bool | None
    instruction_reason: str | None
    instruction_asked: bool  # the pupil asked for it (kept when the teacher decides otherwise)
    alone: bool | None
    partners: list[PartnerRef]
    place: int | None
    mood: str | None
    decided_by: Decisions


class HelpLine(TypedDict):
    reason: Literal["dont_understand", "done", "missing"]
    asked_at: str  # ISO 8601: the queue is in this order, with the waiting time
    coming: bool  # the teacher said "ik kom eraan"


class Row(TypedDict):
    pupil: int
    name: str
    avatar: str
    colour: str
    photo: str | None
    state: Literal["none", "working", "evaluated"]
    entry: EntryLine | None
    help: HelpLine | None
    locked: bool  # locked out after wrong picture codes


class Position(TypedDict):
    regie: Share
    belang: Share
    quadrant: str | None
    # The shares as whole percentages, rounded once (half up) for every screen.
    regie_pct: int | None
    belang_pct: int | None


class EnactedPosition(Position):
    pupils_with_data: int
    pupils_without_data: int
    decisions: int  # taken so far
    by_pupils: int  # of those, the pupils' own
    pending: int  # open decisions not taken yet: they count nowhere


class PupilPosition(TypedDict):
    pupil: int
    regie: Share
    belang: Share
    regie_pct: int
    belang_pct: int


class Quadrant(TypedDict):
    intended: Position
    enacted: EnactedPosition
    pupils: list[PupilPosition]


class Openness(TypedDict):
    goal: str
    instruction: str
    place: str
    partner: str
    order: str


class Summary(TypedDict):
    running: bool
    started: bool
    started_at: str | None  # ISO 8601, for "nothing chosen N minutes after the start"
    openness: Openness
    differentiation: str
    quadrant: Quadrant


class LessonChanged(TypedDict):
    """To `lesson.<id>`: change number `seq`; `row` is the pupil's line when a pupil's
    entry changed (`pupil` set), null for a change to the lesson itself. `summary` is
    null for a pupil's change within `LESSON_SUMMARY_SECONDS` of the last summary: a
    `lesson.summary` covering it follows."""

    type: Literal["lesson.changed"]
    lesson: int
    seq: int
    pupil: int | None
    row: Row | None
    summary: Summary | None


class LessonSummary(TypedDict):
    """To `lesson.<id>`: the lesson's summary, covering every change up to `covers` (a
    burst's coalesced summary; it takes no sequence number of its own)."""

    type: Literal["lesson.summary"]
    lesson: int
    covers: int
    summary: Summary


class OwnEntry(TypedDict):
    """A pupil's own entry in ids and codes (never free text: the words stay on the page)."""

    goals: list[int]
    instruction: bool | None
    instruction_reason: str | None
    alone: bool | None
    partners: list[int]
    place: int | None
    first_step: str | None
    mood: str | None
    evaluated: bool
    decided_by: Decisions


class EntryChanged(TypedDict):
    """To `pupil.<id>`: the teacher changed this pupil's entry (an override); their own
    logbook page shows it at once (logbook/consumers.py)."""

    type: Literal["entry.changed"]
    lesson: int
    pupil: int
    entry: OwnEntry


class VoiceChanged(TypedDict):
    """To `voice.<group>`: something new in the class's "nieuw van de klas" (a
    reflection, a photo, a reaction). A hint: no pupil, no content."""

    type: Literal["voice.changed"]
    group: int
