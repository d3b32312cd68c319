"""The columns of every dataset (name, type, meaning, allowed values) and the codebook
made from them. The row generators (datasets.py) build each row as a dict keyed by these
names and the writers (writers.py) take the column order from here, so the codebook and
the files cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from classroom import usage
from classroom.models import ASPECTS, Differentiation, Openness, Subject
from logbook.models import InstructionReason, Mood

from ..models import Dataset, Phase


def verbs() -> dict[str, usage.Verb]:
    """Every declared usage verb (classroom.usage): the codebook is made from them."""
    return dict(sorted(usage.VERBS.items()))


def context_keys() -> frozenset[str]:
    """Context keys that are exported; anything else an event carries stays behind."""
    return frozenset().union(*(v.exported_keys() for v in usage.VERBS.values()))


def verb_text(name: str) -> str:
    verb = usage.VERBS.get(name)
    return verb.description if verb else name


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    allowed: str = ""


BOOLEAN_OPEN = "true, false, (empty)"


def _choices(choices) -> str:
    return ", ".join(str(value) for value, _label in choices)


PSEUDONYM = "pseudonym (text): the same within this study, different in every other study"
TIME = (
    "when it happened: the local date (dates only), or an ISO 8601 UTC timestamp moved by "
    "the study's shift of that day (up to 30 minutes, the same for the whole day: order "
    "and gaps within a day are true, clock times are not). Rows within one date (or "
    "second) are in no particular order"
)
INTERVENTION = [
    Column(
        "intervention",
        "text",
        "the design team's intervention the lesson belongs to, if any: a per-study code "
        "(i_...), never its title",
    ),
    Column("phase", "text", "the intervention phase of the lesson", _choices(Phase.choices)),
]
COLUMNS: dict[str, list[Column]] = {
    Dataset.EVENTS: [
        Column("row", "integer", "row number in this file (not an id)"),
        Column(
            "event",
            "text",
            "the event: a per-study code (e_...), the same in every export of this study, "
            "different in every other study",
        ),
        Column("time", "date or ISO 8601 UTC timestamp", TIME),
        Column("verb", "text", "what happened (each verb is described in codebook.csv)"),
        Column("actor_role", "text", "who did it", "pupil, teacher, (empty)"),
        Column("actor", "text", f"who did it: {PSEUDONYM}"),
        Column("pupil", "text", f"the pupil it is about: {PSEUDONYM}"),
        Column("group", "text", f"the group: {PSEUDONYM}"),
        Column("lesson", "text", f"the lesson: {PSEUDONYM}"),
        Column("object_type", "text", "the kind of thing it is about"),
        Column(
            "context",
            "JSON object",
            "details; the keys of each verb are described in codebook.csv (events.context)",
        ),
        *INTERVENTION,
    ],
    Dataset.ENTRIES: [
        Column("row", "integer", "row number in this file (not an id)"),
        Column("date", "date", "the lesson's date"),
        Column("lesson", "text", f"the lesson: {PSEUDONYM}"),
        Column("group", "text", f"the group: {PSEUDONYM}"),
        Column("pupil", "text", f"the pupil: {PSEUDONYM}"),
        Column("goals", "text", "goal codes chosen, separated by |"),
        Column(
            "instruction", "boolean", "joins the instruction (empty: not decided)", BOOLEAN_OPEN
        ),
        Column("instruction_reason", "text", "why", _choices(InstructionReason.choices)),
        Column("alone", "boolean", "works alone (empty: not decided)", BOOLEAN_OPEN),
        Column("partners", "text", "partners with consent: pseudonyms separated by |"),
        Column(
            "place",
            "text",
            "the place the pupil works: a per-study code (place_...), never its name; "
            "labels.csv lists the codes",
        ),
        *[
            Column(f"{aspect}_decided_by", "text", f"who decided the {aspect}", "pupil, teacher")
            for aspect in ("goal", "instruction", "partner", "place")
        ],
        Column("mood", "text", "how it went", _choices(Mood.choices)),
        Column("evaluated", "boolean", "the pupil evaluated the lesson", "true, false"),
        *INTERVENTION,
    ],
    Dataset.ASSESSMENTS: [
        Column("row", "integer", "row number in this file (not an id)"),
        Column(
            "time",
            "date or ISO 8601 UTC timestamp",
            TIME.replace("it happened", "the mark was made"),
        ),
        Column("kind", "text", "whose mark", "self, teacher"),
        Column("pupil", "text", f"the pupil: {PSEUDONYM}"),
        Column("assessor", "text", f"who marked: {PSEUDONYM}"),
        Column("group", "text", f"the group: {PSEUDONYM}"),
        Column("goal", "text", "goal code"),
        Column("level", "integer", "rubric level, 1 = lowest"),
        Column("levels", "integer", "number of levels of the goal's rubric", "3, 4, 5"),
    ],
    Dataset.QUADRANT: [
        Column("row", "integer", "row number in this file (not an id)"),
        Column("date", "date", "the lesson's date"),
        Column("lesson", "text", f"the lesson: {PSEUDONYM}"),
        Column("group", "text", f"the group: {PSEUDONYM}"),
        Column("subject", "text", "subject", _choices(Subject.choices)),
        *[
            Column(
                f"{aspect}_openness", "text", f"openness of {aspect}", _choices(Openness.choices)
            )
            for aspect in ASPECTS
        ],
        Column("differentiation", "text", "differentiation", _choices(Differentiation.choices)),
        Column("intended_regie", "number 0-1", "intended regie (personalisation-quadrant.md)"),
        Column("intended_belang", "number 0-1", "intended belang"),
        Column(
            "enacted_regie",
            "number 0-1",
            "enacted regie over the decisions taken, from consenting pupils' entries",
        ),
        Column("enacted_belang", "number 0-1", "enacted belang (Gini-Simpson), (empty) if < 2"),
        Column("pupils_with_data", "integer", "consenting pupils with an entry"),
        Column("pupils_without_data", "integer", "consenting pupils without an entry"),
        Column("decisions_taken", "integer", "decisions taken (the denominator of enacted_regie)"),
        Column("decisions_by_pupils", "integer", "of those, taken by the pupils themselves"),
        Column("decisions_pending", "integer", "open decisions not taken: they count nowhere"),
        *INTERVENTION,
    ],
}
SCRUBBED = (
    "; every name the school holds (pupils, staff, groups, the school, places, activities) "
    "is replaced: a pupil of this export by their pseudonym, anyone else by [leerling], "
    "[leerkracht], [groep], [school], [plek] or [activiteit]. Names the school does not hold "
    "(a parent's) cannot be found"
)
FREE_TEXT = {
    Dataset.ENTRIES: [
        Column("instruction_text", "text", "the pupil's own words on the instruction" + SCRUBBED),
        Column("evaluation_text", "text", "the pupil's own words in the evaluation" + SCRUBBED),
    ],
    Dataset.ASSESSMENTS: [Column("note", "text", "the teacher's note" + SCRUBBED)],
}
LABELS = [
    Column("code", "text", "a per-study code used in the other files (place_..., activity_...)"),
    Column("kind", "text", "what the code stands for", "place, activity"),
]
# The files of an export that are not datasets, described in the codebook too.
DOCUMENTS = {
    "README.md": "the study's settings, what this export holds and what it can reveal",
    "codebook.csv": (
        "this file: every column of every file (file, column, type, meaning, allowed_values); "
        "rows with file events.verb describe each verb, events.context each context key"
    ),
    "labels.csv": (
        "the codes that stand for teacher-typed labels (places, planbord activities); "
        "their names are never exported"
    ),
}
FREE_TEXT = {
    Dataset.ENTRIES: [
        Column("instruction_text", "text", "the pupil's own words on the instruction"),
        Column("evaluation_text", "text", "the pupil's own words in the evaluation"),
    ],
    Dataset.ASSESSMENTS: [Column("note", "text", "the teacher's note")],
}


def columns(dataset: str, *, free_text: bool) -> list[Column]:
    """The dataset's columns, in file order; the free-text ones when the study asks."""
    return COLUMNS[dataset] + (FREE_TEXT.get(dataset, []) if free_text else [])


