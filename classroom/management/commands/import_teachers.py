from django.core.management.base import BaseCommand, CommandError

from classroom import actions, staff_roster
from classroom.models import School


class Command(BaseCommand):
    help = (
        "Import teachers (e-mail address, name, groups; docs/school-setup.md). Without "
        "--apply, only shows what would change; with it, applies all of it or nothing. "
        "New teachers choose their password on the link their school admin finds on the "
        "import page."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's id or exact name")
        parser.add_argument("csv_file")
        parser.add_argument("--apply", action="store_true", help="write the changes")

    def handle(self, *args, school, csv_file, apply, **options):
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
                plan = actions.import_teachers(school=target, data=data, acting_user=None)
            else:
                plan = staff_roster.plan(target, staff_roster.parse(target, data))
        except staff_roster.RosterRefused as failure:
            raise CommandError("Nothing was changed.\n" + "\n".join(failure.errors)) from failure
        for line in staff_roster.summary_lines(plan):
            self.stdout.write(line)
        if plan.empty:
            self.stdout.write(self.style.SUCCESS("Nothing to change."))
        elif apply:
            self.stdout.write(self.style.SUCCESS("Applied."))
        else:
            self.stdout.write("Nothing was changed yet: run again with --apply.")
