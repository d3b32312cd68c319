"""Pupils: records, picture codes, the login check, portraits."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .. import images, throttle
from ..models import (
    Group,
    Pupil,
    School,
)
from ..pictograms import AVATAR_COLOURS, CODE_GRID, PICTOGRAMS, distinct_avatar

User = get_user_model()


def new_picture_code(length: int) -> str:
    """A random sequence of distinct pictograms from the code grid."""
    grid = list(CODE_GRID)
    picked = []
    for _position in range(length):
        choice = secrets.choice(grid)
        grid.remove(choice)
        picked.append(choice)
    return ",".join(picked)


def _validate_avatar(avatar: str, colour: str) -> None:
    if avatar not in PICTOGRAMS:
        raise ValidationError(_("Unknown avatar picture: %(avatar)s") % {"avatar": avatar})
    if colour not in AVATAR_COLOURS:
        raise ValidationError(_("Unknown avatar colour: %(colour)s") % {"colour": colour})


@transaction.atomic
def create_pupil(
    *,
    group: Group,
    display_name: str,
    avatar: str | None = None,
    avatar_colour: str | None = None,
    picture_code: str | None = None,
    active: bool = True,
) -> Pupil:
    display_name = display_name.strip()
    if not display_name:
        raise ValidationError(_("A pupil needs a name."))
    if not (avatar and avatar_colour):
        avatar, avatar_colour = _unused_avatar(group, avatar, avatar_colour)
    _validate_avatar(avatar, avatar_colour)
    if picture_code is not None:
        _validate_picture_code(picture_code, group.picture_code_length)
    user = User(username=f"pupil-{uuid.uuid4().hex[:16]}", first_name=display_name)
    # Pupils never log in with a password.
    user.set_unusable_password()
    user.save()
    return Pupil.objects.create(
        user=user,
        group=group,
        display_name=display_name,
        avatar=avatar,
        avatar_colour=avatar_colour,
        picture_code=picture_code or new_picture_code(group.picture_code_length),
        login_token=secrets.token_urlsafe(12),
        active=active,
    )


def _unused_avatar(group: Group, avatar: str | None, colour: str | None) -> tuple[str, str]:
    """A picture and colour no other pupil of the group has (what is given is kept).

    The group's row is locked so that two pupils added at once do not get the same pair.
    """
    Group.objects.select_for_update().filter(pk=group.pk).first()
    taken = set(group.pupils.values_list("avatar", "avatar_colour"))
    if avatar:
        unused = [c for c in AVATAR_COLOURS if (avatar, c) not in taken]
        return avatar, (unused or list(AVATAR_COLOURS))[0]
    if colour:
        unused = [p for p in PICTOGRAMS if (p, colour) not in taken]
        return (unused or list(PICTOGRAMS))[0], colour
    return distinct_avatar(taken)


def reassign_duplicate_avatars(group: Group) -> list[Pupil]:
    """Give every pupil who shares a picture and colour with a classmate added before
    them a pair of their own; the first keeps theirs. Returns the pupils changed."""
    changed = []
    with transaction.atomic():
        pupils = list(group.pupils.select_for_update().order_by("pk"))
        seen: set[tuple[str, str]] = set()
        in_use = {(p.avatar, p.avatar_colour) for p in pupils}
        for pupil in pupils:
            pair = (pupil.avatar, pupil.avatar_colour)
            if pair in seen:
                pupil.avatar, pupil.avatar_colour = distinct_avatar(in_use)
                pupil.save(update_fields=["avatar", "avatar_colour"])
                pair = (pupil.avatar, pupil.avatar_colour)
                in_use.add(pair)
                changed.append(pupil)
            seen.add(pair)
    return changed


def _validate_picture_code(code: str, length: int) -> None:
    parts = code.split(",")
    if len(parts) != length or any(p not in CODE_GRID for p in parts):
        raise ValidationError(
            _("A picture code is %(length)s pictures from the login grid.") % {"length": length}
        )


@transaction.atomic
def update_pupil(pupil: Pupil, **fields) -> Pupil:
    allowed = {"display_name", "avatar", "avatar_colour", "active", "group"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    if "group" in fields and fields["group"].school_id != pupil.group.school_id:
        raise ValidationError(_("A pupil can only move to a group of the same school."))
    moved = "group" in fields and fields["group"].pk != pupil.group_id
    if "active" in fields and fields["active"] != pupil.active:
        # The retention setting counts from the day a pupil left (research/retention.py).
        pupil.left_on = None if fields["active"] else timezone.localdate()
    for key, value in fields.items():
        setattr(pupil, key, value.strip() if isinstance(value, str) else value)
    if moved and not {"avatar", "avatar_colour"} & set(fields):
        # In the new class, someone may already have this picture and colour.
        others = pupil.group.pupils.exclude(pk=pupil.pk)
        if others.filter(avatar=pupil.avatar, avatar_colour=pupil.avatar_colour).exists():
            pupil.avatar, pupil.avatar_colour = distinct_avatar(
                others.values_list("avatar", "avatar_colour")
            )
    if not pupil.display_name:
        raise ValidationError(_("A pupil needs a name."))
    _validate_avatar(pupil.avatar, pupil.avatar_colour)
    pupil.save()
    if pupil.user.first_name != pupil.display_name:
        pupil.user.first_name = pupil.display_name
        pupil.user.save(update_fields=["first_name"])
    return pupil


@transaction.atomic
def reset_picture_code(pupil: Pupil) -> Pupil:
    """A new picture code; also lifts a lock, since the teacher is there."""
    pupil.picture_code = new_picture_code(pupil.group.picture_code_length)
    pupil.failed_code_attempts = 0
    pupil.locked_until = None
    pupil.save(update_fields=["picture_code", "failed_code_attempts", "locked_until"])
    throttle.forget_code_locks(pupil.pk)
    return pupil


def unlock_pupil(pupil: Pupil) -> Pupil:
    """Lift the pupil's lock on every device (the teacher is there)."""
    pupil.failed_code_attempts = 0
    pupil.locked_until = None
    pupil.save(update_fields=["failed_code_attempts", "locked_until"])
    throttle.forget_code_locks(pupil.pk)
    return pupil


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    attempts_left: int = 0
    locked_until: datetime | None = None
    # The device is slowed (classroom/throttle.py): the code was not looked at.
    wait_seconds: int = 0

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def picture_code_locked_until(
    pupil: Pupil, device: throttle.Device | None = None, now: datetime | None = None
) -> datetime | None:
    """Until when the pupil is locked on this device, or None.

    Wrong codes lock a pupil per device (classroom/throttle.py), so a stranger's guesses
    do not lock the pupil on the class's own device. `Pupil.locked_until` keeps the
    latest lock on any device, which the teacher sees and lifts (`unlock_pupil`)."""
    now = now or timezone.now()
    if not pupil.is_locked(now):
        return None
    seconds = throttle.code_lock_seconds(pupil.pk, device or throttle.Device.unknown())
    return now + timedelta(seconds=seconds) if seconds else None


