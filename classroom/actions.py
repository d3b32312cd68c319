"""Every change of classroom state goes through these functions.

Views, serializers, the admin, management commands and consumers call them; none of
them saves a domain model itself. Each function validates first (raising
`django.core.exceptions.ValidationError` with a translated message and changing
nothing) and then writes in one transaction.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from research import events

from . import images
from .models import (
    ASPECTS,
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    Differentiation,
    Group,
    Lesson,
    Membership,
    Openness,
    Place,
    Pupil,
    Role,
    School,
    Subject,
)
from .pictograms import AVATAR_COLOURS, CODE_GRID, PICTOGRAMS, PLACE_ICONS
from .realtime.groups import class_group
from .realtime.publish import lesson_changed, send_on_commit

User = get_user_model()


# --- Schools and staff --------------------------------------------------------------


def create_school(*, name: str, city: str = "") -> School:
    name = name.strip()
    if not name:
        raise ValidationError(_("A school needs a name."))
    return School.objects.create(name=name, city=city.strip())


def update_school(school: School, *, name: str | None = None, city: str | None = None) -> School:
    if name is not None:
        if not name.strip():
            raise ValidationError(_("A school needs a name."))
        school.name = name.strip()
    if city is not None:
        school.city = city.strip()
    school.save()
    return school


@transaction.atomic
def create_staff_user(
    *,
    school: School,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.TEACHER,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(username)s is taken.") % {"username": username})
    # is_staff opens the management pages, which show only what the teacher may manage.
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )
    set_membership(school=school, user=user, role=role)
    return user


def set_membership(*, school: School, user, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    if hasattr(user, "pupil"):
        raise ValidationError(_("A pupil account cannot be staff."))
    membership, _created = Membership.objects.update_or_create(
        user=user, school=school, defaults={"role": role}
    )
    return membership


@transaction.atomic
def remove_membership(membership: Membership) -> None:
    # Leaving a school also ends teaching its groups.
    membership.user.taught_groups.remove(*membership.school.groups.all())
    membership.delete()


# --- Groups -------------------------------------------------------------------------


def _new_class_code() -> str:
    return "".join(secrets.choice(CLASS_CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))


def _validate_years(year_from: int, year_to: int) -> None:
    if not (1 <= year_from <= year_to <= 8):
        raise ValidationError(_("Years run from groep 1 to groep 8, the first not after the last."))


@transaction.atomic
def create_group(
    *,
    school: School,
    name: str,
    year_from: int,
    year_to: int | None = None,
    picture_code_length: int | None = None,
    teachers=(),
    class_code: str | None = None,
) -> Group:
    year_to = year_from if year_to is None else year_to
    _validate_years(year_from, year_to)
    if not name.strip():
        raise ValidationError(_("A group needs a name."))
    if picture_code_length is None:
        # Toddlers manage two pictures; from groep 3 on, three.
        picture_code_length = 2 if year_to <= 2 else 3
    _validate_code_length(picture_code_length)
    group = Group.objects.create(
        school=school,
        name=name.strip(),
        year_from=year_from,
        year_to=year_to,
        picture_code_length=picture_code_length,
        class_code=class_code or _unused_class_code(),
    )
    for teacher in teachers:
        assign_teacher(group=group, user=teacher)
    return group


def _validate_code_length(length: int) -> None:
    if length not in (2, 3):
        raise ValidationError(_("A picture code has 2 or 3 pictures."))


def _unused_class_code() -> str:
    while True:
        code = _new_class_code()
        if not Group.objects.filter(class_code=code).exists():
            return code


@transaction.atomic
def update_group(group: Group, **fields) -> Group:
    allowed = {"name", "year_from", "year_to", "picture_code_length"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    for key, value in fields.items():
        setattr(group, key, value.strip() if isinstance(value, str) else value)
    if not group.name:
        raise ValidationError(_("A group needs a name."))
    _validate_years(group.year_from, group.year_to)
    _validate_code_length(group.picture_code_length)
    group.save()
    return group


def regenerate_class_code(group: Group) -> Group:
    """A new class code (and so a new QR code); the old one stops working at once."""
    for _attempt in range(10):
        group.class_code = _new_class_code()
        try:
            with transaction.atomic():
                group.save(update_fields=["class_code"])
            return group
        except IntegrityError:
            continue
    raise RuntimeError("no free class code after 10 attempts")


def assign_teacher(*, group: Group, user) -> None:
    if not Membership.objects.filter(user=user, school=group.school_id).exists():
        raise ValidationError(_("Only staff of this school can teach this group."))
    group.teachers.add(user)


def unassign_teacher(*, group: Group, user) -> None:
    group.teachers.remove(user)


# --- Pupils -------------------------------------------------------------------------


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
    count = group.pupils.count()
    avatar = avatar or list(PICTOGRAMS)[count % len(PICTOGRAMS)]
    avatar_colour = avatar_colour or list(AVATAR_COLOURS)[count % len(AVATAR_COLOURS)]
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
    for key, value in fields.items():
        setattr(pupil, key, value.strip() if isinstance(value, str) else value)
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
    return pupil


def unlock_pupil(pupil: Pupil) -> Pupil:
    pupil.failed_code_attempts = 0
    pupil.locked_until = None
    pupil.save(update_fields=["failed_code_attempts", "locked_until"])
    return pupil


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    attempts_left: int = 0
    locked_until: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@transaction.atomic
def check_picture_code(pupil: Pupil, attempt: list[str]) -> CodeCheck:
    """Compare a tapped sequence with the pupil's code and count failures.

    The row is locked while counting, so simultaneous guesses cannot slip past the
    limit. A locked pupil gets no answer about the code at all.
    """
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    now = timezone.now()
    if pupil.is_locked(now):
        return CodeCheck(ok=False, locked_until=pupil.locked_until)
    if constant_time_compare(",".join(attempt), pupil.picture_code):
        if pupil.failed_code_attempts or pupil.locked_until:
            pupil.failed_code_attempts = 0
            pupil.locked_until = None
            pupil.save(update_fields=["failed_code_attempts", "locked_until"])
        return CodeCheck(ok=True)
    pupil.failed_code_attempts += 1
    limit = settings.PUPIL_CODE_FAILURE_LIMIT
    if pupil.failed_code_attempts >= limit:
        pupil.failed_code_attempts = 0
        pupil.locked_until = now + timedelta(minutes=settings.PUPIL_CODE_LOCK_MINUTES)
    pupil.save(update_fields=["failed_code_attempts", "locked_until"])
    return CodeCheck(
        ok=False,
        attempts_left=0 if pupil.locked_until else limit - pupil.failed_code_attempts,
        locked_until=pupil.locked_until,
    )


@transaction.atomic
def set_pupil_photo(pupil: Pupil, upload) -> Pupil:
    """Store a verified, EXIF-free, downsized copy of an uploaded portrait."""
    content = images.portrait_from_upload(upload)
    old = pupil.photo.name if pupil.photo else None
    pupil.photo.save(f"{uuid.uuid4().hex}.jpg", content, save=False)
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


# --- Places -------------------------------------------------------------------------


def _clean_place(name: str, icon: str, capacity: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("A place needs a name."))
    if icon not in PLACE_ICONS:
        raise ValidationError(_("Unknown icon: %(icon)s") % {"icon": icon})
    if capacity is not None and capacity < 1:
        raise ValidationError(_("A place holds at least one pupil."))
    return name


def create_place(*, group: Group, name: str, icon: str = "table", capacity=None) -> Place:
    name = _clean_place(name, icon, capacity)
    if group.places.filter(name__iexact=name).exists():
        raise ValidationError(_("This group already has a place called %(name)s.") % {"name": name})
    return Place.objects.create(group=group, name=name, icon=icon, capacity=capacity)


def update_place(place: Place, **fields) -> Place:
    name = fields.get("name", place.name)
    icon = fields.get("icon", place.icon)
    capacity = fields.get("capacity", place.capacity)
    name = _clean_place(name, icon, capacity)
    if place.group.places.exclude(pk=place.pk).filter(name__iexact=name).exists():
        raise ValidationError(_("This group already has a place called %(name)s.") % {"name": name})
    place.name, place.icon, place.capacity = name, icon, capacity
    place.save()
    return place


def delete_place(place: Place) -> None:
    place.delete()


# --- Lessons ------------------------------------------------------------------------

LESSON_FIELDS = {"subject", "date", "title", "differentiation", "fixed_instruction"} | {
    f"{aspect}_openness" for aspect in ASPECTS
}


def _validate_lesson(lesson: Lesson) -> None:
    if not lesson.title.strip():
        raise ValidationError(_("A lesson needs a title."))
    if lesson.subject not in Subject.values:
        raise ValidationError(_("Unknown subject: %(subject)s") % {"subject": lesson.subject})
    if lesson.differentiation not in Differentiation.values:
        raise ValidationError(_("Unknown differentiation setting."))
    for aspect in ASPECTS:
        if lesson.openness(aspect) not in Openness.values:
            raise ValidationError(
                _("Openness of %(aspect)s must be fixed, choice or free.") % {"aspect": aspect}
            )


def create_lesson(*, group: Group, **fields) -> Lesson:
    unknown = set(fields) - LESSON_FIELDS
    if unknown:
        raise ValidationError(_("Unknown lesson fields: %(fields)s") % {"fields": unknown})
    fields.setdefault("date", timezone.localdate())
    fields.setdefault("subject", Subject.MATH)
    lesson = Lesson(group=group, **fields)
    lesson.title = lesson.title.strip()
    _validate_lesson(lesson)
    lesson.save()
    return lesson


@transaction.atomic
def update_lesson(lesson: Lesson, **fields) -> Lesson:
    """Sends: `lesson.changed` (the dashboard shows openness and differentiation)."""
    unknown = set(fields) - LESSON_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    for key, value in fields.items():
        setattr(lesson, key, value.strip() if isinstance(value, str) else value)
    _validate_lesson(lesson)
    lesson.save()
    lesson_changed(lesson.pk)
    return lesson


def delete_lesson(lesson: Lesson) -> None:
    lesson.delete()


@transaction.atomic
def start_lesson(lesson: Lesson, *, teacher) -> Lesson:
    """Pupils can now fill in their logbook. Sends: usage event `lesson_started`;
    `lesson.changed`; `lessons.changed` to the class."""
    if lesson.is_running:
        return lesson
    lesson.started_at = timezone.now()
    lesson.ended_at = None
    lesson.save(update_fields=["started_at", "ended_at"])
    events.record("lesson_started", actor=teacher, obj=lesson, group=lesson.group, lesson=lesson)
    _announce(lesson)
    return lesson


@transaction.atomic
def end_lesson(lesson: Lesson, *, teacher) -> Lesson:
    """Choices close; evaluations stay possible. Sends: usage event `lesson_ended`;
    `lesson.changed`; `lessons.changed` to the class."""
    if not lesson.is_running:
        raise ValidationError(_("This lesson is not running."))
    lesson.ended_at = timezone.now()
    lesson.save(update_fields=["ended_at"])
    events.record("lesson_ended", actor=teacher, obj=lesson, group=lesson.group, lesson=lesson)
    _announce(lesson)
    return lesson


def _announce(lesson: Lesson) -> None:
    """Dashboards and the class's screens (pupils' homes) hear that it started or ended."""
    lesson_changed(lesson.pk)
    send_on_commit(
        class_group(lesson.group_id),
        {"type": "lessons.changed", "lesson": lesson.pk, "running": lesson.is_running},
    )


@transaction.atomic
def set_lesson_options(lesson: Lesson, *, goals=None, places=None) -> Lesson:
    """The teacher's goal and place options for `choice` (or the decision for `fixed`).
    Sends: `lesson.changed` when something was given."""
    if goals is not None:
        goals = list(goals)
        if any(goal.block.group_id != lesson.group_id for goal in goals):
            raise ValidationError(_("A goal option must be one of this group's goals."))
        lesson.goal_options.set(goals)
    if places is not None:
        places = list(places)
        if any(place.group_id != lesson.group_id for place in places):
            raise ValidationError(_("A place option must be one of this group's places."))
        lesson.place_options.set(places)
    if goals is not None or places is not None:
        lesson_changed(lesson.pk)
    return lesson
