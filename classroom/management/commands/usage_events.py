from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from classroom import usage


class Command(BaseCommand):
    help = "Write docs/usage-events.md from the declared usage verbs."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "usage-events.md"
        path.write_text(usage.markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path} ({len(usage.VERBS)} verbs).")
