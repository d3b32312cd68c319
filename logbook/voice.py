""" "Nieuw van de klas": the class's own words and photos, newest first, for its teachers.

A reflection is a pupil's evaluated logbook entry: how it went (mood), their own words,
the level they gave each goal with its descriptor (the self-assessment the evaluation
made) and the photos of that lesson. A photo outside a reflection (from the doelenboekje)
is an item of its own. Each item carries the teachers' reactions. A fixed number of
queries, whatever the size of the class (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from classroom.models import Group, Lesson, Pupil
from goals.models import Goal, RubricLevel, SelfAssessment

from .models import LogbookEntry, Photo, Reaction

DAYS = 14
LIMIT = 60
# An evaluation's marks are made in its transaction, just before its evaluated_at.
EVALUATION_WINDOW = timedelta(seconds=5)


@dataclass
class VoiceItem:
    kind: str  # "reflection" or "photo"
    pupil: Pupil
    when: datetime
    entry: LogbookEntry | None = None
    photo: Photo | None = None
    lesson: Lesson | None = None
    levels: list[tuple[Goal, RubricLevel | None, int]] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"entry-{self.entry.pk}" if self.entry is not None else f"photo-{self.photo.pk}"

    def thumbed_by(self, user) -> bool:
        return any(r.thumb and r.teacher_id == user.pk for r in self.reactions)


def class_voice(group: Group, *, days: int = DAYS, limit: int = LIMIT) -> list[VoiceItem]:
    since = timezone.now() - timedelta(days=days)
    levels = Prefetch(
        "goals",
        queryset=Goal.objects.prefetch_related(
            Prefetch("levels", queryset=RubricLevel.objects.order_by("position"))
        ).order_by("code"),
    )
    entries = list(
        LogbookEntry.objects.filter(pupil__group=group, pupil__active=True, evaluated_at__gte=since)
        .select_related("pupil", "lesson")
        .prefetch_related(levels)
        .order_by("-evaluated_at")[:limit]
    )
    photos = list(
        Photo.objects.filter(pupil__group=group, pupil__active=True, created_at__gte=since)
        .select_related("pupil", "goal", "lesson")
        .order_by("-created_at")[:limit]
    )
    by_lesson = {(e.pupil_id, e.lesson_id): e for e in entries}
    items: dict[str, VoiceItem] = {}
    for entry in entries:
        item = VoiceItem(
            "reflection", entry.pupil, entry.evaluated_at, entry=entry, lesson=entry.lesson
        )
        items[item.key] = item
    # Where each photo stands: in its lesson's reflection, or as an item of its own. A
    # reaction given to a photo before the pupil reflected stays with it there.
    photo_item: dict[int, str] = {}
    for photo in photos:
        entry = by_lesson.get((photo.pupil_id, photo.lesson_id))
        if entry is not None:
            items[f"entry-{entry.pk}"].photos.append(photo)
            photo_item[photo.pk] = f"entry-{entry.pk}"
            continue
        item = VoiceItem("photo", photo.pupil, photo.created_at, photo=photo, lesson=photo.lesson)
        item.photos.append(photo)
        items[item.key] = item
        photo_item[photo.pk] = item.key
    # The level each goal got in the evaluation: the pupil's last mark up to it.
    if entries:
        marks = SelfAssessment.objects.filter(
            pupil_id__in={e.pupil_id for e in entries},
            goal_id__in={g.pk for e in entries for g in e.goals.all()},
            created_at__gte=since - timedelta(days=1),
        ).order_by("created_at", "pk")
        history: dict[tuple[int, int], list[SelfAssessment]] = {}
        for mark in marks:
            history.setdefault((mark.pupil_id, mark.goal_id), []).append(mark)
        for entry in entries:
            item = items[f"entry-{entry.pk}"]
            for goal in entry.goals.all():
                # Only the marks the evaluation itself made (no level given for a goal:
                # an earlier booklet mark is not this lesson's).
                given = [
                    m
                    for m in history.get((entry.pupil_id, goal.pk), [])
                    if entry.evaluated_at - EVALUATION_WINDOW <= m.created_at <= entry.evaluated_at
                ]
                if given:
                    level = given[-1].level
                    found = next((lv for lv in goal.levels.all() if lv.position == level), None)
                    item.levels.append((goal, found, level))
    wanted = Q(entry__in=[e.pk for e in entries]) | Q(photo__in=list(photo_item))
    if items:
        for reaction in Reaction.objects.filter(wanted).select_related("teacher"):
            key = (
                f"entry-{reaction.entry_id}"
                if reaction.entry_id
                else photo_item.get(reaction.photo_id)
            )
            if key in items:
                items[key].reactions.append(reaction)
    return sorted(items.values(), key=lambda i: i.when, reverse=True)[:limit]


def reactions_for_lesson(pupil: Pupil, lesson: Lesson) -> list[Reaction]:
    """What the teachers answered to this pupil's reflection and photos of the lesson."""
    return list(
        Reaction.objects.filter(pupil=pupil)
        .filter(Q(entry__lesson=lesson) | Q(photo__lesson=lesson))
        .select_related("teacher")
    )