# How each codebook type is written in each format.
WRITTEN = {
    "csv": {},
    "jsonl": {
        "integer": "integer (JSON number, null when empty)",
        "boolean": "boolean (JSON true or false, null when empty)",
        "number 0-1": "number 0-1 (JSON number, null when empty)",
        "JSON object": "JSON object",
    },
}


def written_type(column: Column, fmt: str) -> str:
    return WRITTEN.get(fmt, {}).get(column.type, column.type)


def xapi_columns() -> list[Column]:
    """The parts of each statement in events.xapi.json (JSON paths; BASE is the
    installation's RESEARCH_XAPI_BASE)."""
    home = "BASE/studies/<study pseudonym>"
    return [
        Column(
            "id",
            "UUID",
            "uuid5 of the study's namespace and the event: stable in every "
            "export of this study, different in every other study",
        ),
        Column("actor.objectType", "text", "always Agent", "Agent"),
        Column("actor.account.homePage", "IRI", f"{home}"),
        Column(
            "actor.account.name",
            "text",
            "who did it (actor, or the pupil when the actor "
            f"is not exported, or unknown): {PSEUDONYM}",
        ),
        Column("verb.id", "IRI", "BASE/verbs/<verb>; each verb is described under events.verb"),
        Column("verb.display.en", "text", "the verb's description"),
        Column("object.objectType", "text", "always Activity", "Activity"),
        Column(
            "object.id",
            "IRI",
            f"{home}/lessons/<lesson pseudonym> or {home}/groups/<group pseudonym>",
        ),
        Column("object.definition.type", "IRI", "BASE/activity-types/<object type>"),
        Column(
            "timestamp",
            "ISO 8601 UTC timestamp",
            TIME + "; dates only are written as <date>T00:00:00Z",
        ),
        Column("context.extensions.BASE/extensions/group", "text", f"the group: {PSEUDONYM}"),
        Column(
            "context.extensions.BASE/extensions/actor-role",
            "text",
            "who did it",
            "pupil, teacher, (empty)",
        ),
        Column(
            "context.extensions.BASE/extensions/details",
            "JSON object",
            "the event's context (events.context)",
        ),
        Column(
            "context.extensions.BASE/extensions/intervention",
            "text",
            "the intervention code (i_...), only when the lesson belongs to one",
        ),
        Column(
            "context.extensions.BASE/extensions/phase",
            "text",
            "the intervention phase",
            _choices(Phase.choices),
        ),
        Column("version", "text", "xAPI version", "1.0.3"),
    ]


