"""The columns of every dataset (name, type, meaning, allowed values) and the codebook
made from them. The row generators (datasets.py) build each row as a dict keyed by these
names and the writers (writers.py) take the column order from here, so the codebook and
the files cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def _choices(choices) -> str:
    return ", ".join(str(value) for value, _label in choices)


PSEUDONYM = "pseudonym (text): the same within this study, different in every other study"
INTERVENTION = [
    Column("intervention", "text", "title of the design team's intervention, if any"),
    Column("phase", "text", "the intervention phase of the lesson", _choices(Phase.choices)),
]
COLUMNS: dict[str, list[Column]] = {
    Dataset.EVENTS: [
        Column("row", "integer", "row number in this file (not an id)"),
        Column("time", "date or ISO 8601 UTC timestamp", "when it happened"),
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
        Column("instruction", "boolean", "joins the instruction", "true, false, (empty)"),
        Column("instruction_reason", "text", "why", _choices(InstructionReason.choices)),
        Column("alone", "boolean", "works alone", "true, false, (empty)"),
        Column("partners", "text", "partners with consent: pseudonyms separated by |"),
        Column("partners_without_consent", "integer", "partners not exported (no consent)"),
        Column("place", "text", "place name (set by the teacher)"),
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
        Column("time", "date or ISO 8601 UTC timestamp", "when the mark was made"),
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


def codebook_rows(datasets: Iterable[str], *, free_text: bool) -> Iterator[list[str]]:
    """The rows of codebook.csv, header first: every column of every dataset, then every
    verb and its exported context keys, from their declarations."""
    yield ["dataset", "column", "type", "meaning", "allowed_values"]
    for dataset in datasets:
        for c in columns(dataset, free_text=free_text):
            yield [dataset, c.name, c.type, c.meaning, c.allowed]
        if dataset == Dataset.EVENTS:
            for name, verb in verbs().items():
                yield ["events.verb", name, "", verb.description, ""]
            for name, verb in verbs().items():
                for key, (type_name, meaning) in verb.keys().items():
                    if meaning.exported:
                        yield ["events.context", f"{name}.{key}", type_name, meaning.meaning, ""]
