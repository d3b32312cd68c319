from django.core.management.base import BaseCommand, CommandError

from classroom import actions, roster
from classroom.models import School


class Command(BaseCommand):
    help = (
        "Import pupils from the school's administration (a CSV export of ParnasSys, ESIS "
        "or the generic format of docs/school-setup.md). Without --apply, only shows what "
        "would change; with it, applies all of it or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's id or exact name")
        parser.add_argument("csv_file")
        parser.add_argument("--apply", action="store_true", help="write the changes")
        parser.add_argument(
            "--names",
            choices=sorted(roster.NAME_FORMATS),
            default=roster.DEFAULT_NAME_FORMAT,
            help="how names are shown (a display_name column wins)",
        )

    def handle(self, *args, school, csv_file, apply, names, **options):
        target = (
            School.objects.filter(pk=int(school)).first()
            if school.isdigit()
            else School.objects.filter(name=school).first()
        )
        if target is None:
            raise CommandError(f"No school with id or name {school!r}.")
        try:
            with open(csv_file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc.strerror}") from exc
        try:
            if apply:
                plan = actions.import_roster(
                    school=target, data=data, name_format=names, acting_user=None
                )
            else:
                plan = roster.plan(target, roster.parse(target, data, names))
        except roster.RosterRefused as failure:
            raise CommandError("Nothing was changed.\n" + "\n".join(failure.errors)) from failure
        for line in roster.summary_lines(plan):
            self.stdout.write(line)
        if plan.empty:
            self.stdout.write(self.style.SUCCESS("Nothing to change."))
        elif apply:
            self.stdout.write(self.style.SUCCESS("Applied."))
        else:
            self.stdout.write("Nothing was changed yet: run again with --apply.")
