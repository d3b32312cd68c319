"""Who may see and do what with research data, declared with classroom.permissions.

- Studies: the school's admins set them up; their researchers and the teachers of the
  groups they cover see them; only researchers and school admins export. A researcher
  needs no school membership, so they never see a pupil, a group or a page of either.
- Consent: set by the pupil's teachers and the school's admins; pupils never see it.
- Interventions: the design team's members and the school's admins change them; teachers
  of the groups taking part read them. Their lesson links and observations follow.
- A pupil's data (everything stored about them, and erasing it): the school's admins
  (`manage_data` on the pupil, `manage_pupil_data` on their group).
"""

from __future__ import annotations

from django.db.models import Model, Q

from classroom.models import Group, Pupil
from classroom.permissions import (
    MAY_CHANGE,
    STAFF,
    Actor,
    GroupScopedRules,
    checked_by,
    declare_operation,
    register,
    school_admin_of,
)

from .models import Consent, Intervention, InterventionLesson, Observation, Study


class _TeamRules:
    """A study (its researchers) or an intervention (its design team): read by its people,
    the school's admins and the teachers of its groups; never by pupils."""

    model: type[Model]
    people: str  # the many-to-many field of users who belong to it

    def read_q(self, actor: Actor) -> Q:
        if actor.is_superuser:
            return Q()
        if actor.pupil is not None:
            return Q(pk__in=[])
        return (
            Q(**{self.people: actor.user_id})
            | Q(school_id__in=actor.admin_school_ids)
            | Q(groups__in=actor.readable_group_ids)
        )

    def can_read(self, actor: Actor, obj) -> bool:
        return self.model.objects.filter(self.read_q(actor), pk=obj.pk).exists()

    def admin_or_one_of_its_people(self, actor: Actor, obj) -> bool:
        if actor.is_superuser or obj.school_id in actor.admin_school_ids:
            return True
        return actor.pupil is None and getattr(obj, self.people).filter(pk=actor.user_id).exists()


class StudyRules(_TeamRules):
    model, people = Study, "researchers"

    def can_change(self, actor: Actor, obj: Study) -> bool:
        return actor.is_superuser or obj.school_id in actor.admin_school_ids

    def can_create(self, actor: Actor, parent) -> bool:
        return actor.is_superuser or parent.pk in actor.admin_school_ids

    def can_export(self, actor: Actor, obj: Study) -> bool:
        return self.admin_or_one_of_its_people(actor, obj)


class InterventionRules(_TeamRules):
    model, people = Intervention, "members"

    def can_change(self, actor: Actor, obj: Intervention) -> bool:
        return self.admin_or_one_of_its_people(actor, obj)

    def can_create(self, actor: Actor, parent) -> bool:
        """Any staff member of the school may start a design team's intervention."""
        return actor.is_superuser or parent.pk in actor.staff_school_ids


class InterventionPartRules:
    """Lesson links and observations: as their intervention."""

    def __init__(self, model: type[Model]):
        self.model = model

    def read_q(self, actor: Actor) -> Q:
        ids = Intervention.objects.filter(INTERVENTIONS.read_q(actor)).values("pk")
        return Q(intervention__in=ids)

    def can_read(self, actor: Actor, obj) -> bool:
        return INTERVENTIONS.can_read(actor, obj.intervention)

    def can_change(self, actor: Actor, obj) -> bool:
        return INTERVENTIONS.can_change(actor, obj.intervention)

    def can_create(self, actor: Actor, parent: Intervention) -> bool:
        return INTERVENTIONS.can_change(actor, parent)


STUDIES = StudyRules()
INTERVENTIONS = InterventionRules()

register(Study, STUDIES, export=checked_by("can_export"))
# Consent is set per pupil (asked about the pupil): by those who may change the pupil.
register(
    Consent,
    GroupScopedRules(group_path="pupil__group_id", pupils_read="none"),
    set_consent=MAY_CHANGE,
)
register(Intervention, INTERVENTIONS)
# Linking a lesson and logging an observation are their `create`, asked about the
# intervention: its design team and the school's admins.
register(InterventionLesson, InterventionPartRules(InterventionLesson))
register(Observation, InterventionPartRules(Observation))

# Everything stored about a pupil (see it, download it, erase it): the school's admins.
declare_operation(Pupil, "manage_data", school_admin_of("group__school_id"))
declare_operation(Group, "manage_pupil_data", school_admin_of("school_id"))
# Putting a group in a design team's intervention (and linking its lessons): its
# teachers and the school's admins, not any colleague (issue 18).
declare_operation(Group, "put_in_intervention", STAFF & MAY_CHANGE)
