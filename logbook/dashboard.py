"""The teacher's live lesson dashboard: the snapshot a screen loads, and the events that
keep it current (docs/realtime.md).

A snapshot is read lesson first, rows after: under READ COMMITTED (PostgreSQL) and with
SQLite's single writer every row is then at least as new as the snapshot's `seq`, so a
screen that applies the events after `seq` can only move forward. Events are built after
commit and carry codes, not translated labels: one event serves screens in any language,
and the snapshot hands each screen its labels.

Everything here costs a fixed number of queries, however many pupils the class has.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from classroom.models import ASPECTS, Lesson, Pupil
from classroom.quadrant import (
    QUADRANTS,
    Enacted,
    PupilRecord,
    enacted,
    intended_belang,
    intended_regie,
    openness_of,
    pct,
    pupil_positions,
    quadrant_name,
)
from classroom.realtime import handover
from classroom.realtime.groups import lesson_group
from classroom.realtime.publish import encoded
from goals.booklet import current_block
from goals.models import Goal

from .models import HelpReason, InstructionReason, LogbookEntry, Mood

EVENT = "lesson.changed"
SUMMARY = "lesson.summary"


def quadrant_record(entry: LogbookEntry) -> PupilRecord:
    """What the quadrant needs from an entry: who decided what, and what the pupil works on."""
    return PupilRecord(
        decisions=dict(entry.decided_by),
        goals=frozenset(g.pk for g in entry.goals.all()),
        instruction=entry.instruction,
    )


@dataclass
class LessonPosition:
    intended_regie: float
    intended_belang: float
    enacted: Enacted
    quadrant_intended: str
    quadrant_enacted: str | None
    pupils: dict  # pupil id -> (regie, belang) for pupils with an entry


def _position(lesson: Lesson, pupil_ids, entries) -> LessonPosition:
    """Active pupils without an entry count as "no data" (personalisation-quadrant.md)."""
    return _position_of(lesson, pupil_ids, {e.pupil_id: quadrant_record(e) for e in entries})


def _light_records(lesson_id: int) -> dict[int, PupilRecord]:
    """The quadrant's input for one lesson in one light query (no model instances, a row
    per entry and goal): the dashboard's events are built after every change."""
    decided: dict[int, tuple] = {}
    goals: dict[int, set] = {}
    for pupil_id, decisions, instruction, goal_id in LogbookEntry.objects.filter(
        lesson_id=lesson_id
    ).values_list("pupil_id", "decided_by", "instruction", "goals"):
        decided[pupil_id] = (decisions, instruction)
        if goal_id is not None:
            goals.setdefault(pupil_id, set()).add(goal_id)
    return {
        pupil_id: PupilRecord(
            decisions=dict(decisions),
            goals=frozenset(goals.get(pupil_id, ())),
            instruction=instruction,
        )
        for pupil_id, (decisions, instruction) in decided.items()
    }


def _position_of(lesson: Lesson, pupil_ids, by_pupil: dict) -> LessonPosition:
    openness = openness_of(lesson)
    records = {pk: by_pupil.get(pk) for pk in pupil_ids}
    result = enacted(openness, records)
    with_data = [r for r in records.values() if r is not None]
    regie, belang = intended_regie(lesson), intended_belang(lesson)
    return LessonPosition(
        intended_regie=regie,
        intended_belang=belang,
        enacted=result,
        quadrant_intended=quadrant_name(regie, belang),
        quadrant_enacted=(
            quadrant_name(result.regie, result.belang) if result.belang is not None else None
        ),
        pupils=pupil_positions(
            openness, {pk: r for pk, r in records.items() if r is not None}, with_data
        ),
    )


def _entries(lesson_ids, pupil_filter: Q | None = None):
    queryset = LogbookEntry.objects.filter(lesson_id__in=lesson_ids)
    if pupil_filter is not None:
        queryset = queryset.filter(pupil_filter)
    return queryset.select_related("place").prefetch_related(
        "goals", Prefetch("partners", queryset=Pupil.objects.only("pk", "display_name"))
    )


