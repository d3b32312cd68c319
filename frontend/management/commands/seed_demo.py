from django.core.management.base import BaseCommand

from classroom.models import School
from frontend.demo import seed


class Command(BaseCommand):
    help = "Create the demo school (groep 1-2, 5 and 8 with pupils, places and lessons)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any school exists already."
        )

    def handle(self, *args, if_empty=False, **options):
        if School.objects.exists():
            if if_empty:
                self.stdout.write("The database has a school already; the demo was not loaded.")
                return
            if School.objects.filter(name="Basisschool De Regenboog").exists():
                self.stderr.write("The demo school exists already.")
                return
        seed()
        self.stdout.write(
            self.style.SUCCESS("Demo school loaded. `manage.py login_hints` says how to log in.")
        )
