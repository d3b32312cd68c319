"""Delete what is past its retention (research/retention.py, settings.RETENTION_DAYS):
pupils who left, lessons and boards of earlier school years, old usage and audit log
rows, and logins (`purge_access_logs`). Run it daily, e.g. from cron:
`manage.py apply_retention` (docs/deploy.md); `--dry-run` only counts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from classroom.management.commands.purge_access_logs import purge
from research import actions, retention


class Command(BaseCommand):
    help = "Delete the data whose retention has passed (settings.RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        found = retention.counts() if dry_run else actions.apply_retention()
        verb = "due" if dry_run else "removed"
        for kind in retention.KINDS:
            self.stdout.write(f"{kind} (kept {retention.days(kind)} days): {found[kind]} {verb}")
        if not dry_run:
            for what, count in purge(settings.ACCESS_LOG_RETENTION_DAYS).items():
                self.stdout.write(
                    f"{what} (kept {settings.ACCESS_LOG_RETENTION_DAYS} days): {count} removed"
                )
