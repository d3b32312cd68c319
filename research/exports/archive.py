"""The bundle: README.md (the study's settings), codebook.csv, the dataset files in one
format, and the zip streamed while it is made."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import TYPE_CHECKING

from classroom.models import Pupil

from ..models import Consent, ConsentStatus, Dataset, Study
from .columns import codebook_rows
from .pseudonyms import Pseudonyms

if TYPE_CHECKING:
    from .datasets import Export

FORMATS = ("csv", "jsonl", "xapi")


def codebook(export: Export) -> Iterator[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        codebook_rows(export.study.datasets, free_text=export.study.include_free_text)
    )
    yield buffer.getvalue().encode()


def readme(export: Export, fmt: str) -> str:
    s = export.study
    consent = Consent.objects.filter(study=s, pupil__group_id__in=export.group_ids)
    counts = {status: consent.filter(status=status).count() for status in ConsentStatus.values}
    pupils = Pupil.objects.filter(group_id__in=export.group_ids).count()
    groups = ", ".join(
        f"{export.pseudonym('group', g.pk)} ({g.years_label})" for g in s.groups.all()
    )
    lines = [
        f"# {s.title}",
        "",
        s.description,
        "",
        f"- Exported: {export.made_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, format {fmt}",
        f"- Period: {s.start_date.isoformat()} to {s.end_date.isoformat()}",
        f"- Groups: {groups}",
        f"- Data: {', '.join(s.datasets)}",
        f"- Free text included: {'yes' if s.include_free_text else 'no'}",
        f"- Timestamps: {'dates only' if s.coarsen_to_day else 'to the second, UTC'}",
        f"- Pupils in these groups: {pupils}; consent given: {counts['given']}, "
        f"refused: {counts['refused']}, recorded as unknown: {counts['unknown']}. "
        "Only pupils with consent given at the time of this export are included.",
        "",
        "Pupils, teachers, groups and lessons are pseudonyms (HMAC-SHA256 under a key",
        "kept by the school's server): stable within this study, unlinkable to any other",
        "study. The export holds no names, usernames, database ids or photos.",
        "`codebook.csv` explains every column. The quadrant follows",
        "personalisation-quadrant.md of the Leerregie design notes.",
        "",
    ]
    return "\n".join(lines)


def files(export: Export, fmt: str) -> Iterable[tuple[str, Iterator[bytes]]]:
    yield "README.md", iter([export.readme(fmt).encode()])
    yield "codebook.csv", export.codebook()
    for dataset in export.study.datasets:
        if fmt == "xapi":
            if dataset == Dataset.EVENTS:
                yield "events.xapi.json", export.xapi()
        elif fmt == "jsonl":
            yield f"{dataset}.jsonl", export.jsonl(dataset)
        else:
            yield f"{dataset}.csv", export.csv(dataset)


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
