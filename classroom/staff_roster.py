"""Teachers from the school's administration: a staff CSV read, compared and applied.

The same way as pupils (classroom/roster.py): the whole file is checked first and every
bad row named; a good file gives a plan shown before anything is written; applying it is
one transaction, and the same file twice changes nothing.

A teacher is found by e-mail address. Columns: `email` (e-mail, e-mailadres), the name
(`first_name`/roepnaam, `particle`/tussenvoegsel, `last_name`/achternaam, or one `name`/
naam), and `groups` (groep, groepen): the groups they teach, separated by commas, or one
row per group. A teacher not yet known gets an account (their e-mail address is their
username) without a password: the school admin hands them a link to choose one
(frontend/views/staff.py). An account known by that address at another school gets a place here.

What the file decides for the teachers in it: their name, that they are teachers here,
and which of the school's groups they teach. A teacher who came from an earlier file and
is no longer in it leaves the school (their account stays, with any other school's
place). School admins in the file keep their role; staff added by hand are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Group, Membership, Role, School
from .roster import (
    MAX_ROWS,
    KindsOfChange,
    RosterRefused,
    blank_or_unreadable,
    columns,
    decode,
    group_label,
    numbered_rows,
    reader_for,
    row_error,
    summary,
    unknown_group,
)

User = get_user_model()
FIRST_LENGTH = User._meta.get_field("first_name").max_length
LAST_LENGTH = User._meta.get_field("last_name").max_length
USERNAME_LENGTH = User._meta.get_field("username").max_length

ALIASES = {
    "email": "email",
    "e-mail": "email",
    "e mail": "email",
    "mail": "email",
    "emailadres": "email",
    "e-mailadres": "email",
    "e-mail adres": "email",
    "e-mail werk": "email",
    "email address": "email",
    "first_name": "first",
    "first name": "first",
    "roepnaam": "first",
    "voornaam": "first",
    "particle": "particle",
    "tussenvoegsel": "particle",
    "tussenvoegsels": "particle",
    "voorvoegsel": "particle",
    "last_name": "last",
    "last name": "last",
    "achternaam": "last",
    "name": "name",
    "naam": "name",
    "volledige naam": "name",
    "groups": "groups",
    "group": "groups",
    "groep": "groups",
    "groepen": "groups",
    "klas": "groups",
    "klassen": "groups",
}

# Between the groups of one cell: "5, 6B", "5 | 6B", "5 en 6B", "5 + 6B".
GROUP_SEPARATORS = re.compile(r"\s*(?:[,|+]|\ben\b|\band\b)\s*", re.IGNORECASE)


@dataclass
class Teacher:
    row: int
    email: str
    first: str
    last: str
    groups: set  # of Group


@dataclass
class Change:
    """One teacher in the plan: `kinds` ⊆ {add, join, link, rename, groups, leave}."""

    email: str
    name: str
    kinds: set = field(default_factory=set)
    teacher: Teacher | None = None
    user: object = None
    old_name: str = ""
    added: list = field(default_factory=list)  # groups they will teach
    removed: list = field(default_factory=list)  # groups they will no longer teach


@dataclass
class Plan(KindsOfChange):
    KINDS = ("add", "join", "link", "rename", "groups", "leave")

    school: School
    changes: list[Change]
    unchanged: int
    rows: int


def full_name(first: str, last: str) -> str:
    return " ".join(p for p in (first, last) if p)


def parse(school: School, data: bytes) -> list[Teacher]:
    """Every row of the file checked; raise RosterRefused naming every bad one. Rows with
    the same e-mail address are one teacher with the groups of all of them."""
    reader = reader_for(decode(data))
    columns_of = columns(
        reader,
        ALIASES,
        ("email",),
        ("first", "name"),
        "email (e-mailadres), first_name (roepnaam) or name (naam), groups (groepen)",
    )
    groups = {group_label(g.name): g for g in school.groups.current()}
    teachers: dict[str, Teacher] = {}
    errors: list[str] = []
    for number, raw in numbered_rows(reader):

        def get(column, raw=raw):
            return (raw.get(columns_of.get(column, ""), "") or "").strip()

        if blank_or_unreadable(raw, number, errors):
            continue
        problems = []
        email = get("email").lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("the e-mail address is empty")
                if not email
                else _("%(email)s is not an e-mail address") % {"email": repr(get("email"))}
            )
        if len(email) > USERNAME_LENGTH:
            problems.append(_("the e-mail address is too long"))
        if get("name") and not get("first"):
            first, _space, last = get("name").partition(" ")
        else:
            first = get("first")
            last = " ".join(p for p in (get("particle"), get("last")) if p)
        if not first:
            problems.append(_("the name is empty"))
        if len(first) > FIRST_LENGTH or len(last) > LAST_LENGTH:
            problems.append(_("the name is too long"))
        taught = set()
        for label in GROUP_SEPARATORS.split(get("groups")):
            if not label:
                continue
            group = groups.get(group_label(label))
            if group is None:
                problems.append(unknown_group(label, school, groups))
            else:
                taught.add(group)
        earlier = teachers.get(email)
        if earlier and not problems and (earlier.first, earlier.last) != (first, last):
            problems.append(
                _("%(email)s is also in row %(row)s, with another name")
                % {"email": email, "row": earlier.row}
            )
        if problems:
            errors.append(row_error(number, problems))
            continue
        if earlier:
            earlier.groups |= taught
        else:
            teachers[email] = Teacher(number, email, first, last, taught)
        if len(teachers) > MAX_ROWS:
            raise RosterRefused(
                [_("The file has more than %(count)s teachers.") % {"count": MAX_ROWS}]
            )
    if not errors:
        errors.extend(_account_problems(list(teachers.values())))
    if errors:
        raise RosterRefused(errors)
    if not teachers:
        raise RosterRefused([_("The file has no teachers.")])
    return list(teachers.values())


def _by_email(emails):
    return User.objects.annotate(address=Lower("email")).filter(address__in=list(emails))


def _account_problems(teachers: list[Teacher]) -> list[str]:
    """Addresses that do not lead to exactly one staff account."""
    emails = [t.email for t in teachers]
    by_email: dict[str, list] = {}
    for user in _by_email(emails).select_related("pupil"):
        by_email.setdefault(user.email.lower(), []).append(user)
    taken = {
        u.username.lower(): u
        for u in User.objects.filter(username__in=emails).only("username", "email")
    }
    problems = []
    for teacher in teachers:
        users = by_email.get(teacher.email, [])
        if len(users) > 1:
            problems.append(
                _("Row %(row)s: %(email)s belongs to more than one account; ask the administrator.")
                % {"row": teacher.row, "email": teacher.email}
            )
        elif users and hasattr(users[0], "pupil"):
            problems.append(
                _("Row %(row)s: %(email)s belongs to a pupil's account.")
                % {"row": teacher.row, "email": teacher.email}
            )
        elif not users and teacher.email in taken:
            problems.append(
                _("Row %(row)s: the username %(email)s is taken by another account.")
                % {"row": teacher.row, "email": teacher.email}
            )
    return problems


def plan(school: School, teachers: list[Teacher]) -> Plan:
    """What applying `teachers` would change, against the school's staff as they are."""
    emails = {t.email for t in teachers}
    accounts = {u.email.lower(): u for u in _by_email(emails).filter(pupil__isnull=True)}
    memberships = {
        m.user_id: m for m in Membership.objects.filter(school=school).select_related("user")
    }
    school_groups = list(school.groups.current())
    taught: dict[int, set] = {}
    for group in Group.teachers.through.objects.filter(
        group__school=school, group__archived_at__isnull=True
    ):
        taught.setdefault(group.user_id, set()).add(group.group_id)
    by_pk = {g.pk: g for g in school_groups}
    changes: list[Change] = []
    unchanged = 0
    found: set[int] = set()
    for teacher in teachers:
        name = full_name(teacher.first, teacher.last)
        wanted = {g.pk for g in teacher.groups}
        user = accounts.get(teacher.email)
        if user is None:
            changes.append(
                Change(
                    email=teacher.email,
                    name=name,
                    kinds={"add"},
                    teacher=teacher,
                    added=sorted(teacher.groups, key=_order),
                )
            )
            continue
        found.add(user.pk)
        membership = memberships.get(user.pk)
        kinds = set()
        if membership is None:
            kinds.add("join")
        elif not membership.from_roster:
            kinds.add("link")
        if (user.first_name, user.last_name) != (teacher.first, teacher.last):
            kinds.add("rename")
        has = taught.get(user.pk, set())
        added = sorted((by_pk[pk] for pk in wanted - has), key=_order)
        removed = sorted((by_pk[pk] for pk in has - wanted), key=_order)
        if added or removed:
            kinds.add("groups")
        if kinds:
            changes.append(
                Change(
                    email=teacher.email,
                    name=name,
                    kinds=kinds,
                    teacher=teacher,
                    user=user,
                    old_name=full_name(user.first_name, user.last_name),
                    added=added,
                    removed=removed,
                )
            )
        else:
            unchanged += 1
    for membership in memberships.values():
        user = membership.user
        if user.pk in found or not membership.from_roster or membership.role != Role.TEACHER:
            continue
        changes.append(
            Change(
                email=user.email,
                name=full_name(user.first_name, user.last_name) or user.username,
                kinds={"leave"},
                user=user,
                removed=sorted((by_pk[pk] for pk in taught.get(user.pk, set())), key=_order),
            )
        )
    return Plan(school=school, changes=changes, unchanged=unchanged, rows=len(teachers))


def _order(group: Group):
    return (group.year_from, group.name)


KIND_LABELS = {
    "add": gettext_lazy("New account"),
    "join": gettext_lazy("Account of another school, gets a place here"),
    "link": gettext_lazy("Linked to the administration"),
    "rename": gettext_lazy("New name"),
    "groups": gettext_lazy("Other groups"),
    "leave": gettext_lazy("Leaves the school"),
}


def describe(change: Change) -> str:
    """One line of the preview: the teacher and what happens to them."""
    parts = []
    if "rename" in change.kinds:
        parts.append(f"{change.old_name} → {change.name}")
    if change.added:
        parts.append("+ " + ", ".join(g.name for g in change.added))
    if change.removed:
        parts.append("− " + ", ".join(g.name for g in change.removed))
    text = f"{change.name} <{change.email}>"
    return f"{text}: {'; '.join(parts)}" if parts else text


def summary_lines(result: Plan) -> list[str]:
    """The preview as text (the management command prints it)."""
    return summary(result, KIND_LABELS, describe)


def without_password(school: School) -> list:
    """The school's staff who have not chosen a password yet."""
    users = User.objects.filter(memberships__school=school, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
    return [u for u in users if not u.has_usable_password()]
