"""Lessons: settings and options, start and end."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import usage
from ..models import (
    ASPECTS,
    Differentiation,
    Group,
    Lesson,
    Openness,
    Subject,
)
from ..realtime.groups import class_group
from ..realtime.publish import lesson_changed, send_on_commit

LESSON_FIELDS = {"subject", "date", "title", "differentiation", "fixed_instruction"} | {
    f"{aspect}_openness" for aspect in ASPECTS
}


def _validate_lesson(lesson: Lesson) -> None:
    if not lesson.title.strip():
        raise ValidationError(_("A lesson needs a title."))
    if lesson.subject not in Subject.values:
        raise ValidationError(_("Unknown subject: %(subject)s") % {"subject": lesson.subject})
    if lesson.differentiation not in Differentiation.values:
        raise ValidationError(_("Unknown differentiation setting."))
    for aspect in ASPECTS:
        if lesson.openness(aspect) not in Openness.values:
            raise ValidationError(
                _("Openness of %(aspect)s must be fixed, choice or free.") % {"aspect": aspect}
            )


def create_lesson(*, group: Group, **settings) -> Lesson:
    """A new lesson; `settings` as for `configure_lesson` (fields and options)."""
    fields, options = _split_settings(settings)
    unknown = set(fields) - LESSON_FIELDS
    if unknown:
        raise ValidationError(_("Unknown lesson fields: %(fields)s") % {"fields": unknown})
    fields.setdefault("date", timezone.localdate())
    fields.setdefault("subject", Subject.MATH)
    lesson = Lesson(group=group, **fields)
    lesson.title = lesson.title.strip()
    _validate_lesson(lesson)
    with transaction.atomic():
        lesson.save()
        _set_options(lesson, options)
    return lesson


# The options a lesson offers for `choice` aspects (and the decision for `fixed` ones), by
# name: a setter (lesson, list) that validates and stores, sending nothing, and a getter
# (lesson) -> list for copying. Classroom's own are the places; apps above register theirs
# at ready() (goals: "goals").
LESSON_OPTIONS: dict[str, Callable[[Lesson, list], None]] = {}
LESSON_OPTION_GETTERS: dict[str, Callable[[Lesson], list]] = {}


def register_lesson_option(
    name: str, setter: Callable[[Lesson, list], None], getter: Callable[[Lesson], list]
) -> None:
    LESSON_OPTIONS[name] = setter
    LESSON_OPTION_GETTERS[name] = getter


def _set_place_options(lesson: Lesson, places: list) -> None:
    if any(place.group_id != lesson.group_id for place in places):
        raise ValidationError(_("A place option must be one of this group's places."))
    lesson.place_options.set(places)


register_lesson_option(
    "places", _set_place_options, lambda lesson: list(lesson.place_options.all())
)


def _split_settings(settings: dict) -> tuple[dict, dict]:
    options = {k: v for k, v in settings.items() if k in LESSON_OPTIONS}
    fields = {k: v for k, v in settings.items() if k not in LESSON_OPTIONS}
    return fields, options


def _set_options(lesson: Lesson, options: dict) -> None:
    for name, values in options.items():
        if values is not None:
            LESSON_OPTIONS[name](lesson, list(values))


@transaction.atomic
def configure_lesson(lesson: Lesson, **settings) -> Lesson:
    """One save of a lesson's settings: fields (openness per aspect, differentiation, the
    fixed instruction, title, date, subject) and options (`places=[...]`, `goals=[...]`;
    None leaves an option as it is). All or nothing. Sends: one `lesson.changed` when
    anything was given."""
    fields, options = _split_settings(settings)
    unknown = set(fields) - LESSON_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    for key, value in fields.items():
        setattr(lesson, key, value.strip() if isinstance(value, str) else value)
    _validate_lesson(lesson)
    if fields:
        lesson.save()
    _set_options(lesson, options)
    if fields or any(v is not None for v in options.values()):
        lesson_changed(lesson.pk)
    return lesson


def lesson_settings(lesson: Lesson) -> dict:
    """Everything `create_lesson` needs to make the same lesson again: its fields and
    every option (a copy for another date, "zoals vorige les")."""
    fields = {name: getattr(lesson, name) for name in LESSON_FIELDS}
    options = {name: getter(lesson) for name, getter in LESSON_OPTION_GETTERS.items()}
    return fields | options


def copy_lesson(lesson: Lesson, *, date) -> Lesson:
    """The same lesson (title, subject, openness, differentiation, options) on `date`,
    not started. Sends nothing: nobody sees a lesson before it starts."""
    return create_lesson(group=lesson.group, **(lesson_settings(lesson) | {"date": date}))


@transaction.atomic
def delete_lesson(lesson: Lesson) -> None:
    """Only a lesson that never started: one that did holds the pupils' logbooks."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.started_at is not None:
        raise ValidationError(
            _("This lesson has been given: it keeps the pupils' logbooks and cannot be deleted.")
        )
    lesson.delete()


@transaction.atomic
def start_lesson(lesson: Lesson, *, acting_user) -> Lesson:
    """Pupils can now fill in their logbook. Sends: usage event `lesson_started`;
    `lesson.changed`; `lessons.changed` to the class."""
    if lesson.is_running:
        return lesson
    lesson.started_at = timezone.now()
    lesson.ended_at = None
    lesson.evaluation_closed_at = None
    lesson.save(update_fields=["started_at", "ended_at", "evaluation_closed_at"])
    usage.record("lesson_started", actor=acting_user, obj=lesson, group=lesson.group, lesson=lesson)
    _announce(lesson)
    return lesson


@transaction.atomic
def end_lesson(lesson: Lesson, *, acting_user) -> Lesson:
    """Choices close; evaluations stay possible. Sends: usage event `lesson_ended`;
    `lesson.changed`; `lessons.changed` to the class."""
    if not lesson.is_running:
        raise ValidationError(_("This lesson is not running."))
    lesson.ended_at = timezone.now()
    lesson.save(update_fields=["ended_at"])
    usage.record("lesson_ended", actor=acting_user, obj=lesson, group=lesson.group, lesson=lesson)
    _announce(lesson)
    return lesson


@transaction.atomic
def close_evaluation(lesson: Lesson, *, acting_user) -> Lesson:
    """After the lesson: pupils can no longer evaluate it (until it starts again; the
    evaluation also closes by itself when the lesson's day is over). Sends: usage event
    `lesson_evaluation_closed`; `lesson.changed`; `lessons.changed` to the class."""
    if lesson.is_running:
        raise ValidationError(_("End the lesson first."))
    if lesson.started_at is None or lesson.evaluation_closed_at is not None:
        return lesson
    lesson.evaluation_closed_at = timezone.now()
    lesson.save(update_fields=["evaluation_closed_at"])
    usage.record(
        "lesson_evaluation_closed", actor=acting_user, obj=lesson, group=lesson.group, lesson=lesson
    )
    _announce(lesson)
    return lesson


def _announce(lesson: Lesson) -> None:
    """Dashboards and the class's screens (pupils' homes and logbooks) hear that it
    started, ended or closed its evaluation."""
    lesson_changed(lesson.pk)
    send_on_commit(
        class_group(lesson.group_id),
        {
            "type": "lessons.changed",
            "lesson": lesson.pk,
            "running": lesson.is_running,
            "evaluating": lesson.evaluation_open and not lesson.is_running,
        },
    )
