"""Groups, class codes and their teachers."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import (
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    GROUP_LANGUAGES,
    Group,
    Membership,
    School,
    installation_language,
)


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
    language: str | None = None,
) -> Group:
    year_to = year_from if year_to is None else year_to
    _validate_years(year_from, year_to)
    if not name.strip():
        raise ValidationError(_("A group needs a name."))
    if picture_code_length is None:
        # Toddlers manage two pictures; from groep 3 on, three.
        picture_code_length = 2 if year_to <= 2 else 3
    _validate_code_length(picture_code_length)
    language = language or installation_language()
    _validate_language(language)
    group = Group.objects.create(
        school=school,
        name=name.strip(),
        year_from=year_from,
        year_to=year_to,
        picture_code_length=picture_code_length,
        class_code=class_code or _unused_class_code(),
        language=language,
    )
    for teacher in teachers:
        assign_teacher(group=group, user=teacher)
    return group


def _validate_code_length(length: int) -> None:
    if length not in (2, 3):
        raise ValidationError(_("A picture code has 2 or 3 pictures."))


def _validate_language(language: str) -> None:
    if language not in dict(GROUP_LANGUAGES):
        raise ValidationError(_("Unknown language: %(language)s") % {"language": language})


def _unused_class_code() -> str:
    while True:
        code = _new_class_code()
        if not Group.objects.filter(class_code=code).exists():
            return code


@transaction.atomic
def update_group(group: Group, **fields) -> Group:
    allowed = {"name", "year_from", "year_to", "picture_code_length", "language"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    for key, value in fields.items():
        setattr(group, key, value.strip() if isinstance(value, str) else value)
    if not group.name:
        raise ValidationError(_("A group needs a name."))
    _validate_years(group.year_from, group.year_to)
    _validate_code_length(group.picture_code_length)
    _validate_language(group.language)
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
