"""The bundle: README.md (the study's settings), codebook.csv, the dataset files in one
format, and the zip streamed while it is made."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import TYPE_CHECKING

from classroom.models import Group, Pupil

from ..models import Dataset, Study
from .columns import LABELS, codebook_rows
from .pseudonyms import Pseudonyms

if TYPE_CHECKING:
    from .datasets import Export

FORMATS = ("csv", "jsonl", "xapi")


def codebook(export: Export, fmt: str = "csv") -> Iterator[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        codebook_rows(export.study.datasets, free_text=export.study.include_free_text, fmt=fmt)
    )
    yield buffer.getvalue().encode()


def labels(export: Export) -> Iterator[bytes]:
    """labels.csv: the codes the data files used, with their kind (never their text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.name for c in LABELS])
    writer.writerows(export.labels_used().items())
    yield buffer.getvalue().encode()


def readme(export: Export, fmt: str) -> str:
    """README.md, made only from settings and counts: no title, description or other text
    a person typed goes in."""
    s = export.study
    pupils = Pupil.objects.filter(group_id__in=export.group_ids).count()
    given = len(export.consenting_ids)
    groups = Group.objects.filter(pk__in=export.group_ids).order_by("pk")
    listed = ", ".join(
        f"{export.pseudonym('group', g.pk)} ({g.years_label})"
        for g in sorted(groups, key=lambda g: export.pseudonym("group", g.pk))
    )
    left_out = len(export.left_out_groups)
    lines = [
        f"# Leerregie research export {export.pseudonym('study', s.pk)}",
        "",
        f"- Exported: {export.made_at.astimezone(UTC):%Y-%m-%d} (UTC), format {fmt}",
        f"- Period: {s.start_date.isoformat()} to {s.end_date.isoformat()}",
        f"- Groups: {listed or 'none'}",
        f"- Data: {', '.join(s.datasets)}",
        f"- Free text included: {'yes, with names replaced' if s.include_free_text else 'no'}",
        "- Timestamps: "
        + (
            "dates only"
            if s.coarsen_to_day
            else "to the second, UTC, each day moved by a shift of up to 30 minutes"
        ),
        f"- Minimum group size: {s.min_cell_size} pupils with consent. "
        + (
            f"{left_out} group(s) of the study had fewer and are left out whole: "
            "no rows, no counts."
            if left_out
            else "No group was left out."
        ),
        f"- Pupils in the exported groups: {pupils}; with consent given: {given}. "
        "Only pupils with consent given at the time of this export are included, and no "
        "event one of the others did or that is about them.",
        "",
        "## What this export can and cannot reveal",
        "",
        "- Pupils, teachers, groups, lessons, events and interventions are pseudonyms",
        "  (HMAC-SHA256 under a key kept by the school's server): stable within this study,",
        "  different in every other study. Places and planbord activities are codes",
        "  (labels.csv). The export holds no names, usernames, login tokens, database ids,",
        "  photos, titles or descriptions typed by people.",
        "- Free text (only when the study asks for it) has every name the school holds",
        "  replaced. A name the school does not hold (a parent's, a pet's) or a pupil",
        "  described without a name can remain: read free text before sharing it further.",
        "- Rows within one date (or second) are in no particular order, and exact times are",
        "  moved per day, so that neither the order of logins nor a clock time in a server",
        "  log matches a row.",
        "- Someone who was in the class can still recognise a pupil from what only that",
        "  pupil did (one override by the teacher, a pupil who always works alone). Share",
        "  this export only with the study's researchers, not with the school's staff.",
        "- Two exports of different studies over the same pupils share no code, id or",
        "  clock time, but the same pupil's pattern of days and choices can still be matched",
        "  by someone holding both: do not combine studies outside the agreement that",
        "  allows them.",
        "",
        "`codebook.csv` explains every file and column. The quadrant follows",
        "personalisation-quadrant.md of the Leerregie design notes.",
        "",
    ]
    return "\n".join(lines)


def files(export: Export, fmt: str) -> Iterable[tuple[str, Iterator[bytes]]]:
    yield "README.md", iter([export.readme(fmt).encode()])
    yield "codebook.csv", export.codebook(fmt)
    for dataset in export.study.datasets:
        if fmt == "xapi":
            if dataset == Dataset.EVENTS:
                yield "events.xapi.json", export.xapi()
        elif fmt == "jsonl":
            yield f"{dataset}.jsonl", export.jsonl(dataset)
        else:
            yield f"{dataset}.csv", export.csv(dataset)
    # Last: it lists the codes the data files used.
    yield "labels.csv", labels(export)


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes zip_stream hands out as it goes."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def zip_stream(export: Export, fmt: str) -> Iterator[bytes]:
    """The whole export as a zip, produced while it is sent."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, chunks in export.files(fmt):
            info = zipfile.ZipInfo(name, date_time=export.made_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sum(map(len, pipe.chunks)) > 256 * 1024:
                        yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def filename(study: Study, fmt: str) -> str:
    return f"leerregie-study-{Pseudonyms(study.pseudonym_key)('study', study.pk)}-{fmt}.zip"