def data_files(datasets: Iterable[str], fmt: str) -> list[tuple[str, str, list[Column]]]:
    """(file name, dataset, columns) of every data file an export in `fmt` holds."""
    if fmt == "xapi":
        return (
            [("events.xapi.json", Dataset.EVENTS, xapi_columns())]
            if (Dataset.EVENTS in datasets)
            else []
        )
    return [(f"{d}.{fmt}", d, []) for d in datasets]


def codebook_rows(datasets: Iterable[str], *, free_text: bool, fmt: str = "csv"):
    """The rows of codebook.csv, header first: every file of the export and every column
    of each, then every verb and its exported context keys, from their declarations."""
    datasets = list(datasets)
    yield ["file", "column", "type", "meaning", "allowed_values"]
    for name, meaning in DOCUMENTS.items():
        yield [name, "", "", meaning, ""]
    for c in LABELS:
        yield ["labels.csv", c.name, c.type, c.meaning, c.allowed]
    files = data_files(datasets, fmt)
    for name, dataset, fixed in files:
        for c in fixed or columns(dataset, free_text=free_text):
            yield [name, c.name, written_type(c, fmt), c.meaning, c.allowed]
    if any(dataset == Dataset.EVENTS for _n, dataset, _c in files):
        for name, verb in verbs().items():
            yield ["events.verb", name, "", verb.description, ""]
        for name, verb in verbs().items():
            for key, (type_name, meaning) in verb.keys().items():
                if meaning.exported:
                    yield ["events.context", f"{name}.{key}", type_name, meaning.meaning, ""]
