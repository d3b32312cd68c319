"""Preparing lessons in the app: a new lesson, a copy for another date, editing and
deleting one that has not started. The live lesson itself is logbook.lesson_page."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import actions
from classroom.models import ASPECTS, Group, Lesson, Subject
from classroom.permissions import get_permitted_or_404, get_readable_or_404, require_create

from ..access import staff_required
from ..forms import LAST_SCHOOL_DAY, PRESETS, LessonForm, positive_int, school_day


def _lesson(request, lesson_id: int) -> Lesson:
    return get_permitted_or_404(
        request.user, "change", Lesson.objects.select_related("group"), pk=lesson_id
    )


def _previous_settings(group: Group, before: Lesson | None = None) -> dict | None:
    """The openness, differentiation and options of the group's latest other lesson, for
    the "zoals vorige les" preset; None when the group has no lesson yet."""
    lessons = group.lessons.order_by("-date", "-created_at")
    if before is not None and before.pk is not None:
        lessons = lessons.exclude(pk=before.pk)
    previous = lessons.first()
    if previous is None:
        return None
    settings = actions.lesson_settings(previous)
    fixed = settings["fixed_instruction"]
    return {
        "title": previous.title,
        "openness": {aspect: settings[f"{aspect}_openness"] for aspect in ASPECTS},
        "differentiation": settings["differentiation"],
        "fixed_instruction": {True: "yes", False: "no", None: ""}[fixed],
        "goal_options": [str(goal.pk) for goal in settings["goals"]],
        "place_options": [str(place.pk) for place in settings["places"]],
    }


def _form_page(request, lesson: Lesson, *, heading: str, done: str, options=None):
    """The lesson form: shown (a copy's options filled in), or saved and back to the
    group's day; a bad form comes back with its errors and everything typed."""
    if request.method == "POST":
        form = LessonForm(request.POST, lesson=lesson)
        if form.is_valid():
            try:
                saved = form.save()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                date = date_format(saved.date, "l j F")
                messages.success(request, done % {"title": saved.title, "date": date})
                return redirect("frontend:group", group_id=saved.group_id)
    else:
        form = LessonForm(lesson=lesson, options=options)
    return render(
        request,
        "teacher/lesson_form.html",
        {
            "form": form,
            "group": lesson.group,
            "lesson": lesson,
            "heading": heading,
            "presets": {"presets": PRESETS, "previous": _previous_settings(lesson.group, lesson)},
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _copied_lesson(request, group: Group) -> Lesson | None:
    """The lesson named by `?van=`, one of this group's that the user may read."""
    value = positive_int(request.GET.get("van"))
    if value is None:
        return None
    return get_readable_or_404(request.user, Lesson.objects.filter(group=group), pk=value)


def _date_param(request):
    """`?datum=YYYY-MM-DD` (a day picked on the group page), else today."""
    return school_day(request.GET.get("datum", "")) or timezone.localdate()


@staff_required
def new_lesson(request, group_id: int):
    """A new lesson for the group; `?van=<lesson>` starts from a copy of that lesson (for
    another date), `?datum=` sets the date."""
    group = get_readable_or_404(request.user, Group.objects.select_related("school"), pk=group_id)
    require_create(request.user, Lesson, group)
    source = _copied_lesson(request, group)
    options = None
    lesson = Lesson(group=group, date=_date_param(request), subject=Subject.MATH)
    if source is not None:
        settings = actions.lesson_settings(source)
        options = {"goals": settings.pop("goals"), "places": settings.pop("places")}
        # The copy's date: as asked, else a week later (or today when that has passed).
        if "datum" not in request.GET:
            # (A lesson from before dates were checked may lie at the calendar's end.)
            week_later = min(source.date, LAST_SCHOOL_DAY - timedelta(days=7)) + timedelta(days=7)
            settings["date"] = max(week_later, timezone.localdate())
        else:
            settings["date"] = lesson.date
        lesson = Lesson(group=group, **settings)
    heading = _("Copy of “%(title)s”") % {"title": source.title} if source else _("New lesson")
    return _form_page(
        request,
        lesson,
        heading=heading,
        done=_("The lesson “%(title)s” is planned for %(date)s."),
        options=options,
    )


@staff_required
def edit_lesson(request, lesson_id: int):
    """Everything about a lesson that has not started; once it runs, its dashboard's
    settings panel is the place (title and date are then history)."""
    lesson = _lesson(request, lesson_id)
    if lesson.started_at is not None:
        messages.info(request, _("This lesson has started: change its settings on the dashboard."))
        return redirect("frontend:lesson", lesson_id=lesson.pk)
    return _form_page(
        request,
        lesson,
        heading=_("Edit lesson"),
        done=_("The lesson “%(title)s” on %(date)s is saved."),
    )


@require_POST
@staff_required
def delete_lesson(request, lesson_id: int):
    lesson = _lesson(request, lesson_id)
    try:
        actions.delete_lesson(lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("frontend:lesson", lesson_id=lesson.pk)
    messages.success(request, _("The lesson “%(title)s” is deleted.") % {"title": lesson.title})
    return redirect("frontend:group", group_id=lesson.group_id)
