"""What the import commands share: the school named on the command line, and the file."""

from django.core.management.base import CommandError

from classroom.models import School


def school_and_data(school: str, csv_file: str) -> tuple[School, bytes]:
    target = (
        School.objects.filter(pk=int(school)).first()
        if school.isdigit()
        else School.objects.filter(name=school).first()
    )
    if target is None:
        raise CommandError(f"No school with id or name {school!r}.")
    try:
        with open(csv_file, "rb") as handle:
            return target, handle.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {csv_file}: {exc.strerror}") from exc


def report(command, plan, lines: list[str], applied: bool) -> None:
    for line in lines:
        command.stdout.write(line)
    if plan.empty:
        command.stdout.write(command.style.SUCCESS("Nothing to change."))
    elif applied:
        command.stdout.write(command.style.SUCCESS("Applied."))
    else:
        command.stdout.write("Nothing was changed yet: run again with --apply.")
