"""Who may see and change goals and marks, declared with classroom.permissions.

Blocks, goals and rubric levels: the group reads, its teachers change. A pupil reads
only their own marks and stars; a classmate sees nothing of them. Marks are created by
the pupil (their own) or by the group's teachers (teacher assessments).
"""

from django.db.models import Q

from classroom.models import Pupil
from classroom.permissions import (
    MAY_CREATE,
    STAFF,
    Actor,
    GroupScopedRules,
    actor_for,
    checked_by,
    register,
)

from .models import Block, Goal, GoalStar, RubricLevel, SelfAssessment, Strand, TeacherAssessment


class StrandRules:
    """Strands belong to a school: its staff read them and may add one (a teacher who
    writes a goal names its leerlijn, decision 0017); its admins change them."""

    def read_q(self, actor: Actor) -> Q:
        return Q() if actor.is_superuser else Q(school_id__in=actor.staff_school_ids)

    def can_read(self, actor: Actor, obj: Strand) -> bool:
        return actor.is_superuser or obj.school_id in actor.staff_school_ids

    def can_change(self, actor: Actor, obj: Strand) -> bool:
        return actor.is_superuser or obj.school_id in actor.admin_school_ids

    def can_create(self, actor: Actor, parent) -> bool:
        return actor.is_superuser or parent.pk in actor.staff_school_ids


class BlockRules(GroupScopedRules):
    """A block's goals (words, pictures, rubrics: no pupil data) may be reused by any
    teacher of the school, for a group of their own (`goals.actions.copy_block`).
    Blocks of earlier school years are read by the school's staff: a pupil's teacher
    this year opens the pupil's doelenboekje at last year's blocks."""

    def read_q(self, actor: Actor) -> Q:
        q = super().read_q(actor)
        if actor.pupil is None and actor.staff_school_ids:
            q |= Q(group__school_id__in=actor.staff_school_ids, group__archived_at__isnull=False)
        return q

    def can_read(self, actor: Actor, obj: Block) -> bool:
        if super().can_read(actor, obj):
            return True
        group = obj.group
        return (
            actor.pupil is None
            and group.archived_at is not None
            and group.school_id in actor.staff_school_ids
        )

    def reuse_q(self, actor: Actor) -> Q:
        return Q() if actor.is_superuser else Q(group__school_id__in=actor.staff_school_ids)

    def can_reuse(self, actor: Actor, obj: Block) -> bool:
        return actor.is_superuser or obj.group.school_id in actor.staff_school_ids


def reusable_blocks(user):
    """The blocks `user` may copy: every block of their schools."""
    return Block.objects.filter(BLOCK_RULES.reuse_q(actor_for(user)))


class PupilMarkRules(GroupScopedRules):
    """Marks made by the pupil: only that pupil creates them, for their own booklet."""

    def can_create(self, actor: Actor, parent: Pupil) -> bool:
        return actor.pupil is not None and actor.pupil.active and actor.pupil.pk == parent.pk

    def can_change(self, actor: Actor, obj) -> bool:
        # History is never rewritten, not even by the teacher.
        return False


class TeacherMarkRules(GroupScopedRules):
    def can_create(self, actor: Actor, parent: Pupil) -> bool:
        return actor.is_superuser or parent.group_id in actor.managed_group_ids

    def can_change(self, actor: Actor, obj) -> bool:
        return False


register(Strand, StrandRules())
BLOCK_RULES = BlockRules(group_path="group_id", pupils_read="group", former_groups=True)
register(Block, BLOCK_RULES, reuse=STAFF & checked_by("can_reuse"))
register(Goal, GroupScopedRules("block__group_id", pupils_read="group", former_groups=True))
register(
    RubricLevel,
    GroupScopedRules("goal__block__group_id", pupils_read="group", former_groups=True),
)
register(SelfAssessment, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
# A teacher's assessment of a pupil (its parent): only grown-ups, so a pupil is refused
# before the pupil they name is looked up.
register(
    TeacherAssessment,
    TeacherMarkRules(group_path="pupil__group_id", pupils_read="own"),
    create=STAFF & MAY_CREATE,
)
register(GoalStar, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
