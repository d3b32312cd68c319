from django.core.management.base import BaseCommand, CommandError

from classroom.models import Group
from goals.importer import ImportFailed, import_goals


class Command(BaseCommand):
    help = "Import goals from a CSV file into a group's blocks: all rows, or none."

    def add_arguments(self, parser):
        parser.add_argument("group", help="the group's class code or id")
        parser.add_argument("csv_file")

    def handle(self, *args, group, csv_file, **options):
        target = (
            Group.objects.current().filter(pk=int(group)).first()
            if group.isdigit()
            else Group.objects.current().filter(class_code=group.upper()).first()
        )
        if target is None:
            raise CommandError(f"No group with class code or id {group!r}.")
        try:
            with open(csv_file, "rb") as handle:
                goals = import_goals(target, handle.read())
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc.strerror}") from exc
        except ImportFailed as failure:
            raise CommandError("Nothing was imported.\n" + "\n".join(failure.errors)) from failure
        self.stdout.write(self.style.SUCCESS(f"{len(goals)} goals imported into {target}."))
