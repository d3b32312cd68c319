from django.core.management.base import BaseCommand, CommandError

from classroom import actions, staff_roster
from classroom.management.school_file import report, school_and_data


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
        target, data = school_and_data(school, csv_file)
        try:
            if apply:
                plan = actions.import_teachers(school=target, data=data, acting_user=None)
            else:
                plan = staff_roster.plan(target, staff_roster.parse(target, data))
        except staff_roster.RosterRefused as failure:
            raise CommandError("Nothing was changed.\n" + "\n".join(failure.errors)) from failure
        report(self, plan, staff_roster.summary_lines(plan), apply)
