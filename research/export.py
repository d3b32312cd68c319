"""Pseudonymised, streamed research exports.

What a study's export holds, for the pupils whose consent is `given` at the moment of the
export (so a withdrawal counts for every later export):

- `events`: usage events; `entries`: logbook entries; `assessments`: self- and teacher
  assessments; `quadrant`: each lesson's intended and enacted position (enacted from the
  consenting pupils only). As CSV or JSON Lines, and the events also as xAPI 1.0.3.
- `codebook.csv` (every column: meaning, type, allowed values) and `README.md` (the
  study's settings).

Pupils, teachers, groups and lessons appear only as pseudonyms: HMAC-SHA256 under the
study's own key (stored on the server, never exported), so one pupil has one pseudonym
within a study and unlinkable ones across studies. No names, usernames, database ids or
photos; free text only when the study asks for it. Rows are read with database cursors
in chunks and written as they are read: memory stays flat however many rows there are.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from classroom.models import ASPECTS, Differentiation, Lesson, Openness, Pupil, Subject
from goals.models import SelfAssessment, TeacherAssessment
from logbook.models import InstructionReason, LogbookEntry, Mood

from .models import Consent, ConsentStatus, Dataset, InterventionLesson, Phase, Study, UsageEvent

CHUNK = 2000

VERBS = {
    "logged_in": "logged in",
    "logbook_chosen": "chose an aspect of their logbook entry",
    "logbook_overridden": "the teacher decided an aspect for the pupil",
    "logbook_evaluated": "evaluated the lesson in the logbook",
    "self_assessed": "marked their own level on a goal",
    "teacher_assessed": "the teacher marked the pupil's level on a goal",
    "goal_starred": "starred a goal to work on next",
    "goal_unstarred": "removed a star from a goal",
    "photo_added": "added a photo of their work (the photo is not exported)",
    "conversation_noted": "the teacher noted a rekengesprek (the note is not exported)",
    "planboard_planned": "planned an activity on the planbord",
    "planboard_unplanned": "took an activity off the planbord",
    "planboard_moved": "the teacher moved the child to another activity",
    "planboard_ticked": "ticked an activity off (or un-ticked it)",
    "lesson_started": "the teacher started a lesson",
    "lesson_ended": "the teacher ended a lesson",
}
# Context keys that are exported; anything else an event carries stays behind.
CONTEXT_KEYS = {
    "aspect": "logbook aspect (goal, instruction, partner, place)",
    "openness": "the aspect's openness in the lesson (fixed, choice, free)",
    "goals": "goal codes chosen (list), or the number of goals evaluated",
    "goal": "goal code",
    "level": "rubric level",
    "instruction": "whether the pupil joins the instruction",
    "reason": "instruction reason code",
    "place": "place name (set by the teacher)",
    "partners": "number of partners chosen",
    "mood": "mood code",
    "has_text": "whether the pupil wrote words (the words are not in this dataset)",
    "has_note": "whether the teacher wrote a note",
    "prompt": "photo reflection prompt code",
    "activity": "planbord activity name (set by the teacher)",
    "position": "place of the activity in the child's plan (1 = first)",
    "by": "who decided (pupil or teacher)",
    "from": "planbord activity moved from",
    "to": "planbord activity moved to",
    "done": "ticked off",
    "role": "pupil or staff",
}


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
        Column("verb", "text", "what happened", ", ".join(VERBS)),
        Column("actor_role", "text", "who did it", "pupil, teacher, (empty)"),
        Column("actor", "text", f"who did it: {PSEUDONYM}"),
        Column("pupil", "text", f"the pupil it is about: {PSEUDONYM}"),
        Column("group", "text", f"the group: {PSEUDONYM}"),
        Column("lesson", "text", f"the lesson: {PSEUDONYM}"),
        Column("object_type", "text", "the kind of thing it is about"),
        Column(
            "context",
            "JSON object",
            "details; keys: " + "; ".join(f"{k}: {v}" for k, v in CONTEXT_KEYS.items()),
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
        Column("enacted_regie", "number 0-1", "enacted regie, from consenting pupils' entries"),
        Column("enacted_belang", "number 0-1", "enacted belang (Gini-Simpson), (empty) if < 2"),
        Column("pupils_with_data", "integer", "consenting pupils with an entry"),
        Column("pupils_without_data", "integer", "consenting pupils without an entry"),
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
PREFIX = {"pupil": "p_", "staff": "t_", "group": "g_", "lesson": "l_", "study": "s_"}


class Pseudonyms:
    def __init__(self, key: str):
        self._key = bytes.fromhex(key)
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk: int | None) -> str:
        if pk is None:
            return ""
        value = self._cache.get((kind, pk))
        if value is None:
            digest = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
            value = self._cache[(kind, pk)] = PREFIX[kind] + digest[:16]
        return value


def _bool(value) -> str | bool:
    return "" if value is None else value


class Export:
    """One export of one study, as of now."""

    def __init__(self, study: Study):
        self.study = study
        self.made_at = timezone.now()
        self.pseudonym = Pseudonyms(study.pseudonym_key)
        self.rows_written = 0
        self.group_ids = list(study.groups.values_list("pk", flat=True))
        self.consenting = Consent.objects.filter(
            study=study, status=ConsentStatus.GIVEN, pupil__group_id__in=self.group_ids
        ).values("pupil_id")
        self.consenting_ids = set(self.consenting.values_list("pupil_id", flat=True))
        self.pupil_of_user = dict(
            Pupil.objects.filter(group_id__in=self.group_ids).values_list("user_id", "pk")
        )
        tz = timezone.get_current_timezone()
        self.since = datetime.combine(study.start_date, time.min, tzinfo=tz)
        self.until = datetime.combine(study.end_date + timedelta(days=1), time.min, tzinfo=tz)
        self.labels = {
            lesson_id: (title, phase)
            for lesson_id, title, phase in InterventionLesson.objects.filter(
                lesson__group_id__in=self.group_ids
            )
            .order_by("-intervention__start_date", "pk")
            .values_list("lesson_id", "intervention__title", "phase")
        }

    # --- shared ------------------------------------------------------------------

    def columns(self, dataset: str) -> list[Column]:
        extra = FREE_TEXT.get(dataset, []) if self.study.include_free_text else []
        return COLUMNS[dataset] + extra

    def when(self, moment: datetime) -> str:
        if self.study.coarsen_to_day:
            return timezone.localtime(moment).date().isoformat()
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def intervention(self, lesson_id) -> list[str]:
        return list(self.labels.get(lesson_id, ("", "")))

    def actor(self, user_id) -> tuple[str, str]:
        if user_id is None:
            return "", ""
        pupil_id = self.pupil_of_user.get(user_id)
        if pupil_id is not None:
            return "pupil", self.pseudonym(
                "pupil", pupil_id if pupil_id in self.consenting_ids else None
            )
        return "teacher", self.pseudonym("staff", user_id)

    def rows(self, dataset: str) -> Iterator[list]:
        return getattr(self, f"_{dataset}")()

    # --- datasets ----------------------------------------------------------------

    def _event_records(self) -> Iterator[list[tuple]]:
        """Chunks of raw (time, verb, actor_id, pupil_id, group_id, lesson_id, object_type,
        context) rows, oldest first: the ORM builds the query, the database cursor reads
        it (a server-side cursor on PostgreSQL), skipping per-row model conversions."""
        events = (
            UsageEvent.objects.filter(
                group_id__in=self.group_ids, time__gte=self.since, time__lt=self.until
            )
            .filter(Q(pupil__isnull=True) | Q(pupil_id__in=self.consenting))
            .order_by("time", "id")
            .values_list(
                "time",
                "verb",
                "actor_id",
                "pupil_id",
                "group_id",
                "lesson_id",
                "object_type",
                "context",
            )
        )
        sql, params = events.query.get_compiler(using=events.db).as_sql()
        connection = connections[events.db]
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK):
                yield chunk

    @staticmethod
    def _moment(raw) -> datetime:
        """The database's timestamp (a datetime, or SQLite's UTC text) as an aware datetime."""
        if isinstance(raw, datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)

    def _time_formatter(self):
        """A fast `raw timestamp -> exported text`: dates are cached per UTC hour."""
        if not self.study.coarsen_to_day:

            def exact(raw) -> str:
                if isinstance(raw, str):  # SQLite: "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC
                    return f"{raw[:10]}T{raw[11:19]}Z"
                return self.when(self._moment(raw))

            return exact
        hours: dict = {}

        def coarse(raw) -> str:
            key = raw[:13] if isinstance(raw, str) else (raw.year, raw.month, raw.day, raw.hour)
            value = hours.get(key)
            if value is None:
                value = hours[key] = self.when(self._moment(raw))
            return value

        return coarse

    @staticmethod
    def _context(raw) -> tuple[str, dict]:
        """The exported context as JSON text, and as a dict."""
        data = json.loads(raw) if isinstance(raw, str) else raw
        if isinstance(raw, str) and data.keys() <= CONTEXT_KEYS.keys():
            return raw, data
        kept = {k: v for k, v in data.items() if k in CONTEXT_KEYS}
        return json.dumps(kept, ensure_ascii=False, sort_keys=True), kept

    def event_rows(self) -> Iterator[tuple]:
        """(time, verb, actor_role, actor, pupil, group, lesson, object_type, context dict,
        lesson id) for every exported event, oldest first."""
        p = self.pseudonym
        for chunk in self._event_records():
            for moment, verb, actor_id, pupil_id, group_id, lesson_id, kind, raw in chunk:
                role, actor = self.actor(actor_id)
                yield (
                    self._moment(moment),
                    verb,
                    role,
                    actor,
                    p("pupil", pupil_id),
                    p("group", group_id),
                    p("lesson", lesson_id),
                    kind,
                    self._context(raw)[1],
                    lesson_id,
                )

    def _events(self) -> Iterator[list]:
        """The events dataset, written for speed: a million rows is a normal export. Every
        lookup is cached; the context cache is emptied now and then, so memory stays flat."""
        p = self.pseudonym
        when = self._time_formatter()
        actors: dict = {}
        labels: dict = {}
        pupils: dict = {None: ""}
        groups: dict = {None: ""}
        lessons: dict = {None: ""}
        contexts: dict = {}
        n = 0
        for chunk in self._event_records():
            if len(contexts) > 10_000:
                contexts.clear()
            for moment, verb, actor_id, pupil_id, group_id, lesson_id, kind, raw in chunk:
                n += 1
                actor = actors.get(actor_id)
                if actor is None:
                    actor = actors[actor_id] = self.actor(actor_id)
                label = labels.get(lesson_id)
                if label is None:
                    label = labels[lesson_id] = self.intervention(lesson_id)
                pupil = pupils.get(pupil_id)
                if pupil is None:
                    pupil = pupils[pupil_id] = p("pupil", pupil_id)
                group = groups.get(group_id)
                if group is None:
                    group = groups[group_id] = p("group", group_id)
                lesson = lessons.get(lesson_id)
                if lesson is None:
                    lesson = lessons[lesson_id] = p("lesson", lesson_id)
                context = contexts.get(raw) if isinstance(raw, str) else None
                if context is None:
                    context = self._context(raw)[0]
                    if isinstance(raw, str):
                        contexts[raw] = context
                yield [n, when(moment), verb, *actor, pupil, group, lesson, kind, context, *label]

    def _entries(self) -> Iterator[list]:
        entries = (
            LogbookEntry.objects.filter(
                lesson__group_id__in=self.group_ids,
                lesson__date__gte=self.study.start_date,
                lesson__date__lte=self.study.end_date,
                pupil_id__in=self.consenting,
            )
            .select_related("lesson", "place")
            .prefetch_related("goals", Prefetch("partners", queryset=Pupil.objects.only("pk")))
            .order_by("lesson__date", "lesson_id", "pupil_id")
        )
        p = self.pseudonym
        free = self.study.include_free_text
        for n, entry in enumerate(entries.iterator(chunk_size=CHUNK), start=1):
            partners = [q.pk for q in entry.partners.all()]
            shared = [p("pupil", pk) for pk in partners if pk in self.consenting_ids]
            decided = entry.decided_by
            row = [
                n,
                entry.lesson.date.isoformat(),
                p("lesson", entry.lesson_id),
                p("group", entry.lesson.group_id),
                p("pupil", entry.pupil_id),
                "|".join(sorted(g.code for g in entry.goals.all())),
                _bool(entry.instruction),
                entry.instruction_reason,
                _bool(entry.alone),
                "|".join(sorted(shared)),
                len(partners) - len(shared),
                entry.place.name if entry.place else "",
                *[decided.get(a, "") for a in ("goal", "instruction", "partner", "place")],
                entry.mood,
                entry.evaluated_at is not None,
                *self.intervention(entry.lesson_id),
            ]
            if free:
                row += [entry.instruction_text, entry.evaluation_text]
            yield row

    def _assessments(self) -> Iterator[list]:
        p = self.pseudonym
        scope = {
            "goal__block__group_id__in": self.group_ids,
            "pupil_id__in": self.consenting,
            "created_at__gte": self.since,
            "created_at__lt": self.until,
        }
        n = 0
        for kind, model in (("self", SelfAssessment), ("teacher", TeacherAssessment)):
            fields = ["created_at", "pupil_id", "goal__block__group_id", "goal__code", "level"]
            fields += ["teacher_id", "note"] if kind == "teacher" else []
            marks = model.objects.filter(**scope).order_by("created_at", "pk").values_list(*fields)
            levels = self._levels()
            for values in marks.iterator(chunk_size=CHUNK):
                moment, pupil_id, group_id, code, level = values[:5]
                n += 1
                assessor = p("staff", values[5]) if kind == "teacher" else p("pupil", pupil_id)
                row = [
                    n,
                    self.when(moment),
                    kind,
                    p("pupil", pupil_id),
                    assessor,
                    p("group", group_id),
                    code,
                    level,
                    levels.get((group_id, code), ""),
                ]
                if self.study.include_free_text:
                    row.append(values[6] if kind == "teacher" else "")
                yield row

    def _levels(self) -> dict:
        from goals.models import Goal

        return {
            (group_id, code): count
            for group_id, code, count in Goal.objects.filter(block__group_id__in=self.group_ids)
            .annotate(level_count=Count("levels"))
            .values_list("block__group_id", "code", "level_count")
        }

    def _quadrant(self) -> Iterator[list]:
        from logbook.dashboard import _position

        lessons = Lesson.objects.filter(
            group_id__in=self.group_ids,
            date__gte=self.study.start_date,
            date__lte=self.study.end_date,
            started_at__isnull=False,
        ).order_by("date", "started_at")
        consenting_by_group: dict[int, list[int]] = {}
        for pk, group_id in Pupil.objects.filter(pk__in=self.consenting, active=True).values_list(
            "pk", "group_id"
        ):
            consenting_by_group.setdefault(group_id, []).append(pk)
        p = self.pseudonym
        for n, lesson in enumerate(lessons.iterator(chunk_size=200), start=1):
            pupils = consenting_by_group.get(lesson.group_id, [])
            entries = LogbookEntry.objects.filter(
                lesson=lesson, pupil_id__in=pupils
            ).prefetch_related("goals")
            position = _position(lesson, pupils, entries)
            enacted = position.enacted
            yield [
                n,
                lesson.date.isoformat(),
                p("lesson", lesson.pk),
                p("group", lesson.group_id),
                lesson.subject,
                *[lesson.openness(aspect) for aspect in ASPECTS],
                lesson.differentiation,
                round(position.intended_regie, 4),
                round(position.intended_belang, 4),
                "" if enacted.regie is None else round(enacted.regie, 4),
                "" if enacted.belang is None else round(enacted.belang, 4),
                enacted.pupils_with_data,
                enacted.pupils_without_data,
                *self.intervention(lesson.pk),
            ]

    # --- formats -----------------------------------------------------------------

    def csv(self, dataset: str) -> Iterator[bytes]:
        """The dataset as UTF-8 CSV, a few rows per chunk."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.name for c in self.columns(dataset)])
        self.rows_written = 0
        batch = []
        for row in self.rows(dataset):
            batch.append(row)
            if len(batch) == 500:
                writer.writerows(batch)
                self.rows_written += len(batch)
                batch.clear()
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        writer.writerows(batch)
        self.rows_written += len(batch)
        yield buffer.getvalue().encode()

    def jsonl(self, dataset: str) -> Iterator[bytes]:
        names = [c.name for c in self.columns(dataset)]
        lines = []
        for row in self.rows(dataset):
            record = dict(zip(names, row, strict=True))
            if dataset == Dataset.EVENTS:
                record["context"] = json.loads(record["context"])
            lines.append(json.dumps(record, ensure_ascii=False, default=str))
            if len(lines) == 200:
                yield ("\n".join(lines) + "\n").encode()
                lines = []
        if lines:
            yield ("\n".join(lines) + "\n").encode()

    def xapi(self) -> Iterator[bytes]:
        """The events as a JSON array of xAPI 1.0.3 statements."""
        yield b"["
        first = True
        for n, event in enumerate(self.event_rows(), start=1):
            statement = self.statement(n, *event)
            yield (b"" if first else b",\n") + json.dumps(statement, ensure_ascii=False).encode()
            first = False
        yield b"]\n"

    def statement(
        self, n, moment, verb, role, actor, pupil, group, lesson, kind, context, lesson_id
    ):
        base = settings.RESEARCH_XAPI_BASE.rstrip("/")
        study = self.pseudonym("study", self.study.pk)
        home = f"{base}/studies/{study}"
        who = actor or pupil or "unknown"
        statement = {
            # Derived from the study's pseudonym and the row number: stable, and no id.
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{home}/statements/{n}")),
            "actor": {
                "objectType": "Agent",
                "account": {"homePage": home, "name": who},
            },
            "verb": {"id": f"{base}/verbs/{verb}", "display": {"en": VERBS.get(verb, verb)}},
            "object": {
                "objectType": "Activity",
                "id": f"{home}/{'lessons/' + lesson if lesson else 'groups/' + group}",
                "definition": {"type": f"{base}/activity-types/{kind or 'lesson'}"},
            },
            "timestamp": moment.astimezone(UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "context": {
                "extensions": {
                    f"{base}/extensions/group": group,
                    f"{base}/extensions/actor-role": role,
                    f"{base}/extensions/details": context,
                }
            },
            "version": "1.0.3",
        }
        if self.study.coarsen_to_day:
            statement["timestamp"] = timezone.localtime(moment).date().isoformat() + "T00:00:00Z"
        title, phase = self.intervention(lesson_id)
        if title:
            statement["context"]["extensions"][f"{base}/extensions/intervention"] = title
            statement["context"]["extensions"][f"{base}/extensions/phase"] = phase
        return statement

    # --- the bundle --------------------------------------------------------------

    def codebook(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["dataset", "column", "type", "meaning", "allowed_values"])
        for dataset in self.study.datasets:
            for c in self.columns(dataset):
                writer.writerow([dataset, c.name, c.type, c.meaning, c.allowed])
        yield buffer.getvalue().encode()

    def readme(self, fmt: str) -> str:
        s = self.study
        consent = Consent.objects.filter(study=s, pupil__group_id__in=self.group_ids)
        counts = {status: consent.filter(status=status).count() for status in ConsentStatus.values}
        pupils = Pupil.objects.filter(group_id__in=self.group_ids).count()
        groups = ", ".join(
            f"{self.pseudonym('group', g.pk)} ({g.years_label})" for g in s.groups.all()
        )
        lines = [
            f"# {s.title}",
            "",
            s.description,
            "",
            f"- Exported: {self.made_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, format {fmt}",
            f"- Period: {s.start_date.isoformat()} to {s.end_date.isoformat()}",
            f"- Groups: {groups}",
            f"- Data: {', '.join(s.datasets)}",
            f"- Free text included: {'yes' if s.include_free_text else 'no'}",
            f"- Timestamps: {'dates only' if s.coarsen_to_day else 'to the second, UTC'}",
            f"- Pupils in these groups: {pupils}; consent given: {counts['given']}, "
            f"refused: {counts['refused']}, recorded as unknown: {counts['unknown']}. "
            "Only pupils with consent given at the time of this export are included.",
            "",
            "Pupils, teachers, groups and lessons are pseudonyms (HMAC-SHA256 under a key",
            "kept by the school's server): stable within this study, unlinkable to any other",
            "study. The export holds no names, usernames, database ids or photos.",
            "`codebook.csv` explains every column. The quadrant follows",
            "personalisation-quadrant.md of the Leerregie design notes.",
            "",
        ]
        return "\n".join(lines)

    def files(self, fmt: str) -> Iterable[tuple[str, Iterator[bytes]]]:
        yield "README.md", iter([self.readme(fmt).encode()])
        yield "codebook.csv", self.codebook()
        for dataset in self.study.datasets:
            if fmt == "xapi":
                if dataset == Dataset.EVENTS:
                    yield "events.xapi.json", self.xapi()
            elif fmt == "jsonl":
                yield f"{dataset}.jsonl", self.jsonl(dataset)
            else:
                yield f"{dataset}.csv", self.csv(dataset)


FORMATS = ("csv", "jsonl", "xapi")


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes the generator below hands out as it goes."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def zip_stream(export: Export, fmt: str) -> Iterator[bytes]:
    """The whole export as a zip, produced while it is sent."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, chunks in export.files(fmt):
            info = zipfile.ZipInfo(name, date_time=export.made_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sum(map(len, pipe.chunks)) > 256 * 1024:
                        yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def filename(study: Study, fmt: str) -> str:
    return f"leerregie-study-{Pseudonyms(study.pseudonym_key)('study', study.pk)}-{fmt}.zip"