def _active_pupils(group_id: int):
    return Pupil.objects.filter(group_id=group_id, active=True).order_by("display_name")


def lesson_position(lesson: Lesson) -> LessonPosition:
    """Where the lesson was meant to sit, and where the pupils' entries say it sat."""
    pupil_ids = list(_active_pupils(lesson.group_id).values_list("pk", flat=True))
    return _position(lesson, pupil_ids, _entries([lesson.pk]))


def positions(lessons) -> list[tuple[Lesson, LessonPosition]]:
    """Each lesson with its positions, in the order given: three queries in all."""
    lessons = list(lessons)
    pupil_ids: dict[int, list[int]] = {}
    for pk, group_id in Pupil.objects.filter(
        group_id__in={lesson.group_id for lesson in lessons}, active=True
    ).values_list("pk", "group_id"):
        pupil_ids.setdefault(group_id, []).append(pk)
    by_lesson: dict[int, list] = {lesson.pk: [] for lesson in lessons}
    for entry in _entries(list(by_lesson)):
        by_lesson[entry.lesson_id].append(entry)
    return [
        (lesson, _position(lesson, pupil_ids.get(lesson.group_id, []), by_lesson[lesson.pk]))
        for lesson in lessons
    ]


def trajectory(group, weeks: int = 8) -> list[tuple[Lesson, LessonPosition]]:
    """The group's lessons of the past weeks that were started, oldest first."""
    since = timezone.localdate() - timedelta(weeks=weeks)
    return positions(
        Lesson.objects.filter(group=group, date__gte=since, started_at__isnull=False).order_by(
            "date", "started_at"
        )
    )


# --- What screens receive ----------------------------------------------------------


def _quadrant_key(regie: float | None, belang: float | None) -> str | None:
    if regie is None or belang is None:
        return None
    return f"{int(regie >= 0.5)}{int(belang >= 0.5)}"


