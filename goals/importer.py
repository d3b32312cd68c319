"""Import goals from a CSV file into a group's blocks.

The whole file is checked before anything is written; every problem is reported with
its row number, and a file with any problem changes nothing. Column names may be English
or Dutch; the delimiter may be a comma or a semicolon (Dutch Excel); the file must be
UTF-8 (with or without the byte-order mark Excel writes).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from classroom.models import Group
from classroom.pictograms import PICTOGRAMS

from . import actions
from .models import MAX_LEVELS, Goal

ALIASES = {
    "strand": "strand",
    "leerlijn": "strand",
    "block": "block",
    "blok": "block",
    "code": "code",
    "statement": "statement",
    "doel": "statement",
    "ik kan": "statement",
    "description": "description",
    "beschrijving": "description",
    "pictogram": "pictogram",
    **{f"level_{i}": f"level_{i}" for i in range(1, MAX_LEVELS + 1)},
    **{f"niveau_{i}": f"level_{i}" for i in range(1, MAX_LEVELS + 1)},
}
REQUIRED = ["strand", "block", "code", "statement", "description", "level_1", "level_2", "level_3"]


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    number: int
    strand: str
    block: object
    code: str
    statement: str
    description: str
    pictogram: str
    levels: list[str]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [
                _("Row %(row)s: the file is not UTF-8. In Excel, save it as 'CSV UTF-8'.")
                % {"row": row}
            ]
        ) from None


def _reader(text: str) -> csv.DictReader:
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line:
        raise ImportFailed([_("The file is empty.")])
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _header(reader: csv.DictReader) -> dict[str, str]:
    """Map the file's own column names to ours; complain about missing ones."""
    mapping = {}
    for name in reader.fieldnames or []:
        canonical = ALIASES.get(name.strip().lower().replace("-", "_"))
        if canonical:
            mapping[canonical] = name
    missing = [column for column in REQUIRED if column not in mapping]
    if missing:
        raise ImportFailed(
            [
                _("Row 1: missing column(s): %(columns)s. Needed: %(needed)s.")
                % {"columns": ", ".join(missing), "needed": ", ".join(REQUIRED)}
            ]
        )
    return mapping


def _rows(reader: csv.DictReader):
    """(row number, row) for each row; a broken quote names its row, never a 500."""
    rows = iter(reader)
    last = 1  # the header
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except csv.Error:
            raise ImportFailed(
                [
                    _(
                        'Row %(row)s: this row cannot be read (a quote " that is not '
                        "closed?). Save the file from Excel as 'CSV UTF-8' again."
                    )
                    % {"row": last + 1}
                ]
            ) from None
        last = reader.line_num
        yield last, raw


def parse(group: Group, data: bytes) -> list[Row]:
    """Check the whole file; return its rows, or raise ImportFailed with every problem."""
    reader = _reader(_decode(data))
    columns = _header(reader)
    blocks = {b.name.lower(): b for b in group.blocks.all()}
    existing = set(Goal.objects.filter(block__group=group).values_list("block_id", "code"))
    existing = {(block_id, code.lower()) for block_id, code in existing}
    seen: dict[tuple, int] = {}
    rows, errors = [], []
    for number, raw in _rows(reader):

        def get(column, raw=raw):
            return (raw.get(columns.get(column, ""), "") or "").strip()

        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # blank line
        row_errors = []
        block = blocks.get(get("block").lower())
        if block is None:
            row_errors.append(
                _("block %(block)s does not exist in %(group)s")
                % {"block": repr(get("block")), "group": group.name}
            )
        code = get("code")
        if not code:
            row_errors.append(_("the code is empty"))
        elif block is not None:
            key = (block.pk, code.lower())
            if key in seen:
                row_errors.append(
                    _("code %(code)s is also used in row %(row)s")
                    % {"code": code, "row": seen[key]}
                )
            elif key in existing:
                row_errors.append(
                    _("code %(code)s already exists in %(block)s")
                    % {"code": code, "block": block.name}
                )
            seen.setdefault(key, number)
        if not get("strand"):
            row_errors.append(_("the strand is empty"))
        if not get("statement"):
            row_errors.append(_("the 'ik kan ...' statement is empty"))
        pictogram = get("pictogram").lower()
        if pictogram and pictogram not in PICTOGRAMS:
            row_errors.append(_("unknown pictogram %(name)s") % {"name": repr(pictogram)})
        levels = [get(f"level_{i}") for i in range(1, MAX_LEVELS + 1)]
        while levels and not levels[-1]:
            levels.pop()
        try:
            actions.check_levels(levels)
        except ValidationError as exc:
            row_errors.extend(exc.messages)
        if row_errors:
            errors.append(
                _("Row %(row)s: %(problems)s.")
                % {"row": number, "problems": "; ".join(p.rstrip(".") for p in row_errors)}
            )
            continue
        rows.append(
            Row(
                number,
                get("strand"),
                block,
                code,
                get("statement"),
                get("description"),
                pictogram,
                levels,
            )
        )
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([_("The file has no goals.")])
    return rows


@transaction.atomic
def import_goals(group: Group, data: bytes) -> list[Goal]:
    """All goals of the file, or none."""
    goals = []
    for row in parse(group, data):
        try:
            goals.append(
                actions.create_goal(
                    block=row.block,
                    strand=actions.strand_for(group.school, row.strand),
                    code=row.code,
                    statement=row.statement,
                    description=row.description,
                    pictogram=row.pictogram,
                    levels=row.levels,
                )
            )
        except ValidationError as exc:
            # parse() checked everything it can; anything left still names its row.
            raise ImportFailed(
                [
                    _("Row %(row)s: %(problems)s.")
                    % {"row": row.number, "problems": "; ".join(exc.messages)}
                ]
            ) from exc
    return goals
