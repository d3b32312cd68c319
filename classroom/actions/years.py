"""The school year's turn (classroom/school_year.py has the plan and its rules)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import FormerGroup, Group, Pupil, School
from .groups import create_group
from .places import create_place
from .pupils import new_picture_code, update_pupil

# What a feature app copies into the new year's group (planboard: its corners), given
# the archived group and its successor. Registered at the app's ready().
GROUP_SUCCESSORS: list[Callable[[Group, Group], None]] = []


def register_group_successor(copy: Callable[[Group, Group], None]) -> None:
    if copy not in GROUP_SUCCESSORS:
        GROUP_SUCCESSORS.append(copy)


@transaction.atomic
def turn_school_year(*, school: School, choices: dict[int, str] | None = None, acting_user):
    """Archive the school's groups of this year and start the next: every group gets a
    successor (name, years, teachers, places, corners; a new class code), each pupil
    goes where the plan says with a new picture code and login card, a pupil who leaves
    is taken off (kept for the retention setting). One transaction; audited with counts.
    Raises ValidationError with the plan's errors, changing nothing."""
    from .. import audit, school_year, throttle

    school = School.objects.select_for_update().get(pk=school.pk)
    plan = school_year.plan(school, choices)
    if plan.errors:
        raise ValidationError(plan.errors)
    successors: dict[int, Group] = {}
    for group in plan.groups:
        successor = create_group(
            school=school,
            name=group.name,
            year_from=group.year_from,
            year_to=group.year_to,
            picture_code_length=group.picture_code_length,
            teachers=list(group.teachers.all()),
            language=group.language,
        )
        successor.school_year = plan.to_year
        successor.save(update_fields=["school_year"])
        for place in group.places.all():
            create_place(group=successor, name=place.name, icon=place.icon, capacity=place.capacity)
        for copy in GROUP_SUCCESSORS:
            copy(group, successor)
        successors[group.pk] = successor
    now = timezone.now()
    today = timezone.localdate()
    Group.objects.filter(pk__in=[g.pk for g in plan.groups]).update(archived_at=now)
    FormerGroup.objects.bulk_create(
        [FormerGroup(pupil=m.pupil, group=m.source) for m in plan.moves if not m.leaves],
        ignore_conflicts=True,
    )
    for move in plan.moves:
        pupil = move.pupil
        if move.leaves:
            update_pupil(pupil, active=False)
            continue
        successor = successors[move.target.pk]
        update_pupil(pupil, group=successor)
        # New login cards for the new year: the old ones stop working.
        pupil.picture_code = new_picture_code(successor.picture_code_length)
        pupil.login_token = secrets.token_urlsafe(12)
        pupil.locked_until = None
        pupil.save(update_fields=["picture_code", "login_token", "locked_until"])
        throttle.forget_code_locks(pupil.pk)
    Pupil.objects.filter(group__in=plan.groups, active=False, left_on__isnull=True).update(
        left_on=today
    )
    audit.record(
        "school_year_turned",
        actor=acting_user,
        school=school,
        school_year=plan.to_label,
        **plan.counts,
    )
    return plan
