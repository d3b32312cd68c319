"""One export of one study: its datasets as rows, each row a dict keyed by the dataset's
column names (columns.py), and the formats they are written in.

Rows are read with database cursors in chunks and written as they are read: memory
stays flat however many rows there are.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time, timedelta

from django.db import connections
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Prefetch, Q, Value
from django.db.models.functions import TruncDate, TruncSecond
from django.utils import timezone

from classroom import usage
from classroom.models import ASPECTS, Lesson, Pupil, UsageEvent
from goals.models import SelfAssessment, TeacherAssessment
from logbook.models import LogbookEntry

from .. import names
from ..models import Consent, ConsentStatus, Dataset, InterventionLesson, Study
from . import archive, writers, xapi
from .columns import Column, columns, context_keys
from .pseudonyms import Pseudonyms

CHUNK = 2000


def _bool(value) -> str:
    """Booleans as the codebook writes them: true, false, or empty when not decided."""
    return "" if value is None else ("true" if value else "false")


class Export:
    """One export of one study, as of now."""

    def __init__(self, study: Study):
        self.study = study
        self.made_at = timezone.now()
        self.pseudonym = Pseudonyms(study.pseudonym_key)
        self.rows_written = 0
        all_groups = list(study.groups.values_list("pk", flat=True))
        given = Consent.objects.filter(
            study=study, status=ConsentStatus.GIVEN, pupil__group_id__in=all_groups
        )
        per_group = dict(
            given.values("pupil__group_id")
            .annotate(n=Count("pk"))
            .values_list("pupil__group_id", "n")
        )
        # The minimum cell size: a group with fewer consenting pupils is left out whole.
        self.group_ids = [g for g in all_groups if per_group.get(g, 0) >= study.min_cell_size]
        self.left_out_groups = [g for g in all_groups if g not in self.group_ids]
        self.consenting = given.filter(pupil__group_id__in=self.group_ids).values("pupil_id")
        self.consenting_ids = set(self.consenting.values_list("pupil_id", flat=True))
        self.pupil_of_user = dict(
            Pupil.objects.filter(group_id__in=all_groups).values_list("user_id", "pk")
        )
        tz = timezone.get_current_timezone()
        self.since = datetime.combine(study.start_date, time.min, tzinfo=tz)
        self.until = datetime.combine(study.end_date + timedelta(days=1), time.min, tzinfo=tz)
        self.labels = {
            lesson_id: (self.pseudonym("intervention", intervention_id), phase)
            for lesson_id, intervention_id, phase in InterventionLesson.objects.filter(
                lesson__group_id__in=self.group_ids
            )
            .order_by("-intervention__start_date", "pk")
            .values_list("lesson_id", "intervention_id", "phase")
        }
        self._scrub: names.Scrubber | None = None
        self._labels_used: dict[str, str] = {}
        self._order = self.pseudonym.order_key()
        self._order_seed = self.pseudonym.order_seed()

    # --- shared ------------------------------------------------------------------

    def columns(self, dataset: str) -> list[Column]:
        return columns(dataset, free_text=self.study.include_free_text)

    def when(self, moment: datetime) -> str:
        if self.study.coarsen_to_day:
            return timezone.localtime(moment).date().isoformat()
        return self.exact(moment)

    def exact(self, moment: datetime) -> str:
        """An exact timestamp, moved by the study's shift of its day (pseudonyms.py)."""
        moment = moment.astimezone(UTC)
        moment += timedelta(seconds=self.pseudonym.day_shift(moment.date().isoformat()))
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")

    def intervention(self, lesson_id) -> tuple[str, str]:
        return self.labels.get(lesson_id, ("", ""))

    def label(self, kind: str, text: str | None) -> str:
        """A teacher-typed label's per-study code; the codes used are listed in labels.csv."""
        code = self.pseudonym.label(kind, text)
        if code:
            self._labels_used[code] = kind
        return code

    def labels_used(self) -> dict[str, str]:
        return dict(sorted(self._labels_used.items()))

    def scrub(self, text: str) -> str:
        """Free text with every name the school holds replaced (research.names): a
        consenting pupil's by their pseudonym, anyone else's by [leerling], [leerkracht],
        [groep], [school], [plek] or [activiteit]."""
        if not text:
            return text
        if self._scrub is None:
            consenting = self.consenting_ids
            self._scrub = names.for_schools(
                [self.study.school_id],
                pupil_label=lambda pk: self.pseudonym("pupil", pk) if pk in consenting else None,
                extra_staff=list(self.study.researchers.all()),
            )
        return self._scrub(text)

    def order(self, field: str = "id"):
        """Rows within one time unit in an order that says nothing of their ids: two
        rounds of a keyed quadratic hash modulo a prime, in SQL (native integer `%` on
        SQLite and PostgreSQL), the same in every export of the study."""
        a, b, c, m = self._order
        x = ExpressionWrapper(
            (F(field) * Value(a) + Value(b)) % Value(m), output_field=BigIntegerField()
        )
        y = ExpressionWrapper((x * x + Value(c)) % Value(m), output_field=BigIntegerField())
        return ExpressionWrapper((y * y + Value(b)) % Value(m), output_field=BigIntegerField())

    def unit(self, field: str):
        """The time unit rows are shuffled within: the day, or the second."""
        if self.study.coarsen_to_day:
            return TruncDate(field, tzinfo=timezone.get_current_timezone())
        return TruncSecond(field)

    def actor(self, user_id) -> tuple[str, str]:
        if user_id is None:
            return "", ""
        pupil_id = self.pupil_of_user.get(user_id)
        if pupil_id is not None:
            return "pupil", self.pseudonym(
                "pupil", pupil_id if pupil_id in self.consenting_ids else None
            )
        return "teacher", self.pseudonym("staff", user_id)

    def rows(self, dataset: str) -> Iterator[dict]:
        """The dataset's rows, each a dict keyed by its column names."""
        return getattr(self, f"_{dataset}")()

    # --- datasets ----------------------------------------------------------------

    def _event_records(self) -> Iterator[tuple[str, list[tuple]]]:
        """(time unit, rows) pairs: the raw (time, verb, actor_id, pupil_id, group_id,
        lesson_id, object_type, context, id) rows of one time unit (the exported date, or
        the second), shuffled within it. The ORM builds the query, the database cursor
        reads it in time order (the index; a server-side cursor on PostgreSQL), skipping
        per-row model conversions; one time unit is held at once. An event about a pupil
        without consent, or one such a pupil did, is left out."""
        if not self.group_ids:
            return
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
                "id",
            )
        )
        sql, params = events.query.get_compiler(using=events.db).as_sql()
        connection = connections[events.db]
        unit_of = self._unit_formatter()
        left_out = {
            user for user, pupil in self.pupil_of_user.items() if pupil not in self.consenting_ids
        }
        unit, batch = None, []
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK):
                for record in chunk:
                    if record[2] in left_out:
                        continue
                    key = unit_of(record[0])
                    if key != unit:
                        if batch:
                            yield unit, self._shuffle(unit, batch)
                        unit, batch = key, []
                    batch.append(record)
        if batch:
            yield unit, self._shuffle(unit, batch)

    def _shuffle(self, unit: str, records: list) -> list:
        """The records of one time unit in an order drawn from the study's key and the
        unit: nothing of their time or id order is left, and every export of the study
        gives the same order."""
        random.Random(f"{self._order_seed}:{unit}").shuffle(records)
        return records

    def _unit_formatter(self):
        """`raw timestamp -> its time unit`: the exported date, or the exact second."""
        if self.study.coarsen_to_day:
            return self._time_formatter()

        def second(raw) -> str:
            return raw[:19] if isinstance(raw, str) else raw.replace(microsecond=0).isoformat()

        return second

    @staticmethod
    def _moment(raw) -> datetime:
        """The database's timestamp (a datetime, or SQLite's UTC text) as an aware datetime."""
        if isinstance(raw, datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)

    def _time_formatter(self):
        """A fast `raw timestamp -> exported text`: cached per UTC hour for dates, the day's
        shift cached for exact times."""
        if not self.study.coarsen_to_day:
            shifts: dict = {}

            def exact(raw) -> str:
                moment = self._moment(raw)
                day = moment.date()
                shift = shifts.get(day)
                if shift is None:
                    shift = shifts[day] = timedelta(
                        seconds=self.pseudonym.day_shift(day.isoformat())
                    )
                moved = moment.astimezone(UTC) + shift
                return moved.isoformat(timespec="seconds").replace("+00:00", "Z")

            return exact
        hours: dict = {}

        def coarse(raw) -> str:
            key = raw[:13] if isinstance(raw, str) else (raw.year, raw.month, raw.day, raw.hour)
            value = hours.get(key)
            if value is None:
                value = hours[key] = self.when(self._moment(raw))
            return value

        return coarse

    def _context(self, verb: str, raw) -> tuple[str, dict]:
        """The exported context as JSON text, and as a dict: only exported keys, labels
        as their codes."""
        data = json.loads(raw) if isinstance(raw, str) else raw
        keys = context_keys()
        declared = usage.VERBS.get(verb)
        labelled = declared.label_keys() if declared else {}
        if isinstance(raw, str) and data.keys() <= keys and not (labelled.keys() & data.keys()):
            return raw, data
        kept = {k: v for k, v in data.items() if k in keys}
        for key, kind in labelled.items():
            if isinstance(kept.get(key), str):
                kept[key] = self.label(kind, kept[key])
        return json.dumps(kept, ensure_ascii=False, sort_keys=True), kept

    def event_rows(self) -> Iterator[tuple]:
        """(time, verb, actor_role, actor, pupil, group, lesson, object_type, context dict,
        lesson id, event id) for every exported event (for xAPI)."""
        p = self.pseudonym
        for _unit, chunk in self._event_records():
            for moment, verb, actor_id, pupil_id, group_id, lesson_id, kind, raw, pk in chunk:
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
                    self._context(verb, raw)[1],
                    lesson_id,
                    pk,
                )

    def _events(self) -> Iterator[dict]:
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
        coarse = self.study.coarsen_to_day
        for unit, chunk in self._event_records():
            if len(contexts) > 10_000:
                contexts.clear()
            for moment, verb, actor_id, pupil_id, group_id, lesson_id, kind, raw, pk in chunk:
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
                context = contexts.get((verb, raw)) if isinstance(raw, str) else None
                if context is None:
                    context = self._context(verb, raw)[0]
                    if isinstance(raw, str):
                        contexts[(verb, raw)] = context
                yield {
                    "row": n,
                    "event": p.event(pk),
                    "time": unit if coarse else when(moment),
                    "verb": verb,
                    "actor_role": actor[0],
                    "actor": actor[1],
                    "pupil": pupil,
                    "group": group,
                    "lesson": lesson,
                    "object_type": kind,
                    "context": context,
                    "intervention": label[0],
                    "phase": label[1],
                }

    def _entries(self) -> Iterator[dict]:
        entries = (
            LogbookEntry.objects.filter(
                lesson__group_id__in=self.group_ids,
                lesson__date__gte=self.study.start_date,
                lesson__date__lte=self.study.end_date,
                pupil_id__in=self.consenting,
            )
            .select_related("lesson", "place")
            .prefetch_related("goals", Prefetch("partners", queryset=Pupil.objects.only("pk")))
            .order_by("lesson__date", self.order())
        )
        p = self.pseudonym
        free = self.study.include_free_text
        for n, entry in enumerate(entries.iterator(chunk_size=CHUNK), start=1):
            partners = [q.pk for q in entry.partners.all()]
            shared = [p("pupil", pk) for pk in partners if pk in self.consenting_ids]
            decided = entry.decided_by
            title, phase = self.intervention(entry.lesson_id)
            row = {
                "row": n,
                "date": entry.lesson.date.isoformat(),
                "lesson": p("lesson", entry.lesson_id),
                "group": p("group", entry.lesson.group_id),
                "pupil": p("pupil", entry.pupil_id),
                "goals": "|".join(sorted(g.code for g in entry.goals.all())),
                "instruction": _bool(entry.instruction),
                "instruction_reason": entry.instruction_reason,
                "alone": _bool(entry.alone),
                "partners": "|".join(sorted(shared)),
                "place": self.label("place", entry.place.name) if entry.place else "",
                **{
                    f"{a}_decided_by": decided.get(a, "")
                    for a in ("goal", "instruction", "partner", "place")
                },
                "mood": entry.mood,
                "evaluated": _bool(entry.evaluated_at is not None),
                "intervention": title,
                "phase": phase,
            }
            if free:
                row["instruction_text"] = self.scrub(entry.instruction_text)
                row["evaluation_text"] = self.scrub(entry.evaluation_text)
            yield row

    def _assessments(self) -> Iterator[dict]:
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
            marks = (
                model.objects.filter(**scope)
                .order_by(self.unit("created_at"), self.order("pk"))
                .values_list(*fields)
            )
            levels = self._levels()
            for values in marks.iterator(chunk_size=CHUNK):
                moment, pupil_id, group_id, code, level = values[:5]
                n += 1
                assessor = p("staff", values[5]) if kind == "teacher" else p("pupil", pupil_id)
                row = {
                    "row": n,
                    "time": self.when(moment),
                    "kind": kind,
                    "pupil": p("pupil", pupil_id),
                    "assessor": assessor,
                    "group": p("group", group_id),
                    "goal": code,
                    "level": level,
                    "levels": levels.get((group_id, code), ""),
                }
                if self.study.include_free_text:
                    row["note"] = self.scrub(values[6]) if kind == "teacher" else ""
                yield row

    def _levels(self) -> dict:
        from goals.models import Goal

        return {
            (group_id, code): count
            for group_id, code, count in Goal.objects.filter(block__group_id__in=self.group_ids)
            .annotate(level_count=Count("levels"))
            .values_list("block__group_id", "code", "level_count")
        }

    def _quadrant(self) -> Iterator[dict]:
        from logbook.dashboard import _position

        lessons = Lesson.objects.filter(
            group_id__in=self.group_ids,
            date__gte=self.study.start_date,
            date__lte=self.study.end_date,
            started_at__isnull=False,
        ).order_by("date", self.order())
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
            title, phase = self.intervention(lesson.pk)
            yield {
                "row": n,
                "date": lesson.date.isoformat(),
                "lesson": p("lesson", lesson.pk),
                "group": p("group", lesson.group_id),
                "subject": lesson.subject,
                **{f"{aspect}_openness": lesson.openness(aspect) for aspect in ASPECTS},
                "differentiation": lesson.differentiation,
                "intended_regie": round(position.intended_regie, 4),
                "intended_belang": round(position.intended_belang, 4),
                "enacted_regie": "" if enacted.regie is None else round(enacted.regie, 4),
                "enacted_belang": "" if enacted.belang is None else round(enacted.belang, 4),
                "pupils_with_data": enacted.pupils_with_data,
                "pupils_without_data": enacted.pupils_without_data,
                "decisions_taken": enacted.decisions,
                "decisions_by_pupils": enacted.by_pupils,
                "decisions_pending": enacted.pending,
                "intervention": title,
                "phase": phase,
            }

    # --- formats -----------------------------------------------------------------

    def _count(self, n: int) -> None:
        self.rows_written += n

    def csv(self, dataset: str) -> Iterator[bytes]:
        """The dataset as UTF-8 CSV, a few rows per chunk."""
        self.rows_written = 0
        yield from writers.csv_chunks(self.columns(dataset), self.rows(dataset), self._count)

    def jsonl(self, dataset: str) -> Iterator[bytes]:
        json_columns = frozenset({"context"} if dataset == Dataset.EVENTS else ())
        return writers.jsonl_chunks(self.columns(dataset), self.rows(dataset), json_columns)

    def xapi(self) -> Iterator[bytes]:
        """The events as a JSON array of xAPI 1.0.3 statements."""
        return xapi.statements(self)

    def statement(self, n, *event) -> dict:
        return xapi.statement(self, n, *event)

    # --- the bundle --------------------------------------------------------------

    def codebook(self, fmt: str = "csv") -> Iterator[bytes]:
        return archive.codebook(self, fmt)

    def readme(self, fmt: str) -> str:
        return archive.readme(self, fmt)

    def files(self, fmt: str) -> Iterable[tuple[str, Iterator[bytes]]]:
        return archive.files(self, fmt)
