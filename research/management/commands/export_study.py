"""Export a study as the researchers get it in the app: a zip with the data, codebook.csv
and README.md. `--dataset` writes one dataset's CSV or JSON Lines instead (no zip)."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from research.exports import FORMATS, Export, zip_stream
from research.models import Dataset, Study


class Command(BaseCommand):
    help = "Export a study's pseudonymised data (zip with codebook and README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "study", type=int, help="the study's number (see Beheer or /onderzoek/)"
        )
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--dataset", choices=Dataset.values, help="only this dataset, unzipped")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, study, format, dataset, output, **options):  # noqa: A002
        found = Study.objects.filter(pk=study).first()
        if found is None:
            raise CommandError(f"No study {study}.")
        export = Export(found)
        if dataset:
            if format == "xapi" and dataset != Dataset.EVENTS:
                raise CommandError("xAPI holds the events only.")
            if dataset not in found.datasets:
                raise CommandError(f"The study does not include {dataset}.")
            chunks = {
                "csv": lambda: export.csv(dataset),
                "jsonl": lambda: export.jsonl(dataset),
                "xapi": export.xapi,
            }[format]()
        else:
            chunks = zip_stream(export, format)
        # Pupils' data: a file only its owner reads (0600), whatever the umask.
        stream = (
            os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
            if output
            else sys.stdout.buffer
        )
        if output:
            os.chmod(output, 0o600)
        try:
            for chunk in chunks:
                stream.write(chunk)
        finally:
            if output:
                stream.close()
        if output:
            self.stderr.write(f"Wrote {output}")
