"""The planbord is the whole group's, like the paper one on the wall: the group's pupils
see it, children included. A child changes (ticks, removes) only their own plans;
teachers change all, and only they move a child to another activity (`move_child`).
A kleuter's photos of their work: the child and the group's teachers see them (like the
logbook's photos); nobody changes them."""

from classroom.models import Pupil
from classroom.permissions import MAY_CHANGE, STAFF, Actor, GroupScopedRules, register
from goals.permissions import PupilMarkRules

from .models import Activity, Board, Plan, PlanPhoto, Slot


class PlanRules(GroupScopedRules):
    def can_change(self, actor: Actor, obj: Plan) -> bool:
        own = actor.pupil is not None and actor.pupil.active and obj.pupil_id == actor.pupil.pk
        return own or super().can_change(actor, obj)

    def can_create(self, actor: Actor, parent: Pupil) -> bool:
        return actor.pupil is not None and actor.pupil.active and actor.pupil.pk == parent.pk


register(Activity, GroupScopedRules(group_path="group_id", pupils_read="group"))
# A teacher plans for a child who has not chosen (`plan(decided_by="teacher")`).
register(
    Board,
    GroupScopedRules(group_path="group_id", pupils_read="group"),
    plan_for_child=STAFF & MAY_CHANGE,
)
register(Slot, GroupScopedRules(group_path="board__group_id", pupils_read="group"))
register(
    Plan,
    PlanRules(group_path="board__group_id", pupils_read="group"),
    move_child=STAFF & MAY_CHANGE,
)
register(PlanPhoto, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
