"""Read models for the doelenboekje: one pupil's booklet, and the teacher's overview.

Both run a fixed number of queries whatever the number of pupils and goals: the marks
of a whole block are read in one query each and the latest per pupil and goal picked
in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from classroom.models import Group, Pupil

from .models import Block, Goal, GoalStar, RubricLevel, SelfAssessment, TeacherAssessment


def goals_of(block: Block):
    return block.goals.select_related("strand").prefetch_related(
        Prefetch("levels", queryset=RubricLevel.objects.order_by("position"))
    )


def booklet_group_ids(pupil: Pupil) -> list[int]:
    """The groups whose blocks are in the pupil's doelenboekje: this year's group, then
    the groups of earlier school years (classroom/school_year.py)."""
    former = pupil.former_groups.order_by("-group__school_year").values_list("group_id", flat=True)
    return [pupil.group_id, *former]


def current_block(group: Group) -> Block | None:
    """The block running today, else the most recent one that started, else the first."""
    today = timezone.localdate()
    blocks = list(group.blocks.order_by("-start_date"))
    for block in blocks:
        if block.start_date <= today <= block.end_date:
            return block
    started = [b for b in blocks if b.start_date <= today]
    return started[0] if started else (blocks[-1] if blocks else None)


@dataclass
class GoalPage:
    goal: Goal
    self_marks: list[SelfAssessment] = field(default_factory=list)
    teacher_marks: list[TeacherAssessment] = field(default_factory=list)
    starred: bool = False
    # Filled by logbook.timeline.attach_photos: photos build on goals, not the other way.
    photos: list = field(default_factory=list)
    # The pupil's own words about this goal (their lesson evaluations): logbook.timeline.
    words: list = field(default_factory=list)

    @property
    def levels(self) -> list[RubricLevel]:
        return list(self.goal.levels.all())

    @property
    def self_level(self) -> int | None:
        return self.self_marks[-1].level if self.self_marks else None

    @property
    def teacher_mark(self) -> TeacherAssessment | None:
        return self.teacher_marks[-1] if self.teacher_marks else None

    def descriptor(self, position: int | None) -> str:
        """A mark as its words ("3 · Ik kan het zelf"), not a bare number."""
        level = self.level(position)
        return f"{position} · {level.descriptor}" if level else str(position)

    def level(self, position: int | None) -> RubricLevel | None:
        return next((lv for lv in self.levels if lv.position == position), None)

    @property
    def self_level_obj(self) -> RubricLevel | None:
        return self.level(self.self_level)

    @property
    def teacher_level_obj(self) -> RubricLevel | None:
        mark = self.teacher_mark
        return self.level(mark.level) if mark else None


def pupil_booklet(pupil: Pupil, block: Block) -> list[GoalPage]:
    pages = {goal.pk: GoalPage(goal) for goal in goals_of(block)}
    for mark in SelfAssessment.objects.filter(pupil=pupil, goal__block=block):
        pages[mark.goal_id].self_marks.append(mark)
    for mark in TeacherAssessment.objects.filter(pupil=pupil, goal__block=block).select_related(
        "teacher"
    ):
        pages[mark.goal_id].teacher_marks.append(mark)
    for goal_id in GoalStar.objects.filter(pupil=pupil, goal__block=block).values_list(
        "goal_id", flat=True
    ):
        pages[goal_id].starred = True
    return list(pages.values())


@dataclass
class Cell:
    self_level: int | None = None
    teacher_level: int | None = None


@dataclass
class Overview:
    goals: list[Goal]
    pupils: list[Pupil]
    cells: dict[tuple[int, int], Cell]
    level_one_counts: dict[int, int]

    def rows(self):
        """(pupil, [cell per goal]) in display order."""
        for pupil in self.pupils:
            yield pupil, [self.cells.get((pupil.pk, goal.pk), Cell()) for goal in self.goals]

    def needs_attention(self, goal: Goal) -> bool:
        """Many pupils still at level 1: at least a third of the class, by the pupil's own
        mark or by the teacher's."""
        return self.level_one_counts.get(goal.pk, 0) >= max(1, math.ceil(len(self.pupils) / 3))


def block_overview(block: Block, only_needing_attention: bool = False) -> Overview:
    goals = list(goals_of(block))
    pupils = list(block.group.pupils.filter(active=True).order_by("display_name"))
    cells: dict[tuple[int, int], Cell] = {}
    # Ordered oldest first, so the last value written per (pupil, goal) is the latest.
    for pupil_id, goal_id, level in SelfAssessment.objects.filter(goal__block=block).values_list(
        "pupil_id", "goal_id", "level"
    ):
        cells.setdefault((pupil_id, goal_id), Cell()).self_level = level
    for pupil_id, goal_id, level in TeacherAssessment.objects.filter(goal__block=block).values_list(
        "pupil_id", "goal_id", "level"
    ):
        cells.setdefault((pupil_id, goal_id), Cell()).teacher_level = level
    active = {p.pk for p in pupils}
    level_one: dict[int, int] = {}
    for (pupil_id, goal_id), cell in cells.items():
        if pupil_id in active and 1 in (cell.self_level, cell.teacher_level):
            level_one[goal_id] = level_one.get(goal_id, 0) + 1
    overview = Overview(goals, pupils, cells, level_one)
    if only_needing_attention:
        overview.goals = [g for g in goals if overview.needs_attention(g)]
    return overview
