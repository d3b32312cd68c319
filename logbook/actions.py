"""Every change in the logbook app; each records a usage event in its transaction."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classroom import images, usage
from classroom.idempotency import atomic as write_atomic
from classroom.inputs import check_text
from classroom.models import Lesson, Pupil
from classroom.realtime.groups import pupil_group
from classroom.realtime.publish import send_on_commit
from goals.models import Goal

from .entries import own_entry_event, voice_changed
from .models import ConversationNote, LogbookEntry, Photo, Prompt, Reaction


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
    Sends: usage event `photo_added` (never the photo itself); `voice.changed`."""
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
            voice_changed(pupil.group_id)
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


@write_atomic
def add_conversation_note(*, acting_user, pupil: Pupil, text: str, goals=()) -> ConversationNote:
    """Sends: usage event `conversation_noted` (without the text)."""
    text = check_text(text).strip()
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


@write_atomic
def react(
    *,
    acting_user,
    entry: LogbookEntry | None = None,
    photo: Photo | None = None,
    thumb: bool = False,
    comment: str = "",
) -> Reaction:
    """The teacher answers a pupil's reflection (their evaluated logbook entry) or photo
    with a thumb or a short comment, which the pupil sees on their own page. One thumb
    per teacher and thing. Sends: usage event `reacted` (never the words);
    `voice.changed`; the pupil's `entry.changed` when it is about a lesson."""
    if (entry is None) == (photo is None):
        raise ValidationError(_("Answer one reflection or photo."))
    # One line of printable text: no control characters (PostgreSQL refuses NUL).
    comment = " ".join(
        "".join(c for c in str(comment or "") if c.isprintable() or c.isspace()).split()
    )
    if not thumb and not comment:
        raise ValidationError(_("Give a thumb or write a short comment."))
    if len(comment) > Reaction.COMMENT_LENGTH:
        raise ValidationError(
            _("A comment is at most %(count)s characters.") % {"count": Reaction.COMMENT_LENGTH}
        )
    target = entry or photo
    pupil = target.pupil
    if entry is not None and entry.evaluated_at is None:
        raise ValidationError(_("This pupil has not reflected on the lesson yet."))
    if (
        thumb
        and Reaction.objects.filter(
            teacher=acting_user, entry=entry, photo=photo, thumb=True
        ).exists()
    ):
        raise ValidationError(_("You gave a thumb already."))
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(
                pupil=pupil,
                teacher=acting_user,
                entry=entry,
                photo=photo,
                thumb=thumb,
                comment=comment,
            )
    except IntegrityError:  # the same thumb twice at once: the first one counts
        raise ValidationError(_("You gave a thumb already.")) from None
    voice_changed(pupil.group_id)
    lesson_id = entry.lesson_id if entry is not None else photo.lesson_id
    if lesson_id is not None:
        # The pupil's logbook of that lesson shows it without a reload.
        own = (
            LogbookEntry.objects.filter(pupil=pupil, lesson_id=lesson_id)
            .values_list("pk", flat=True)
            .first()
        )
        if own is not None:
            send_on_commit(pupil_group(pupil.pk), lambda: own_entry_event(own))
    usage.record(
        "reacted",
        actor=acting_user,
        obj=reaction,
        pupil=pupil,
        group=pupil.group,
        lesson=entry.lesson if entry is not None else photo.lesson,
        context={
            "on": "reflection" if entry is not None else "photo",
            "thumb": thumb,
            "has_comment": bool(comment),
        },
    )
    return reaction