@transaction.atomic
def check_picture_code(
    pupil: Pupil, attempt: list[str], device: throttle.Device | None = None
) -> CodeCheck:
    """Compare a tapped sequence with the pupil's code and count failures, per device
    (`classroom.throttle.Device`; without one, all callers are one unknown device).

    The row is locked while counting, so simultaneous guesses cannot slip past the
    limit. A pupil locked on this device, or a slowed device, gets no answer about the
    code at all.
    """
    device = device or throttle.Device.unknown()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    now = timezone.now()
    if locked_until := picture_code_locked_until(pupil, device, now):
        return CodeCheck(ok=False, locked_until=locked_until)
    if wait := throttle.picture_code_wait(device):
        return CodeCheck(ok=False, wait_seconds=wait)
    if constant_time_compare(",".join(attempt), pupil.picture_code):
        throttle.count_right_code(pupil.pk, device)
        return CodeCheck(ok=True)
    wrong, lock_seconds = throttle.count_wrong_code(pupil.pk, device)
    if lock_seconds:
        locked_until = now + timedelta(seconds=lock_seconds)
        # The teacher sees the pupil locked (on some device) and can lift it.
        if not pupil.is_locked(now) or pupil.locked_until < locked_until:
            pupil.locked_until = locked_until
            pupil.save(update_fields=["locked_until"])
        return CodeCheck(ok=False, locked_until=locked_until)
    return CodeCheck(ok=False, attempts_left=max(1, settings.PUPIL_CODE_FAILURE_LIMIT - wrong))


def set_pupil_photo(pupil: Pupil, upload) -> Pupil:
    """Store a verified, EXIF-free, downsized copy of an uploaded portrait. The upload is
    decoded first, outside the transaction (the slow part); then the row is written."""
    content = images.clean_portrait(upload)
    old = pupil.photo.name if pupil.photo else None
    pupil.photo.save(f"{uuid.uuid4().hex}.jpg", content, save=False)
    with transaction.atomic():
        pupil.save(update_fields=["photo"])
        if old:
            storage = pupil.photo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return pupil


@transaction.atomic
def remove_pupil_photo(pupil: Pupil) -> Pupil:
    if pupil.photo:
        name, storage = pupil.photo.name, pupil.photo.storage
        pupil.photo = ""
        pupil.save(update_fields=["photo"])
        transaction.on_commit(lambda: storage.delete(name))
    return pupil


@transaction.atomic
def import_roster(*, school, data: bytes, name_format: str, acting_user):
    """Apply a roster file (classroom/roster.py): checked whole, planned against the
    pupils as they are now, and applied in this one transaction, or nothing at all.
    New pupils get a picture and colour of their own in their group and a picture code;
    a pupil who moves keeps theirs unless the new group has it. Audited with counts.
    Returns the plan that was applied (empty: the file changed nothing)."""
    from .. import audit, roster

    rows = roster.parse(school, data, name_format)
    school = School.objects.select_for_update().get(pk=school.pk)
    roster.ensure_secret(school)
    plan = roster.plan(school, rows)
    for change in plan.changes:
        if change.kinds == {"add"}:
            pupil = create_pupil(group=change.group, display_name=change.name)
            pupil.roster_key = roster.digest(school, change.row.key)
            pupil.save(update_fields=["roster_key"])
            continue
        pupil = change.pupil
        if "leave" in change.kinds:
            update_pupil(pupil, active=False)
            continue
        fields = {}
        if "move" in change.kinds:
            fields["group"] = change.group
        if "rename" in change.kinds:
            fields["display_name"] = change.name
        if "back" in change.kinds:
            fields["active"] = True
        if fields:
            update_pupil(pupil, **fields)
        key = roster.digest(school, change.row.key)
        if pupil.roster_key != key:
            pupil.roster_key = key
            pupil.save(update_fields=["roster_key"])
    if not plan.empty:
        audit.record(
            "roster_imported", actor=acting_user, school=school, rows=plan.rows, **plan.counts
        )
    return plan
