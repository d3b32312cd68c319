"""Every change to studies, consent and interventions. Views, the API and commands call
these after checking permissions; these check the data."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import usage
from classroom.models import Group, IdempotencyRecord, Lesson, Pupil, School, UsageEvent
from classroom.realtime.publish import lesson_changed
from logbook.models import LogbookEntry, Photo
from planboard import actions as planboard_actions
from planboard.models import Plan, PlanPhoto

from .models import (
    Consent,
    ConsentStatus,
    Dataset,
    Intervention,
    InterventionLesson,
    Observation,
    Phase,
    Study,
)


def _check_period(start, end) -> None:
    if start is None or end is None:
        raise ValidationError(_("A start and an end date are needed."))
    if start > end:
        raise ValidationError(_("The end date cannot be before the start date."))


def _check_groups(school: School, groups) -> list[Group]:
    groups = list(groups)
    if not groups:
        raise ValidationError(_("Choose at least one group."))
    if any(group.school_id != school.pk for group in groups):
        raise ValidationError(_("Every group must belong to this school."))
    return groups


def researchers_by_username(usernames: list[str]):
    """The accounts named; researchers log in like teachers, without a school."""
    users = list(get_user_model().objects.filter(username__in=usernames, pupil__isnull=True))
    unknown = sorted(set(usernames) - {u.username for u in users})
    if unknown:
        raise ValidationError(
            _("No account with username: %(names)s") % {"names": ", ".join(unknown)}
        )
    return users


@transaction.atomic
def save_study(
    study: Study | None,
    *,
    school: School,
    title: str,
    groups,
    start_date,
    end_date,
    datasets,
    include_free_text: bool = False,
    coarsen_to_day: bool = True,
    researchers=(),
    description: str = "",
) -> Study:
    """Create (study=None) or change a study."""
    title = title.strip()
    if not title:
        raise ValidationError(_("A study needs a title."))
    _check_period(start_date, end_date)
    groups = _check_groups(school, groups)
    datasets = list(dict.fromkeys(datasets))
    if not datasets or not set(datasets) <= set(Dataset.values):
        raise ValidationError(_("Choose the data the study needs."))
    study = study or Study(school=school)
    study.title = title
    study.description = description.strip()
    study.start_date, study.end_date = start_date, end_date
    study.datasets = datasets
    study.include_free_text = include_free_text
    study.coarsen_to_day = coarsen_to_day
    study.save()
    study.groups.set(groups)
    study.researchers.set(list(researchers))
    return study


@transaction.atomic
def set_consent(*, study: Study, pupil: Pupil, status: str, acting_user) -> Consent:
    """Given, refused or unknown, with who set it and when. Takes effect for every export
    made after it."""
    if status not in ConsentStatus.values:
        raise ValidationError(_("Consent is given, refused or unknown."))
    if not study.groups.filter(pk=pupil.group_id).exists():
        raise ValidationError(_("This pupil's group is not in this study."))
    consent, _created = Consent.objects.update_or_create(
        study=study,
        pupil=pupil,
        defaults={"status": status, "set_by": acting_user, "set_at": timezone.now()},
    )
    return consent


@transaction.atomic
def set_consents(*, study: Study, statuses: dict, acting_user) -> int:
    """One save of the consent table: `statuses` maps pupils to given, refused or
    unknown. Unchanged rows (and "unknown" where nothing was recorded) are left alone;
    any invalid row refuses the whole save. Returns how many changed."""
    current = {
        c.pupil_id: c.status for c in Consent.objects.filter(study=study, pupil__in=list(statuses))
    }
    changed = 0
    for pupil, status in statuses.items():
        # Nothing recorded counts as unknown: saving "unknown" there records nothing.
        if current.get(pupil.pk, ConsentStatus.UNKNOWN) == status:
            continue
        set_consent(study=study, pupil=pupil, status=status, acting_user=acting_user)
        changed += 1
    return changed


@transaction.atomic
def save_intervention(
    intervention: Intervention | None,
    *,
    school: School,
    title: str,
    groups,
    start_date,
    end_date,
    members,
    practice_question: str = "",
    working_hypothesis: str = "",
    design_requirements: str = "",
) -> Intervention:
    title = title.strip()
    if not title:
        raise ValidationError(_("An intervention needs a title."))
    _check_period(start_date, end_date)
    groups = _check_groups(school, groups)
    members = list(members)
    if not members:
        raise ValidationError(_("A design team needs at least one member."))
    intervention = intervention or Intervention(school=school)
    intervention.title = title
    intervention.practice_question = practice_question.strip()
    intervention.working_hypothesis = working_hypothesis.strip()
    intervention.design_requirements = design_requirements.strip()
    intervention.start_date, intervention.end_date = start_date, end_date
    intervention.save()
    intervention.groups.set(groups)
    intervention.members.set(members)
    return intervention


@transaction.atomic
def link_lesson(*, intervention: Intervention, lesson: Lesson, phase: str) -> InterventionLesson:
    """The lesson belongs to the intervention, in one phase (linking again moves it)."""
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    if not intervention.groups.filter(pk=lesson.group_id).exists():
        raise ValidationError(_("This lesson's group does not take part in the intervention."))
    link, _created = InterventionLesson.objects.update_or_create(
        intervention=intervention, lesson=lesson, defaults={"phase": phase}
    )
    return link


def unlink_lesson(link: InterventionLesson) -> None:
    link.delete()


def add_observation(*, intervention: Intervention, acting_user, date, text: str) -> Observation:
    text = text.strip()
    if not text:
        raise ValidationError(_("An observation needs some text."))
    if date is None:
        raise ValidationError(_("An observation needs a date."))
    return Observation.objects.create(
        intervention=intervention, author=acting_user, date=date, text=text
    )


@transaction.atomic
def erase_pupil(pupil: Pupil, *, acting_user) -> None:
    """Remove the pupil, every record and event about them, and their files. Planbord
    places they held are freed. What stays is one event that a pupil of the group was
    erased, without anything that refers to them."""
    group = pupil.group
    for plan in Plan.objects.filter(pupil=pupil).select_related("slot__activity", "board"):
        planboard_actions.unplan(plan_obj=plan, acting_user=acting_user)
    files = []
    for photo in [*Photo.objects.filter(pupil=pupil), *PlanPhoto.objects.filter(pupil=pupil)]:
        files += [(photo.image.storage, photo.image.name)]
        files += [(photo.thumbnail.storage, photo.thumbnail.name)]
    if pupil.photo:
        files.append((pupil.photo.storage, pupil.photo.name))
    user = pupil.user
    # Dashboards of lessons the pupil took part in lose a row: they hear it (no pupil
    # named: the row is gone) and reload their snapshot.
    lessons = set(LogbookEntry.objects.filter(pupil=pupil).values_list("lesson_id", flat=True))
    UsageEvent.objects.filter(pupil=pupil).delete()
    UsageEvent.objects.filter(actor=user).delete()
    IdempotencyRecord.objects.filter(user=user).delete()
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    user.delete()  # cascades to the pupil and everything that belongs to them
    for lesson_id in sorted(lessons):
        lesson_changed(lesson_id)
    usage.record("pupil_erased", actor=acting_user, group=group)

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
