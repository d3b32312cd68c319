"""Schools, staff and their memberships."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Membership,
    Role,
    School,
)

User = get_user_model()


def create_school(*, name: str, city: str = "", teachers_use_beheer: bool = True) -> School:
    name = name.strip()
    if not name:
        raise ValidationError(_("A school needs a name."))
    return School.objects.create(
        name=name, city=city.strip(), teachers_use_beheer=teachers_use_beheer
    )


def update_school(
    school: School,
    *,
    name: str | None = None,
    city: str | None = None,
    teachers_use_beheer: bool | None = None,
    teachers_second_factor: bool | None = None,
    local_passwords: bool | None = None,
) -> School:
    """None leaves a field as it is. `teachers_use_beheer`: whether the school's teachers
    (not its admins) may open Beheer (decision 0016)."""
    if name is not None:
        if not name.strip():
            raise ValidationError(_("A school needs a name."))
        school.name = name.strip()
    if city is not None:
        school.city = city.strip()
    if teachers_use_beheer is not None:
        school.teachers_use_beheer = teachers_use_beheer
    if teachers_second_factor is not None:
        school.teachers_second_factor = teachers_second_factor
    if local_passwords is not None:
        from .. import school_account

        if not local_passwords and not school_account.configured():
            raise ValidationError(
                _("Local passwords stay on until sign-in with the school account is set up.")
            )
        school.local_passwords = local_passwords
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


@transaction.atomic
def import_teachers(*, school: School, data: bytes, acting_user):
    """Apply a staff file (classroom/staff_roster.py): checked whole, planned against the
    school's staff as they are now, and applied in this one transaction, or not at all.
    New teachers get an account named by their e-mail address and no password yet; the
    teachers in the file teach exactly the school's groups it lists for them. Audited
    with counts. Returns the plan that was applied (empty: the file changed nothing)."""
    from .. import audit, staff_roster

    teachers = staff_roster.parse(school, data)
    school = School.objects.select_for_update().get(pk=school.pk)
    plan = staff_roster.plan(school, teachers)
    for change in plan.changes:
        if "leave" in change.kinds:
            remove_membership(Membership.objects.get(school=school, user=change.user))
            continue
        teacher = change.teacher
        user = change.user
        if user is None:
            user = User.objects.create_user(
                username=teacher.email,
                email=teacher.email,
                password=None,  # unusable until they choose one
                first_name=teacher.first,
                last_name=teacher.last,
                is_staff=True,
            )
        elif "rename" in change.kinds:
            user.first_name, user.last_name = teacher.first, teacher.last
            user.save(update_fields=["first_name", "last_name"])
        membership = Membership.objects.filter(school=school, user=user).first()
        if membership is None:
            membership = set_membership(school=school, user=user, role=Role.TEACHER)
        if not membership.from_roster:
            membership.from_roster = True
            membership.save(update_fields=["from_roster"])
        if change.added:
            user.taught_groups.add(*change.added)
        if change.removed:
            user.taught_groups.remove(*change.removed)
    if not plan.empty:
        audit.record(
            "staff_imported", actor=acting_user, school=school, rows=plan.rows, **plan.counts
        )
    return plan


RECOVERY_CODES = 10


@transaction.atomic
def set_up_second_factor(*, device) -> list[str]:
    """An authenticator whose first code was right becomes the user's second factor;
    any other half-set-up one goes, and ten new recovery codes (each usable once)
    replace earlier ones. Returns the codes, to be shown once."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(user=device.user, name=_("Recovery codes"))
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return codes


@transaction.atomic
def reset_second_factor(*, school: School, user, acting_user) -> int:
    """A staff member lost their phone: their authenticator and recovery codes are
    removed, and at their next login (password first) they set up a new one. Only for
    staff of this school, never one's own. Audited. Returns how many were removed."""
    from django_otp import devices_for_user

    from .. import audit

    if not Membership.objects.filter(school=school, user=user).exists():
        raise ValidationError(_("Only staff of this school."))
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(_("Your own second factor is reset by another school admin."))
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    audit.record("second_factor_reset", actor=acting_user, school=school, devices=removed)
    return removed
