"""Forget who logged in when: django-axes' rows and expired sessions older than
ACCESS_LOG_RETENTION_DAYS (default 7). Run it daily, e.g. from cron:
`manage.py purge_access_logs` (docs/deploy.md)."""

from datetime import timedelta
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def purge(days: int, now=None) -> dict[str, int]:
    """Delete axes' login rows older than `days` days and the sessions that have
    expired; return how many of each went. A teacher's wrong passwords still inside
    the lock's cool-off are kept whatever `days` says, so a purge never lifts a lock."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    attempts_cutoff = min(cutoff, now - (settings.AXES_COOLOFF_TIME or timedelta(0)))
    return {
        "access attempts": _delete(AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff)),
        "access logs": _delete(AccessLog.objects.filter(attempt_time__lt=cutoff)),
        "access failure logs": _delete(AccessFailureLog.objects.filter(attempt_time__lt=cutoff)),
        "expired sessions": _clear_expired_sessions(now),
    }


def _delete(rows) -> int:
    return rows.delete()[1].get(rows.model._meta.label, 0)


def _clear_expired_sessions(now) -> int:
    """`manage.py clearsessions`, counted where the sessions are rows."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # cache or signed cookies: they expire alone
        store.clear_expired()
        return 0
    return _delete(store.get_model_class().objects.filter(expire_date__lt=now))


class Command(BaseCommand):
    help = (
        "Delete django-axes' login records older than ACCESS_LOG_RETENTION_DAYS "
        "(or --days) and expired sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days, **options):
        days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention must be at least 1 day.")
        counts = purge(days)
        sessions = counts.pop("expired sessions")
        listed = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(
            f"Removed, older than {days} days: {listed}; expired sessions: {sessions}."
        )
