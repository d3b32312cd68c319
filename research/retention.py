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
`manage.py apply_retention` runs it all (daily, from cron; `--dry-run` counts only)
through the action `research.actions.apply_retention`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from classroom.models import AuditRecord, Group, Lesson, Pupil, UsageEvent
from planboard.models import Board

# The kinds, in the order the command reports them; their days: settings.RETENTION_DAYS.
KINDS = ("leavers", "past_years", "usage_events", "audit_log")


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
