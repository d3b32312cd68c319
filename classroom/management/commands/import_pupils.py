from django.core.management.base import BaseCommand, CommandError

from classroom import actions, roster
from classroom.management.school_file import report, school_and_data


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
        target, data = school_and_data(school, csv_file)
        try:
            if apply:
                plan = actions.import_roster(
                    school=target, data=data, name_format=names, acting_user=None
                )
            else:
                plan = roster.plan(target, roster.parse(target, data, names))
        except roster.RosterRefused as failure:
            raise CommandError("Nothing was changed.\n" + "\n".join(failure.errors)) from failure
        report(self, plan, roster.summary_lines(plan), apply)
