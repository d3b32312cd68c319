"""Where a lesson sits on regie x belang (see personalisation-quadrant.md).

Pure functions over plain data, so the dashboard, exports and tests share one
implementation and every number can be explained in one sentence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ASPECTS, Differentiation, Openness

OPENNESS_WEIGHT = {Openness.FIXED: 0.0, Openness.CHOICE: 0.5, Openness.FREE: 1.0}
DIFFERENTIATION_BELANG = {
    Differentiation.WHOLE_CLASS: 0.0,
    Differentiation.LEVEL_GROUPS: 0.5,
    Differentiation.INDIVIDUAL: 1.0,
}
PUPIL, TEACHER = "pupil", "teacher"

QUADRANTS = {
    (False, False): _("klassikaal onderwijs"),
    (True, False): _("zelfregulerend leren in een vaststaand programma"),
    (False, True): _("groepsdifferentiatie en individuele leerlijnen"),
    (True, True): _("gepersonaliseerd leren"),
}


def openness_of(lesson) -> dict[str, str]:
    return {aspect: lesson.openness(aspect) for aspect in ASPECTS}


def intended_regie(lesson) -> float:
    """Mean of the five aspect weights: fixed 0, choice 0.5, free 1."""
    return sum(OPENNESS_WEIGHT[o] for o in openness_of(lesson).values()) / len(ASPECTS)


def intended_belang(lesson) -> float:
    return DIFFERENTIATION_BELANG[lesson.differentiation]


@dataclass(frozen=True)
class PupilRecord:
    """What one pupil's records in a lesson say.

    `decisions` maps an aspect to who made that decision ("pupil" or "teacher"); an
    aspect without a recorded decision is simply absent. `goals` and `instruction`
    say what the pupil works on.
    """

    decisions: Mapping[str, str]
    goals: frozenset = frozenset()
    instruction: bool | None = None

    @property
    def combination(self) -> tuple:
        return (self.goals, self.instruction)


@dataclass(frozen=True)
class Enacted:
    """The enacted position and the counts behind it. `decisions` are the decisions taken
    (a fixed aspect by the teacher from the start, an open one once the pupil chose or the
    teacher decided); `by_pupils` of them were the pupils' own; `pending` open decisions
    are not taken yet and count nowhere."""

    regie: float | None
    belang: float | None
    pupils_with_data: int
    pupils_without_data: int
    pupil_weight: float
    decisions: int
    by_pupils: int = 0
    pending: int = 0


def _taken(openness: Mapping[str, str], record: PupilRecord) -> tuple[int, int, float]:
    """(decisions taken, taken by the pupil, the pupil's weight) for one pupil."""
    taken = by_pupil = 0
    weight = 0.0
    for aspect in ASPECTS:
        if openness[aspect] == Openness.FIXED:
            # A fixed aspect is the teacher's decision whatever was recorded.
            taken += 1
        elif aspect in record.decisions:
            taken += 1
            if record.decisions[aspect] == PUPIL:
                by_pupil += 1
                weight += OPENNESS_WEIGHT[openness[aspect]]
    return taken, by_pupil, weight


def pupil_regie(openness: Mapping[str, str], record: PupilRecord) -> float | None:
    """One pupil's regie over the decisions taken so far (None before any is taken)."""
    taken, _by_pupil, weight = _taken(openness, record)
    return weight / taken if taken else None


def pct(share) -> int:
    """A share as a whole percentage, half up: the one rounding of every page, event and
    sentence (Python's round() rounds half to even, JavaScript's half up)."""
    return int(math.floor(float(share or 0) * 100 + 0.5 + 1e-9))


def gini_simpson(combinations: list[Hashable]) -> float | None:
    """The chance that two pupils picked at random work on something different."""
    if len(combinations) < 2:
        return None
    counts = Counter(combinations)
    total = len(combinations)
    return 1 - sum((n / total) ** 2 for n in counts.values())


def enacted(openness: Mapping[str, str], records: Mapping[Hashable, PupilRecord | None]) -> Enacted:
    """The lesson's enacted position over the decisions taken so far. Pupils whose record
    is None are left out; open decisions nobody took yet count nowhere (`pending`)."""
    with_data = [r for r in records.values() if r is not None]
    without = len(records) - len(with_data)
    taken = by_pupils = 0
    weight = 0.0
    for record in with_data:
        t, b, w = _taken(openness, record)
        taken, by_pupils, weight = taken + t, by_pupils + b, weight + w
    return Enacted(
        regie=(weight / taken) if taken else None,
        belang=gini_simpson([r.combination for r in with_data]),
        pupils_with_data=len(with_data),
        pupils_without_data=without,
        pupil_weight=weight,
        decisions=taken,
        by_pupils=by_pupils,
        pending=len(with_data) * len(ASPECTS) - taken,
    )


def pupil_position(
    openness: Mapping[str, str], record: PupilRecord, records: list[PupilRecord]
) -> tuple[float | None, float]:
    """One pupil's own regie, and 1 - the share of the class with the same combination."""
    return pupil_positions(openness, {None: record}, records)[None]


def pupil_positions(
    openness: Mapping[str, str],
    mine: Mapping[Hashable, PupilRecord],
    records: list[PupilRecord],
) -> dict[Hashable, tuple[float | None, float]]:
    """`pupil_position` for each record in `mine`, counting the class's combinations once
    (a dashboard event computes all thirty after every change)."""
    counts = Counter(r.combination for r in records)
    total = len(records)
    return {
        key: (pupil_regie(openness, record), 1 - counts[record.combination] / total)
        for key, record in mine.items()
    }


def quadrant_name(regie: float, belang: float) -> str:
    return str(QUADRANTS[(regie >= 0.5, belang >= 0.5)])
