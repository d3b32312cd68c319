"""Every change in the logbook app; each records a usage event in its transaction."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from classroom import images, usage
from classroom.models import Lesson, Pupil
from goals.models import Goal

from .models import ConversationNote, Photo, Prompt


def check_photo_target(
    *, pupil: Pupil, goal: Goal | None = None, lesson: Lesson | None = None, prompt: str = ""
) -> None:
    """Refuse (ValidationError) a photo for another group's goal or lesson, or an
    unknown prompt: cheap checks, made before the photo is decoded."""
    if goal is not None and goal.block.group_id != pupil.group_id:
        raise ValidationError(_("This goal is not in this pupil's booklet."))
    if lesson is not None and lesson.group_id != pupil.group_id:
        raise ValidationError(_("This lesson is not in this pupil's group."))
    if prompt and prompt not in Prompt.values:
        raise ValidationError(_("Unknown prompt."))


def add_photo(
    *,
    pupil: Pupil,
    upload,
    goal: Goal | None = None,
    lesson: Lesson | None = None,
    prompt: str = "",
) -> Photo:
    """Store a pupil's photo. `upload` is an uploaded file, or better the
    `images.CleanPhoto` that `images.clean_photo` made of it beforehand, outside any
    transaction (it is the slow part: the API does so, before its idempotent
    transaction). A refused upload raises ValidationError and stores nothing.
    Sends: usage event `photo_added` (never the photo itself)."""
    check_photo_target(pupil=pupil, goal=goal, lesson=lesson, prompt=prompt)
    clean = upload if isinstance(upload, images.CleanPhoto) else images.clean_photo(upload)
    full, thumb, (width, height) = clean.photo, clean.thumbnail, clean.size
    name = uuid.uuid4().hex
    photo = Photo(pupil=pupil, goal=goal, lesson=lesson, prompt=prompt, width=width, height=height)
    # The files first (disk, not database), then the short transaction for the row.
    photo.image.save(f"{name}.jpg", full, save=False)
    photo.thumbnail.save(f"{name}.jpg", thumb, save=False)
    try:
        with transaction.atomic():
            photo.save()
            usage.record(
                "photo_added",
                actor=pupil.user,
                obj=photo,
                pupil=pupil,
                group=pupil.group,
                lesson=lesson,
                context={"goal": goal.code if goal else None, "prompt": prompt or None},
            )
    except Exception:
        # Nothing in the database refers to the files: remove them again.
        photo.image.storage.delete(photo.image.name)
        photo.thumbnail.storage.delete(photo.thumbnail.name)
        raise
    return photo


@transaction.atomic
def add_conversation_note(*, acting_user, pupil: Pupil, text: str, goals=()) -> ConversationNote:
    """Sends: usage event `conversation_noted` (without the text)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("A note needs some text."))
    goals = list(goals)
    if any(goal.block.group_id != pupil.group_id for goal in goals):
        raise ValidationError(_("This goal is not in this pupil's booklet."))
    note = ConversationNote.objects.create(pupil=pupil, teacher=acting_user, text=text)
    note.goals.set(goals)
    usage.record(
        "conversation_noted",
        actor=acting_user,
        obj=note,
        pupil=pupil,
        group=pupil.group,
        context={"goals": [g.code for g in goals]},
    )
    return note
