"""Every change to goals and marks. Marks are recorded as usage events in the same
transaction, so the dashboard and exports can use them without touching this code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from classroom import usage
from classroom.idempotency import atomic as write_atomic
from classroom.inputs import check_text
from classroom.models import Group, Lesson, Pupil, School
from classroom.pictograms import PICTOGRAMS

from .models import (
    LEVEL_ICONS,
    MAX_LEVELS,
    MIN_LEVELS,
    Block,
    Goal,
    GoalStar,
    RubricLevel,
    SelfAssessment,
    Strand,
    TeacherAssessment,
)


def new_strands(school: School, names) -> list[str]:
    """The names among `names` that are not a leerlijn of the school yet (any case)."""
    known = {n.lower() for n in Strand.objects.filter(school=school).values_list("name", flat=True)}
    return sorted({n.strip() for n in names if n.strip() and n.strip().lower() not in known})


def strand_for(school: School, name: str) -> Strand:
    name = name.strip()
    if not name:
        raise ValidationError(_("A strand needs a name."))
    # "verhoudingen" is the school's "Verhoudingen", not a second leerlijn.
    strand = Strand.objects.filter(school=school, name__iexact=name).first()
    return strand or Strand.objects.create(school=school, name=name)


def _check_block(block: Block) -> None:
    if not block.name.strip():
        raise ValidationError(_("A block needs a name."))
    if block.start_date > block.end_date:
        raise ValidationError(_("A block cannot end before it starts."))
    if Block.objects.filter(group=block.group, name__iexact=block.name).exclude(pk=block.pk):
        raise ValidationError(
            _("This group already has a block called %(name)s.") % {"name": block.name}
        )


def create_block(*, group: Group, name: str, start_date, end_date) -> Block:
    block = Block(group=group, name=name.strip(), start_date=start_date, end_date=end_date)
    _check_block(block)
    block.save()
    return block


def update_block(block: Block, **fields) -> Block:
    for key in ("name", "start_date", "end_date"):
        if key in fields:
            setattr(block, key, fields[key].strip() if key == "name" else fields[key])
    _check_block(block)
    block.save()
    return block


def check_levels(descriptors: list[str]) -> None:
    if not MIN_LEVELS <= len(descriptors) <= MAX_LEVELS:
        raise ValidationError(
            _("A goal has %(min)s to %(max)s levels, not %(count)s.")
            % {"min": MIN_LEVELS, "max": MAX_LEVELS, "count": len(descriptors)}
        )
    if any(not d.strip() for d in descriptors):
        raise ValidationError(_("Every level needs a descriptor."))


@write_atomic
def create_goal(
    *,
    block: Block,
    strand: Strand,
    code: str,
    statement: str,
    levels: list[str],
    description: str = "",
    pictogram: str = "",
) -> Goal:
    code, statement = code.strip(), statement.strip()
    if not code:
        raise ValidationError(_("A goal needs a code."))
    if not statement:
        raise ValidationError(_("A goal needs an 'ik kan ...' statement."))
    if pictogram and pictogram not in PICTOGRAMS:
        raise ValidationError(_("Unknown pictogram: %(name)s") % {"name": pictogram})
    check_levels(levels)
    if block.goals.filter(code__iexact=code).exists():
        raise ValidationError(
            _("Block %(block)s already has a goal with code %(code)s.")
            % {"block": block.name, "code": code}
        )
    goal = Goal.objects.create(
        block=block,
        strand=strand,
        code=code,
        statement=statement,
        description=description.strip(),
        pictogram=pictogram,
        position=block.goals.count(),
    )
    RubricLevel.objects.bulk_create(
        RubricLevel(goal=goal, position=i, descriptor=d.strip(), icon=LEVEL_ICONS[i - 1])
        for i, d in enumerate(levels, start=1)
    )
    return goal


@write_atomic
def update_goal(
    goal: Goal,
    *,
    strand: Strand,
    code: str,
    statement: str,
    levels: list[str],
    description: str = "",
    pictogram: str = "",
) -> Goal:
    """Change a goal's words, picture and rubric. A level that pupils or the teacher
    have already marked cannot be taken away (their booklet would lose that mark)."""
    code, statement = code.strip(), statement.strip()
    if not code:
        raise ValidationError(_("A goal needs a code."))
    if not statement:
        raise ValidationError(_("A goal needs an 'ik kan ...' statement."))
    if pictogram and pictogram not in PICTOGRAMS:
        raise ValidationError(_("Unknown pictogram: %(name)s") % {"name": pictogram})
    if strand.school_id != goal.block.group.school_id:
        raise ValidationError(_("This strand belongs to another school."))
    check_levels(levels)
    if goal.block.goals.filter(code__iexact=code).exclude(pk=goal.pk).exists():
        raise ValidationError(
            _("Block %(block)s already has a goal with code %(code)s.")
            % {"block": goal.block.name, "code": code}
        )
    marked = max(
        goal.self_assessments.aggregate(top=Max("level"))["top"] or 0,
        goal.teacher_assessments.aggregate(top=Max("level"))["top"] or 0,
    )
    if marked > len(levels):
        raise ValidationError(
            _("Level %(level)s has already been marked; a goal with marks keeps it.")
            % {"level": marked}
        )
    goal.strand, goal.code, goal.statement = strand, code, statement
    goal.description, goal.pictogram = description.strip(), pictogram
    goal.save()
    existing = {level.position: level for level in goal.levels.all()}
    for position, descriptor in enumerate(levels, start=1):
        level = existing.pop(position, None)
        if level is None:
            RubricLevel.objects.create(
                goal=goal,
                position=position,
                descriptor=descriptor.strip(),
                icon=LEVEL_ICONS[position - 1],
            )
        elif level.descriptor != descriptor.strip():
            level.descriptor = descriptor.strip()
            level.save(update_fields=["descriptor"])
    RubricLevel.objects.filter(pk__in=[level.pk for level in existing.values()]).delete()
    return goal


@write_atomic
def copy_block(source: Block, *, group: Group, name: str, start_date, end_date) -> Block:
    """A block of this school (an earlier year's, another group's) again for `group`:
    the same goals, strands, pictures and rubrics; no marks, lessons or activities."""
    if source.group.school_id != group.school_id:
        raise ValidationError(_("This block belongs to another school."))
    block = create_block(group=group, name=name, start_date=start_date, end_date=end_date)
    for goal in source.goals.prefetch_related("levels"):
        copy = Goal.objects.create(
            block=block,
            strand_id=goal.strand_id,
            code=goal.code,
            statement=goal.statement,
            description=goal.description,
            pictogram=goal.pictogram,
            position=goal.position,
        )
        RubricLevel.objects.bulk_create(
            RubricLevel(
                goal=copy, position=level.position, descriptor=level.descriptor, icon=level.icon
            )
            for level in goal.levels.all()
        )
    return block


def _check_mark(pupil: Pupil, goal: Goal, level: int) -> None:
    if goal.block.group_id != pupil.group_id:
        raise ValidationError(_("This goal is not in this pupil's booklet."))
    if not goal.levels.filter(position=level).exists():
        raise ValidationError(_("This goal has no level %(level)s.") % {"level": level})


def set_goal_options(lesson: Lesson, goals: list) -> None:
    """The goals a lesson offers (or sets); registered with classroom's
    `configure_lesson` as the option "goals", which sends the event."""
    if any(goal.block.group_id != lesson.group_id for goal in goals):
        raise ValidationError(_("A goal option must be one of this group's goals."))
    lesson.goal_options.set(goals)


@write_atomic
def assess_self(*, pupil: Pupil, goal: Goal, level: int) -> SelfAssessment:
    """The pupil marks how far they are. Sends: usage event `self_assessed`."""
    _check_mark(pupil, goal, level)
    mark = SelfAssessment.objects.create(pupil=pupil, goal=goal, level=level)
    usage.record(
        "self_assessed",
        actor=pupil.user,
        obj=mark,
        pupil=pupil,
        group=pupil.group,
        context={"goal": goal.code, "level": level},
    )
    return mark


@write_atomic
def assess_as_teacher(
    *, acting_user, pupil: Pupil, goal: Goal, level: int, note: str = ""
) -> TeacherAssessment:
    """The teacher's judgement, kept beside the pupil's. Sends: `teacher_assessed`."""
    _check_mark(pupil, goal, level)
    note = check_text(note).strip()
    mark = TeacherAssessment.objects.create(
        pupil=pupil, goal=goal, teacher=acting_user, level=level, note=note
    )
    usage.record(
        "teacher_assessed",
        actor=acting_user,
        obj=mark,
        pupil=pupil,
        group=pupil.group,
        context={"goal": goal.code, "level": level, "has_note": bool(mark.note)},
    )
    return mark


@write_atomic
def set_star(*, pupil: Pupil, goal: Goal, starred: bool) -> bool:
    """Star or unstar a goal to work on next. Sends `goal_starred` / `goal_unstarred`
    only when something changed, so a repeated tap is harmless."""
    if goal.block.group_id != pupil.group_id:
        raise ValidationError(_("This goal is not in this pupil's booklet."))
    if starred:
        _star, changed = GoalStar.objects.get_or_create(pupil=pupil, goal=goal)
    else:
        changed = GoalStar.objects.filter(pupil=pupil, goal=goal).delete()[0] > 0
    if changed:
        usage.record(
            "goal_starred" if starred else "goal_unstarred",
            actor=pupil.user,
            obj=goal,
            pupil=pupil,
            group=pupil.group,
            context={"goal": goal.code},
        )
    return starred
