"""Remove stored answers to idempotent writes once no retry can come any more.
Run it daily, e.g. from cron: `manage.py purge_idempotency_keys`."""

from django.core.management.base import BaseCommand, CommandError

from classroom.idempotency import KEEP_DAYS, purge


class Command(BaseCommand):
    help = "Forget stored answers to pupils' writes older than --days (default 90)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        removed = purge(days)
        self.stdout.write(f"{removed} stored answers older than {days} days removed.")
