"""Pupils from the school's administration: a roster CSV read, compared and applied.

ParnasSys, ESIS and the other pupil administrations export CSV; this reads their column
names (leerlingnummer, roepnaam, tussenvoegsel, achternaam, groep) and a generic format
(`key`, `first_name`, `last_name` or `display_name`, `group`; docs/school-setup.md). The
whole file is checked first: every bad row is named, and a file with any problem changes
nothing. A good file gives a plan, shown before anything is written: who is added, moved
to another group, renamed, back after leaving, or has left (a pupil with a number from
an earlier import, in a group the file lists, who is no longer in it). Pupils added by hand
are found by their name in their group and keep their pictures and codes. Applying the
plan is one transaction; applying the same file again changes nothing.

Only what the product needs is kept: the name as the school wants it shown, the group, and
the pupil number as an HMAC digest under the school's own secret (`Pupil.roster_key`):
the next import finds the pupil by it, and the number itself is not stored, shown or
exported.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Group, Pupil, School

MAX_ROWS = 3000
NAME_LENGTH = Pupil._meta.get_field("display_name").max_length

ALIASES = {
    "key": "key",
    "leerlingnummer": "key",
    "leerling nummer": "key",
    "leerlingnr": "key",
    "leerling nr": "key",
    "leerling_nummer": "key",
    "leerlingid": "key",
    "leerling id": "key",
    "nummer": "key",
    "student number": "key",
    "first_name": "first",
    "first name": "first",
    "roepnaam": "first",
    "voornaam": "first",
    "particle": "particle",
    "tussenvoegsel": "particle",
    "tussenvoegsels": "particle",
    "voorvoegsel": "particle",
    "last_name": "last",
    "last name": "last",
    "achternaam": "last",
    "display_name": "display",
    "display name": "display",
    "weergavenaam": "display",
    "naam": "display",
    "group": "group",
    "groep": "group",
    "klas": "group",
    "groepsnaam": "group",
}

# How the school wants names shown (the file's `display_name`, when given, wins).
NAME_FORMATS = {
    "first_unique": gettext_lazy(
        "First name; with the initial of the surname when two pupils of a group share it"
    ),
    "first_initial": gettext_lazy("First name and initial of the surname (Noor B.)"),
    "full": gettext_lazy("First name and surname (Noor van den Berg)"),
}
DEFAULT_NAME_FORMAT = "first_unique"


class RosterRefused(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    number: int
    key: str
    first: str
    particle: str
    last: str
    display: str
    group: Group
    name: str = ""


@dataclass
class Change:
    """One pupil in the plan: `kinds` ⊆ {add, link, move, rename, back, leave}."""

    name: str
    group: Group
    kinds: set = field(default_factory=set)
    row: Row | None = None
    pupil: Pupil | None = None
    old_name: str = ""
    old_group: Group | None = None


class KindsOfChange:
    """What the pupils' and the teachers' plans share: changes by kind, and counts."""

    KINDS: tuple = ()

    def of(self, kind: str) -> list:
        return [c for c in self.changes if kind in c.kinds]

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(self.of(kind)) for kind in self.KINDS} | {"unchanged": self.unchanged}

    @property
    def empty(self) -> bool:
        return not self.changes


@dataclass
class Plan(KindsOfChange):
    KINDS = ("add", "link", "move", "rename", "back", "leave")

    school: School
    changes: list[Change]
    unchanged: int
    kept: int  # active pupils of the listed groups without a number, not in the file
    rows: int


def digest(school: School, key: str) -> str:
    """The stored form of a pupil number: HMAC-SHA256 under the school's secret, so the
    same number finds the same pupil and the number cannot be read back."""
    secret = school.roster_secret or ""
    return hmac.new(secret.encode(), key.strip().encode(), hashlib.sha256).hexdigest()


def ensure_secret(school: School) -> None:
    if not school.roster_secret:
        school.roster_secret = secrets.token_hex(32)
        school.save(update_fields=["roster_secret"])


def group_label(name: str) -> str:
    """A group's name as files write it and as it is compared: "Groep 1-2", "groep 1/2"
    and "1/2" are one group, "6B" and "6b" too."""
    text = re.sub(r"^(groep|group|klas)\b\s*", "", name.strip().lower())
    return re.sub(r"\s+", "", text).replace("-", "/")


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise RosterRefused(
            [
                _("Row %(row)s: the file is not UTF-8. In Excel, save it as 'CSV UTF-8'.")
                % {"row": row}
            ]
        ) from None


def reader_for(text: str) -> csv.DictReader:
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line:
        raise RosterRefused([_("The file is empty.")])
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def columns(
    reader: csv.DictReader, aliases: dict, required: tuple, name_columns: tuple, needed: str
) -> dict[str, str]:
    """The file's column for each canonical name (`aliases`); refused when a `required`
    one or every one of `name_columns` is missing."""
    mapping = {}
    for name in reader.fieldnames or []:
        canonical = aliases.get(re.sub(r"\s+", " ", (name or "").strip().lower()))
        if canonical and canonical not in mapping:
            mapping[canonical] = name
    missing = [c for c in required if c not in mapping]
    if not any(c in mapping for c in name_columns):
        missing.append("first_name")
    if missing:
        raise RosterRefused(
            [
                _("Row 1: missing column(s): %(columns)s. Needed: %(needed)s.")
                % {"columns": ", ".join(missing), "needed": needed}
            ]
        )
    return mapping


def blank_or_unreadable(raw: dict, number: int, errors: list) -> bool:
    """Skip an empty row; name a row that a quote never closed swallowed lines into."""
    if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
        return True
    if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in raw.values()):
        errors.append(unreadable(number))
        return True
    return False


def unknown_group(label: str, school: School, groups: dict) -> str:
    return _("group %(group)s does not exist at %(school)s (groups: %(groups)s)") % {
        "group": repr(label),
        "school": school.name,
        "groups": ", ".join(sorted(g.name for g in groups.values())) or "-",
    }


def row_error(number: int, problems: list[str]) -> str:
    """One line naming a row and all that is wrong with it."""
    return _("Row %(row)s: %(problems)s.") % {
        "row": number,
        "problems": "; ".join(p.rstrip(".") for p in problems),
    }


def summary(plan: KindsOfChange, labels: dict, describe_change) -> list[str]:
    """A plan as text, by kind (the management commands print it)."""
    lines = []
    for kind, label in labels.items():
        changes = plan.of(kind)
        if changes:
            lines.append(f"{label} ({len(changes)}):")
            lines.extend(f"  {describe_change(c)}" for c in changes)
    lines.append(_("Unchanged: %(count)s") % {"count": plan.unchanged})
    return lines


def unreadable(row: int) -> str:
    return _(
        'Row %(row)s: this row cannot be read (a quote " that is not '
        "closed?). Save the file from Excel as 'CSV UTF-8' again."
    ) % {"row": row}


def numbered_rows(reader: csv.DictReader):
    rows = iter(reader)
    last = 1
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except csv.Error:
            raise RosterRefused([unreadable(last + 1)]) from None
        start, last = last + 1, reader.line_num
        yield start, raw  # the row's first line, as a spreadsheet numbers it


def _initial(last: str) -> str:
    return f"{last.strip()[0].upper()}." if last.strip() else ""


def _names(rows: list[Row], name_format: str) -> None:
    """Each row's name as shown, by the school's format (a `display_name` wins)."""
    for row in rows:
        if row.display:
            row.name = row.display
        elif name_format == "full":
            row.name = " ".join(p for p in (row.first, row.particle, row.last) if p)
        elif name_format == "first_initial":
            row.name = " ".join(p for p in (row.first, _initial(row.last)) if p)
        else:
            row.name = row.first
    if name_format == "first_unique":
        seen: dict[tuple, list[Row]] = {}
        for row in rows:
            if not row.display:
                seen.setdefault((row.group.pk, row.first.lower()), []).append(row)
        for same in seen.values():
            if len(same) > 1:
                for row in same:
                    row.name = " ".join(p for p in (row.first, _initial(row.last)) if p)


def parse(school: School, data: bytes, name_format: str = DEFAULT_NAME_FORMAT) -> list[Row]:
    """Every row of the file checked; raise RosterRefused naming every bad one."""
    if name_format not in NAME_FORMATS:
        raise RosterRefused([_("Unknown name format.")])
    reader = reader_for(decode(data))
    columns_of = columns(
        reader,
        ALIASES,
        ("key", "group"),
        ("first", "display"),
        "key (leerlingnummer), first_name (roepnaam) or display_name, group (groep)",
    )
    groups = {group_label(g.name): g for g in school.groups.current()}
    rows: list[Row] = []
    errors: list[str] = []
    seen_keys: dict[str, int] = {}
    for number, raw in numbered_rows(reader):

        def get(column, raw=raw):
            return (raw.get(columns_of.get(column, ""), "") or "").strip()

        if blank_or_unreadable(raw, number, errors):
            continue
        problems = []
        key = get("key")
        if not key:
            problems.append(_("the pupil number is empty"))
        elif key in seen_keys:
            problems.append(
                _("pupil number %(key)s is also used in row %(row)s")
                % {"key": key, "row": seen_keys[key]}
            )
        else:
            seen_keys[key] = number
        group = groups.get(group_label(get("group")))
        if group is None:
            problems.append(unknown_group(get("group"), school, groups))
        if not (get("first") or get("display")):
            problems.append(_("the name is empty"))
        if problems:
            errors.append(row_error(number, problems))
            continue
        rows.append(
            Row(number, key, get("first"), get("particle"), get("last"), get("display"), group)
        )
        if len(rows) > MAX_ROWS:
            raise RosterRefused(
                [_("The file has more than %(count)s pupils.") % {"count": MAX_ROWS}]
            )
    if not errors and rows:
        _names(rows, name_format)
        for row in rows:
            if len(row.name) > NAME_LENGTH:
                errors.append(
                    _("Row %(row)s: the name is longer than %(count)s characters.")
                    % {"row": row.number, "count": NAME_LENGTH}
                )
    if errors:
        raise RosterRefused(errors)
    if not rows:
        raise RosterRefused([_("The file has no pupils.")])
    return rows


def plan(school: School, rows: list[Row]) -> Plan:
    """What applying `rows` would change, against the school's pupils as they are now."""
    school.refresh_from_db(fields=["roster_secret"])  # made by the first import
    pupils = list(Pupil.objects.filter(group__school=school).select_related("group"))
    secret_known = bool(school.roster_secret)
    by_key = {p.roster_key: p for p in pupils if p.roster_key}
    unkeyed: dict[tuple, list[Pupil]] = {}
    for pupil in pupils:
        if not pupil.roster_key:
            unkeyed.setdefault((pupil.group_id, pupil.display_name.lower()), []).append(pupil)
    changes: list[Change] = []
    unchanged = 0
    found: set[int] = set()
    for row in rows:
        pupil = by_key.get(digest(school, row.key)) if secret_known else None
        kinds = set()
        if pupil is None:
            candidates = unkeyed.get((row.group.pk, row.name.lower()), [])
            if candidates:
                pupil = candidates.pop(0)
                kinds.add("link")
        if pupil is None:
            changes.append(Change(name=row.name, group=row.group, kinds={"add"}, row=row))
            continue
        found.add(pupil.pk)
        if pupil.group_id != row.group.pk:
            kinds.add("move")
        if pupil.display_name != row.name:
            kinds.add("rename")
        if not pupil.active:
            kinds.add("back")
        if kinds:
            changes.append(
                Change(
                    name=row.name,
                    group=row.group,
                    kinds=kinds,
                    row=row,
                    pupil=pupil,
                    old_name=pupil.display_name,
                    old_group=pupil.group,
                )
            )
        else:
            unchanged += 1
    listed = {row.group.pk for row in rows}
    kept = 0
    for pupil in pupils:
        if pupil.pk in found or not pupil.active or pupil.group_id not in listed:
            continue
        if pupil.roster_key:
            changes.append(
                Change(
                    name=pupil.display_name,
                    group=pupil.group,
                    kinds={"leave"},
                    pupil=pupil,
                    old_name=pupil.display_name,
                    old_group=pupil.group,
                )
            )
        else:
            kept += 1
    return Plan(school=school, changes=changes, unchanged=unchanged, kept=kept, rows=len(rows))


KIND_LABELS = {
    "add": gettext_lazy("New"),
    "link": gettext_lazy("Linked to the administration"),
    "move": gettext_lazy("To another group"),
    "rename": gettext_lazy("New name"),
    "back": gettext_lazy("Back"),
    "leave": gettext_lazy("Left the school"),
}


def describe(change: Change) -> str:
    """One line of the preview: the pupil and what happens to them."""
    parts = []
    if "move" in change.kinds:
        parts.append(f"{change.old_group.name} → {change.group.name}")
    if "rename" in change.kinds:
        parts.append(f"{change.old_name} → {change.name}")
    where = change.group.name
    text = f"{change.name} ({where})"
    return f"{text}: {'; '.join(parts)}" if parts else text


def summary_lines(result: Plan) -> list[str]:
    """The preview as text (the management command prints it)."""
    lines = summary(result, KIND_LABELS, describe)
    if result.kept:
        lines.append(
            _("Added by hand and not in the file, kept: %(count)s") % {"count": result.kept}
        )
    return lines
