from django.core.management.base import BaseCommand

from classroom.demo import login_hints


class Command(BaseCommand):
    help = "Print how to log in to the demo school."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url, **options):
        self.stdout.write(login_hints(base_url))
