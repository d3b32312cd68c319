"""Every change to studies, consent and interventions. Views, the API and commands call
these after checking permissions; these check the data."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import audit, usage
from classroom.models import AuditRecord, Group, Lesson, Pupil, School, UsageEvent
from classroom.realtime.publish import lesson_changed
from logbook.models import LogbookEntry, Photo
from planboard import actions as planboard_actions
from planboard.models import Board, Plan, PlanPhoto

from . import erasure, names, retention
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
    min_cell_size: int = 5,
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
    if not 1 <= min_cell_size <= 50:
        raise ValidationError(_("The minimum group size is between 1 and 50 pupils."))
    study.min_cell_size = min_cell_size
    study.save()
    study.groups.set(groups)
    study.researchers.set(list(researchers))
    return study


def _save_consent(*, study: Study, pupil: Pupil, status: str, acting_user) -> Consent:
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


def _audit_consents(study: Study, acting_user, statuses: list[str], groups: set[int]) -> None:
    """One audit record per save: how many changed to what, never whose."""
    audit.record(
        "consent_changed",
        actor=acting_user,
        school=study.school,
        group=Group.objects.get(pk=next(iter(groups))) if len(groups) == 1 else None,
        study=study,
        count=len(statuses),
        statuses=dict(sorted(Counter(statuses).items())),
    )


@transaction.atomic
def set_consent(*, study: Study, pupil: Pupil, status: str, acting_user) -> Consent:
    """Given, refused or unknown, with who set it and when; setting it again changes it.
    Takes effect for every export made after it. Records: an audit record (a count)."""
    consent = _save_consent(study=study, pupil=pupil, status=status, acting_user=acting_user)
    _audit_consents(study, acting_user, [status], {pupil.group_id})
    return consent


@transaction.atomic
def set_consents(*, study: Study, statuses: dict, acting_user) -> int:
    """One save of the consent table: `statuses` maps pupils to given, refused or
    unknown. Unchanged rows (and "unknown" where nothing was recorded) are left alone;
    any invalid row refuses the whole save. Returns how many changed. Records: one
    audit record for a save that changed something (counts per status)."""
    current = {
        c.pupil_id: c.status for c in Consent.objects.filter(study=study, pupil__in=list(statuses))
    }
    changed: list[str] = []
    groups: set[int] = set()
    for pupil, status in statuses.items():
        # Nothing recorded counts as unknown: saving "unknown" there records nothing.
        if current.get(pupil.pk, ConsentStatus.UNKNOWN) == status:
            continue
        _save_consent(study=study, pupil=pupil, status=status, acting_user=acting_user)
        changed.append(status)
        groups.add(pupil.group_id)
    if changed:
        _audit_consents(study, acting_user, changed, groups)
    return len(changed)


def record_export(study: Study, *, fmt: str, acting_user) -> None:
    """An export is about to be streamed: its audit record (who, the study, the format
    and datasets, how many pupils consented; no pupil)."""
    audit.record(
        "export",
        actor=acting_user,
        school=study.school,
        study=study,
        format=fmt,
        datasets=list(study.datasets),
        include_free_text=study.include_free_text,
        consenting_pupils=study.consents.filter(status=ConsentStatus.GIVEN).count(),
    )


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
    """Remove the pupil, every record and event about them, their files, and their
    traces elsewhere (research.erasure): admin log entries, login records, stored
    answers that mention them, and their name in the school's texts. Planbord places
    they held are freed. What stays is one event and one audit record that a pupil of
    the group was erased, without anything that refers to them. After commit: the
    files go and SQLite's WAL is checkpointed (the deleted bytes are overwritten)."""
    using = router.db_for_write(Pupil)
    if connections[using].vendor == "sqlite":
        # Set for every connection in config/settings.py; this one must have it.
        with connections[using].cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")
    group = pupil.group
    school = group.school
    scrub = names.for_pupil(pupil)
    for plan in Plan.objects.filter(pupil=pupil).select_related("slot__activity", "board"):
        planboard_actions.unplan(plan_obj=plan, acting_user=acting_user)
    files = []
    for photo in [*Photo.objects.filter(pupil=pupil), *PlanPhoto.objects.filter(pupil=pupil)]:
        files += [(photo.image.storage, photo.image.name)]
        files += [(photo.thumbnail.storage, photo.thumbnail.name)]
    if pupil.photo:
        files.append((pupil.photo.storage, pupil.photo.name))
    user = pupil.user
    pupil_id, user_id = pupil.pk, user.pk
    # Dashboards of lessons the pupil took part in lose a row: they hear it (no pupil
    # named: the row is gone) and reload their snapshot.
    lessons = set(LogbookEntry.objects.filter(pupil=pupil).values_list("lesson_id", flat=True))
    UsageEvent.objects.filter(pupil=pupil).delete()
    UsageEvent.objects.filter(actor=user).delete()
    erasure.forget_stored_answers(school, pupil_id, user_id, scrub)
    erasure.forget_sessions(pupil_id, user_id, scrub)
    erasure.forget_logins(user.get_username(), pupil.login_token)
    erasure.forget_references(erasure.doomed_objects(user))
    user.delete()  # cascades to the pupil and everything that belongs to them
    erasure.scrub_admin_log(school, scrub)
    erasure.scrub_texts(school, scrub)
    for lesson_id in sorted(lessons):
        lesson_changed(lesson_id)
    usage.record("pupil_erased", actor=acting_user, group=group)
    audit.record("pupil_erased", actor=acting_user, school=school, group=group, files=len(files))

    def remove_files():
        _delete_files(files)
        erasure.overwrite_deleted_bytes(using)

    transaction.on_commit(remove_files, using=using)


def _delete_files(files) -> None:
    for storage, name in files:
        if name:
            storage.delete(name)


def apply_retention(now=None) -> dict[str, int]:
    """Delete what is past its retention (research/retention.py); return how many of each
    kind went. Each leaver is erased in a transaction of their own (`erase_pupil`); the
    rest in one. The audit log records counts per school (after its own purge, so the
    record of this run stays); files go after commit."""
    now = now or timezone.now()
    found = retention.due(now)
    result = dict.fromkeys(retention.KINDS, 0)
    per_school: dict = {}

    def count(school, kind):
        removed = per_school.setdefault(school, {})
        removed[kind] = removed.get(kind, 0) + 1

    for pupil in list(found["leavers"]):
        school = pupil.group.school
        erase_pupil(pupil, acting_user=None)
        result["leavers"] += 1
        count(school, "leavers")
    with transaction.atomic():
        lessons, boards = found["past_years"]
        lessons = list(lessons.select_related("group__school"))
        boards = list(boards.select_related("group__school"))
        photos = PlanPhoto.objects.filter(board__in=boards)
        files = [(p.image.storage, p.image.name) for p in photos] + [
            (p.thumbnail.storage, p.thumbnail.name) for p in photos
        ]
        for row in [*lessons, *boards]:
            count(row.group.school, "past_years")
        result["past_years"] = len(lessons) + len(boards)
        Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).delete()
        Board.objects.filter(pk__in=[board.pk for board in boards]).delete()
        events = found["usage_events"]
        result["usage_events"] = events.delete()[1].get(UsageEvent._meta.label, 0)
        records = found["audit_log"]
        result["audit_log"] = records.delete()[1].get(AuditRecord._meta.label, 0)
        for school, removed in per_school.items():
            audit.record("retention_applied", actor=None, school=school, **removed)
        transaction.on_commit(lambda: _delete_files(files))
    return result