def _share(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def summary(lesson: Lesson, position: LessonPosition) -> dict:
    result = position.enacted
    return {
        "running": lesson.is_running,
        "started": lesson.started_at is not None,
        "started_at": lesson.started_at.isoformat() if lesson.started_at else None,
        "openness": openness_of(lesson),
        "differentiation": lesson.differentiation,
        "quadrant": {
            "intended": {
                "regie": _share(position.intended_regie),
                "belang": _share(position.intended_belang),
                "quadrant": _quadrant_key(position.intended_regie, position.intended_belang),
                "regie_pct": pct(position.intended_regie),
                "belang_pct": pct(position.intended_belang),
            },
            "enacted": {
                "regie": _share(result.regie),
                "belang": _share(result.belang),
                "quadrant": _quadrant_key(result.regie, result.belang),
                "regie_pct": None if result.regie is None else pct(result.regie),
                "belang_pct": None if result.belang is None else pct(result.belang),
                "pupils_with_data": result.pupils_with_data,
                "pupils_without_data": result.pupils_without_data,
                "decisions": result.decisions,
                "by_pupils": result.by_pupils,
                "pending": result.pending,
            },
            "pupils": [
                {
                    "pupil": pk,
                    "regie": _share(regie),
                    "belang": _share(belang),
                    "regie_pct": pct(regie),
                    "belang_pct": pct(belang),
                }
                for pk, (regie, belang) in sorted(position.pupils.items())
                if regie is not None
            ],
        },
    }


def _state(entry: LogbookEntry | None) -> str:
    if entry is None:
        return "none"
    if entry.evaluated_at is not None:
        return "evaluated"
    return "working" if entry.decided_by else "none"


def row(pupil: Pupil, entry: LogbookEntry | None) -> dict:
    """One pupil's line on the dashboard. Ids, codes and names; no free text."""
    data = {
        "pupil": pupil.pk,
        "name": pupil.display_name,
        "avatar": pupil.avatar,
        "colour": pupil.avatar_hex,
        "photo": reverse("frontend:pupil-photo", args=[pupil.pk]) if pupil.photo else None,
        "state": _state(entry),
        "entry": None,
        "help": None,
        # Locked out after wrong picture codes: "op slot", not "nog niets ingevuld".
        "locked": pupil.is_locked(),
    }
    if entry is not None and entry.help_reason:
        data["help"] = {
            "reason": entry.help_reason,
            "asked_at": entry.help_asked_at.isoformat(),
            "coming": entry.help_coming_at is not None,
        }
    if entry is not None:
        decided = entry.decided_by
        data["entry"] = {
            "goals": [{"id": g.pk, "code": g.code} for g in entry.goals.all()],
            "instruction": entry.instruction,
            "instruction_reason": entry.instruction_reason or None,
            "instruction_asked": entry.instruction_asked,
            "alone": entry.alone,
            "partners": [{"id": p.pk, "name": p.display_name} for p in entry.partners.all()],
            "place": entry.place_id,
            "mood": entry.mood or None,
            "decided_by": {aspect: decided.get(aspect) for aspect in ASPECTS},
        }
    return data


def _goals(lesson: Lesson):
    """The goals a teacher may set for a pupil: the current block's and the options."""
    block = current_block(lesson.group)
    chosen = Q(pk__in=lesson.goal_options.values("pk"))
    return Goal.objects.filter(
        (Q(block=block) | chosen) if block is not None else chosen, block__group=lesson.group
    ).order_by("position", "code")


def snapshot(lesson: Lesson) -> dict:
    """Everything a dashboard shows, at sequence number `seq`."""
    lesson = Lesson.objects.select_related("group").get(pk=lesson.pk)  # seq first
    pupils = list(_active_pupils(lesson.group_id))
    entries = list(_entries([lesson.pk]))
    by_pupil = {e.pupil_id: e for e in entries}
    position = _position(lesson, [p.pk for p in pupils], entries)
    return {
        "lesson": lesson.pk,
        "seq": lesson.seq,
        "summary": summary(lesson, position),
        "pupils": [row(p, by_pupil.get(p.pk)) for p in pupils],
        "places": [
            {"id": p.pk, "name": p.name, "icon": p.icon, "capacity": p.capacity}
            for p in lesson.group.places.all()
        ],
        "goals": [{"id": g.pk, "code": g.code, "statement": g.statement} for g in _goals(lesson)],
        "labels": {
            "reasons": dict(InstructionReason.choices),
            "moods": dict(Mood.choices),
            "help": dict(HelpReason.choices),
            "quadrants": {
                f"{int(regie)}{int(belang)}": str(name)
                for (regie, belang), name in QUADRANTS.items()
            },
        },
    }


def hold(entry: LogbookEntry) -> LogbookEntry:
    """Load what an entry's row shows (its goals; its partners' names) onto the entry an
    action just wrote: the action's answer and its `lesson.changed` event then both use
    it, and neither reads the entry again."""
    prefetch_related_objects(
        [entry], "goals", Prefetch("partners", queryset=Pupil.objects.only("pk", "display_name"))
    )
    return entry


class Summaries:
    """When this process computes a lesson's summary for a pupil's change: at once when
    its last one is at least `LESSON_SUMMARY_SECONDS` old; otherwise that change's event
    goes without one and a single `lesson.summary` follows, that long after the last,
    covering every change up to then (decision 0023). A burst of thirty taps then costs a
    few summaries, not thirty, and a quiet class still sees each change's at once. Without
    a server loop (tests, commands) every change has its own, as before."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last: dict[int, float] = {}
        self.pending: set[int] = set()

    def due(self, lesson_id: int) -> bool:
        every = settings.LESSON_SUMMARY_SECONDS
        now = time.monotonic()
        with self.lock:
            last = self.last.get(lesson_id, -math.inf)
            if now - last >= every:
                self.last[lesson_id] = now
                return True
            if lesson_id in self.pending:
                return False  # the one already planned will cover this change
            self.pending.add(lesson_id)
        if handover.later(last + every - now, lambda: self.trailing(lesson_id)):
            return False
        with self.lock:
            self.pending.discard(lesson_id)
            self.last[lesson_id] = now
        return True

    def trailing(self, lesson_id: int) -> tuple[str, dict] | None:
        """The planned summary, on the server's sync thread. Marked as taken before it
        reads, so a change committed while it reads plans the next one."""
        with self.lock:
            self.pending.discard(lesson_id)
            self.last[lesson_id] = time.monotonic()
        message = summary_message(lesson_id)
        return None if message is None else (lesson_group(lesson_id), encoded(message))


summaries = Summaries()


def _class_summary(lesson: Lesson) -> dict:
    """The lesson's summary from the class's committed entries, in two light queries."""
    pupil_ids = list(_active_pupils(lesson.group_id).values_list("pk", flat=True))
    return summary(lesson, _position_of(lesson, pupil_ids, _light_records(lesson.pk)))


def summary_message(lesson_id: int) -> dict | None:
    """`lesson.summary`: the summary now, covering every change up to `covers` (the
    lesson is read first, so its entries are at least as new as that number)."""
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return None
    summary_now = _class_summary(lesson)
    return {"type": SUMMARY, "lesson": lesson_id, "covers": lesson.seq, "summary": summary_now}


def event(
    lesson_id: int,
    seq: int,
    pupil_id: int | None,
    *,
    lesson: Lesson | None = None,
    entry: LogbookEntry | None = None,
) -> dict:
    """The `lesson.changed` event for change number `seq`: the pupil's row (if a pupil's
    entry changed) and the lesson's summary, built after commit. What the write held
    (`lesson`; the `entry` with its goals and partners loaded, see `hold`) is used as it
    is. The summary is read again from the class's entries (two queries), for a change
    to the lesson itself always, for a pupil's change when it is due (`Summaries`):
    otherwise it is null and a `lesson.summary` follows."""
    if lesson is None:
        lesson = Lesson.objects.get(pk=lesson_id)
    message = {
        "type": EVENT,
        "lesson": lesson_id,
        "seq": seq,
        "pupil": pupil_id,
        "row": None,
        "summary": None,
    }
    if pupil_id is None or summaries.due(lesson_id):
        message["summary"] = _class_summary(lesson)
    if pupil_id is not None:
        if entry is None:
            entry = _entries([lesson_id], Q(pupil_id=pupil_id)).select_related("pupil").first()
        pupil = entry.pupil if entry is not None else Pupil.objects.get(pk=pupil_id)
        message["row"] = row(pupil, entry)
    return message


# --- The class screen --------------------------------------------------------------


def class_view(lesson: Lesson) -> dict:
    """What the digibord shows the class: numbers per place and per goal, how many are in
    the instruction group, how far the class is and the lesson's position (from the same
    entries); never a name (the pictures of the instruction group only when the teacher
    asks, without names)."""
    pupils = list(_active_pupils(lesson.group_id))
    entries = list(_entries([lesson.pk]))
    by_pupil = {e.pupil_id: e for e in entries}
    places = list(lesson.group.places.all())
    at_place = {place.pk: 0 for place in places}
    goals: dict[int, list] = {}
    instruction = []
    states = {"none": 0, "working": 0, "evaluated": 0}
    for pupil in pupils:
        entry = by_pupil.get(pupil.pk)
        states[_state(entry)] += 1
        if entry is None:
            continue
        if entry.place_id in at_place:
            at_place[entry.place_id] += 1
        for goal in entry.goals.all():
            goals.setdefault(goal.pk, [goal, 0])[1] += 1
        if entry.instruction:
            instruction.append(pupil)
    return {
        "places": [{"place": place, "count": at_place[place.pk]} for place in places],
        "goals": sorted(
            ({"goal": goal, "count": n} for goal, n in goals.values()),
            key=lambda g: (g["goal"].position, g["goal"].code),
        ),
        "instruction": instruction,
        "states": states,
        "total": len(pupils),
        "position": _position(lesson, [p.pk for p in pupils], entries),
    }
