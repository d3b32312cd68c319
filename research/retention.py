"""How long data is kept, per kind, and the command that applies it.

`settings.RETENTION_DAYS` says how many days each kind is kept (defaults below, each
overridable by an environment variable; docs/school-setup.md explains them to a school):

- `leavers`: a pupil who left the school (groep 8 at the school year's turn, or taken
  off the roster) is erased completely this many days after leaving
  (research.actions.erase_pupil: every record, photo, event and trace);
- `past_years`: lessons and planbord boards of groups archived at a school year's turn
  (with their logbook entries, plans and planbord photos), counted from the turn. Blocks,
  goals and marks stay: the doelenboekje goes on across years;
- `usage_events`: the usage-event log research exports read;
- `audit_log`: who exported, erased, imported, turned the year.

Logins (django-axes' rows, expired sessions) have their own, shorter setting:
ACCESS_LOG_RETENTION_DAYS, applied by `manage.py purge_access_logs` and by this command.
`manage.py apply_retention` runs it all (daily, from cron; `--dry-run` counts only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import audit
from classroom.models import AuditRecord, Group, Lesson, Pupil, UsageEvent
from planboard.models import Board, PlanPhoto

from . import actions


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_days: int


KINDS = [
    Kind("leavers", _("pupils who left the school, erased completely"), 365),
    Kind("past_years", _("lessons and planning boards of earlier school years"), 730),
    Kind("usage_events", _("the usage log"), 3 * 365),
    Kind("audit_log", _("the audit log"), 5 * 365),
]


def days(kind: str) -> int:
    return int(settings.RETENTION_DAYS[kind])


def _cutoff(kind: str, now):
    return now - timedelta(days=days(kind))


def due(now=None) -> dict:
    """What is past its time now, per kind (querysets; nothing deleted)."""
    now = now or timezone.now()
    archived = Group.objects.filter(archived_at__lt=_cutoff("past_years", now))
    return {
        "leavers": Pupil.objects.filter(
            active=False, left_on__lt=timezone.localdate(_cutoff("leavers", now))
        ).select_related("group__school"),
        "past_years": (
            Lesson.objects.filter(group__in=archived),
            Board.objects.filter(group__in=archived),
        ),
        "usage_events": UsageEvent.objects.filter(time__lt=_cutoff("usage_events", now)),
        "audit_log": AuditRecord.objects.filter(time__lt=_cutoff("audit_log", now)),
    }


def counts(now=None) -> dict[str, int]:
    found = due(now)
    lessons, boards = found["past_years"]
    return {
        "leavers": found["leavers"].count(),
        "past_years": lessons.count() + boards.count(),
        "usage_events": found["usage_events"].count(),
        "audit_log": found["audit_log"].count(),
    }


def apply(now=None) -> dict[str, int]:
    """Delete what is past its time; return how many of each kind went. Each leaver is
    erased in a transaction of their own; the rest in one. The audit log records counts
    per school (after its own purge, so the record of this run stays)."""
    now = now or timezone.now()
    found = due(now)
    result = {kind.key: 0 for kind in KINDS}
    per_school: dict = {}
    for pupil in list(found["leavers"]):
        school = pupil.group.school
        actions.erase_pupil(pupil, acting_user=None)
        result["leavers"] += 1
        removed = per_school.setdefault(school, {})
        removed["leavers"] = removed.get("leavers", 0) + 1
    with transaction.atomic():
        lessons, boards = found["past_years"]
        lessons = list(lessons.select_related("group__school"))
        boards = list(boards.select_related("group__school"))
        photos = PlanPhoto.objects.filter(board__in=boards)
        files = [(p.image.storage, p.image.name) for p in photos] + [
            (p.thumbnail.storage, p.thumbnail.name) for p in photos
        ]
        for row in [*lessons, *boards]:
            removed = per_school.setdefault(row.group.school, {})
            removed["past_years"] = removed.get("past_years", 0) + 1
        result["past_years"] = len(lessons) + len(boards)
        Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).delete()
        Board.objects.filter(pk__in=[board.pk for board in boards]).delete()
        events = found["usage_events"]
        result["usage_events"] = events.delete()[1].get(UsageEvent._meta.label, 0)
        records = found["audit_log"]
        result["audit_log"] = records.delete()[1].get(AuditRecord._meta.label, 0)
        for school, removed in per_school.items():
            audit.record("retention_applied", actor=None, school=school, **removed)
        transaction.on_commit(lambda: _remove(files))
    return result


def _remove(files) -> None:
    for storage, name in files:
        if name:
            storage.delete(name)
