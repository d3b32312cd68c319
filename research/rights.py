"""A pupil's data rights: everything stored about them as one zip. Erasure is an action
(research.actions.erase_pupil).

Only a school admin calls these (the `manage_data` operation on Pupil, research.permissions).
"""

from __future__ import annotations

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from classroom.models import Pupil, UsageEvent
from goals.models import GoalStar, SelfAssessment, TeacherAssessment
from logbook.models import ConversationNote, LogbookEntry, Photo, Reaction
from planboard.models import Plan, PlanPhoto

from .models import Consent


def _dump(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def pupil_data(pupil: Pupil) -> bytes:
    """A zip: `pupil.json` and one JSON file per kind of record, and every photo."""
    entries = LogbookEntry.objects.filter(pupil=pupil).select_related("lesson", "place")
    photos = list(Photo.objects.filter(pupil=pupil).select_related("goal"))
    plan_photos = list(
        PlanPhoto.objects.filter(pupil=pupil).select_related("board", "activity").order_by("pk")
    )
    files = {
        "pupil.json": {
            "name": pupil.display_name,
            "group": pupil.group.name,
            "school": pupil.group.school.name,
            "avatar": pupil.avatar,
            "active": pupil.active,
            "picture_code": pupil.picture_code,
            "exported_at": timezone.now(),
        },
        "logbook_entries.json": [
            {
                "lesson": e.lesson.title,
                "date": e.lesson.date,
                "goals": [g.code for g in e.goals.all()],
                "instruction": e.instruction,
                "instruction_reason": e.instruction_reason,
                "instruction_text": e.instruction_text,
                "instruction_asked": e.instruction_asked,
                "alone": e.alone,
                "partners": [p.display_name for p in e.partners.all()],
                "place": e.place.name if e.place else None,
                "decided_by": e.decided_by,
                "mood": e.mood,
                "evaluation_text": e.evaluation_text,
                "evaluated_at": e.evaluated_at,
            }
            for e in entries.prefetch_related("goals", "partners")
        ],
        "self_assessments.json": list(
            SelfAssessment.objects.filter(pupil=pupil).values("goal__code", "level", "created_at")
        ),
        "teacher_assessments.json": list(
            TeacherAssessment.objects.filter(pupil=pupil).values(
                "goal__code", "level", "note", "created_at"
            )
        ),
        "goal_stars.json": list(
            GoalStar.objects.filter(pupil=pupil).values("goal__code", "created_at")
        ),
        "conversation_notes.json": list(
            ConversationNote.objects.filter(pupil=pupil).values("text", "created_at")
        ),
        "planbord.json": list(
            Plan.objects.filter(pupil=pupil).values(
                "board__date", "slot__activity__name", "position", "done", "decided_by"
            )
        ),
        "reactions.json": [
            {
                "on": "reflection" if r.entry_id else "photo",
                "lesson": (r.entry.lesson.title if r.entry_id else None),
                "photo": f"photos/{r.photo_id}.jpg" if r.photo_id else None,
                "thumb": r.thumb,
                "comment": r.comment,
                "by": r.teacher.get_full_name() or r.teacher.get_username() if r.teacher else None,
                "created_at": r.created_at,
            }
            for r in Reaction.objects.filter(pupil=pupil).select_related("entry__lesson", "teacher")
        ],
        "consents.json": list(
            Consent.objects.filter(pupil=pupil).values("study__title", "status", "set_at")
        ),
        "usage_events.json": list(
            UsageEvent.objects.filter(pupil=pupil).values("time", "verb", "object_type", "context")
        ),
        "photos.json": [
            {
                "file": f"photos/{photo.pk}.jpg",
                "goal": photo.goal.code if photo.goal else None,
                "prompt": photo.prompt,
                "created_at": photo.created_at,
            }
            for photo in photos
        ],
        "planbord_photos.json": [
            {
                "file": f"planbord_photos/{photo.pk}.jpg",
                "date": photo.board.date,
                "activity": photo.activity.name,
                "created_at": photo.created_at,
            }
            for photo in plan_photos
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, _dump(data))
        for photo in photos:
            with photo.image.open("rb") as handle:
                archive.writestr(f"photos/{photo.pk}.jpg", handle.read())
        for photo in plan_photos:
            with photo.image.open("rb") as handle:
                archive.writestr(f"planbord_photos/{photo.pk}.jpg", handle.read())
        if pupil.photo:
            with pupil.photo.open("rb") as handle:
                archive.writestr("portrait.jpg", handle.read())
    return out.getvalue()
