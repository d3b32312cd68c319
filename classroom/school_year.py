"""The school year's turn ("nieuw schooljaar"): the plan a school admin previews.

On the turn every group of the year is archived (it, its lessons, boards and blocks are
read-only from then on) and a group for the new year takes its place: the same name,
years, teachers, places and planbord corners, with a new class code. Each pupil goes up
a year into the new group that holds that year; groep 8 leaves the school. The admin
sees where every pupil goes and may change it before anything is saved:

- a pupil of a single-year group goes to the group of the next year; with parallel
  groups (6a, 6b) to the one whose name matches (5a → 6a);
- a combination group (1-2) keeps its pupils who are in its first year; a pupil who was
  already in a group of the same years last school year is in its second year and goes
  up. A school that knows better changes it in the preview;
- a pupil whose next year no group holds needs a choice: the turn waits for it.

A pupil who goes up gets a new picture code (new login cards); the doelenboekje keeps
the earlier groups' blocks (`FormerGroup`). A pupil who leaves keeps their data until
the retention setting erases it (research/retention.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    FormerGroup,
    Group,
    Pupil,
    School,
    current_school_year,
    school_year_label,
    school_year_of,
)

LEAVES = "leave"


@dataclass
class Move:
    pupil: Pupil
    source: Group
    # The group of this year whose successor the pupil joins; None: the pupil leaves.
    target: Group | None
    # The default was not clear (parallel groups, no group for the year): shown first.
    check: bool = False

    @property
    def leaves(self) -> bool:
        return self.target is None

    @property
    def choice(self) -> str:
        return LEAVES if self.target is None else str(self.target.pk)


@dataclass
class TurnPlan:
    school: School
    from_year: int
    to_year: int
    groups: list[Group]
    moves: list[Move]
    errors: list[str] = field(default_factory=list)
    # Pupils already taken off the roster: they stay in the archived group.
    gone: int = 0

    @property
    def from_label(self) -> str:
        return school_year_label(self.from_year)

    @property
    def to_label(self) -> str:
        return school_year_label(self.to_year)

    def by_group(self) -> list[tuple[Group, list[Move]]]:
        return [(g, [m for m in self.moves if m.source.pk == g.pk]) for g in self.groups]

    @property
    def counts(self) -> dict[str, int]:
        leaving = sum(1 for m in self.moves if m.leaves)
        return {
            "groups": len(self.groups),
            "moving": len(self.moves) - leaving,
            "leaving": leaving,
        }


def _shape(name: str) -> str:
    """A group's name without its numbers: "Groep 5a" and "Groep 6a" match."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "", name)).strip().casefold()


def _default(pupil: Pupil, group: Group, groups: list[Group], seen: dict) -> tuple:
    """(target group or None, needs a check, the pupil's next year) for one pupil."""
    year = group.year_from
    if group.year_to > group.year_from:
        # Each earlier year in a group of these years is a year further in it.
        year = min(group.year_to, year + seen.get((pupil.pk, group.year_from, group.year_to), 0))
    following = year + 1
    if following > 8:
        return None, False, following
    holding = [g for g in groups if g.year_from <= following <= g.year_to]
    if group in holding:
        return group, False, following
    matching = [g for g in holding if _shape(g.name) == _shape(group.name)]
    if len(matching) == 1:
        return matching[0], False, following
    if len(holding) == 1:
        return holding[0], False, following
    return (holding[0] if holding else None), True, following


def plan(school: School, choices: dict[int, str] | None = None) -> TurnPlan:
    """The turn as it would be, with the admin's `choices` (pupil id → a group id of this
    year or LEAVES) over the defaults. Reads; changes nothing."""
    groups = list(
        Group.objects.current()
        .filter(school=school)
        .annotate(pupil_count=Count("pupils"))
        .order_by("year_from", "name")
    )
    from_year = max((g.school_year for g in groups), default=current_school_year())
    result = TurnPlan(
        school=school, from_year=from_year, to_year=from_year + 1, groups=groups, moves=[]
    )
    if not groups:
        result.errors.append(_("This school has no groups yet."))
        return result
    opens = timezone.localdate() + timedelta(weeks=settings.SCHOOL_YEAR_TURN_WEEKS)
    if result.to_year > school_year_of(opens):
        # Once a school year, from some weeks before 1 August on: never twice, and
        # never in the middle of a year.
        result.errors.append(
            _("The school year %(year)s has already begun here; the next turn is next summer.")
            % {"year": result.from_label}
        )
    by_pk = {g.pk: g for g in groups}
    pupils = list(
        Pupil.objects.filter(group__in=groups).select_related("group").order_by("display_name")
    )
    seen: dict = {}
    for pupil_id, start, end in FormerGroup.objects.filter(pupil__in=pupils).values_list(
        "pupil_id", "group__year_from", "group__year_to"
    ):
        seen[(pupil_id, start, end)] = seen.get((pupil_id, start, end), 0) + 1
    choices = choices or {}
    for pupil in pupils:
        if not pupil.active:
            result.gone += 1
            continue
        group = by_pk[pupil.group_id]
        if pupil.pk in choices:
            choice = choices[pupil.pk]
            if choice == LEAVES:
                result.moves.append(Move(pupil, group, None))
                continue
            choice = str(choice)
            target = by_pk.get(int(choice)) if choice.isascii() and choice.isdigit() else None
            if target is None:
                result.errors.append(
                    _("%(name)s: choose one of the school's groups.") % {"name": pupil.display_name}
                )
                target = group
            result.moves.append(Move(pupil, group, target))
            continue
        target, check, following = _default(pupil, group, groups, seen)
        if target is None and check:
            result.errors.append(
                _("%(name)s: no group holds groep %(year)s next year. Choose a group.")
                % {"name": pupil.display_name, "year": following}
            )
        result.moves.append(Move(pupil, group, target, check))
    return result


def choices_from(data) -> dict[int, str]:
    """The admin's choices from a posted form: `pupil-<id>` → a group id or LEAVES
    (`plan` reads only those of the school's pupils)."""
    choices = {}
    for key, value in data.items():
        number = key.removeprefix("pupil-")
        if key.startswith("pupil-") and number.isascii() and number.isdigit() and value:
            choices[int(number)] = value
    return choices
