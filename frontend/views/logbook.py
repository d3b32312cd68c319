"""Rekenlogboek pages: the pupil's entry for a running lesson, the teacher's lesson page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import actions as classroom_actions
from classroom.models import Lesson
from classroom.permissions import get_permitted_or_404, get_readable_or_404, pupil_of
from logbook import dashboard, entries
from logbook.models import InstructionReason, LogbookEntry, Mood

from ..access import pupil_required, staff_required
from ..forms import LessonSettingsForm
from ..quadrant_svg import quadrant_dots, trajectory_dots


@pupil_required
def pupil_logbook(request, lesson_id: int):
    pupil = pupil_of(request.user)
    lesson = get_readable_or_404(request.user, Lesson, pk=lesson_id)
    entry = LogbookEntry.objects.filter(pupil=pupil, lesson=lesson).first()
    chosen_goals, partners = [], []
    if entry is not None:
        chosen_goals = list(entry.goals.prefetch_related("levels"))
        partners = list(entry.partners.all())
    elif lesson.is_running:
        # Opening the page writes nothing: it shows the teacher's fixed decisions, and the
        # pupil's first choice or evaluation makes the entry (entries._locked_entry).
        entry, chosen_goals = entries.draft_entry(pupil, lesson)
        prefetch_related_objects(chosen_goals, "levels")
    offers = {aspect: entries.offer(lesson, pupil, aspect) for aspect in entries.ENTRY_ASPECTS}
    return render(
        request,
        "pupil/logbook.html",
        {
            "pupil": pupil,
            "lesson": lesson,
            "entry": entry,
            "offers": offers,
            "chosen_goal_ids": {g.pk for g in chosen_goals},
            "chosen_goals": chosen_goals,
            "partners": partners,
            "partner_ids": {p.pk for p in partners},
            "reasons": InstructionReason.choices,
            "moods": Mood.choices,
        },
    )


def _managed_lesson(request, lesson_id: int, operation: str) -> Lesson:
    return get_permitted_or_404(
        request.user, operation, Lesson.objects.select_related("group"), pk=lesson_id
    )


@staff_required
def lesson_page(request, lesson_id: int):
    """The live dashboard. Its grid is drawn by dashboard.js from the snapshot embedded
    here (and reloaded on every reconnect); the quadrant and the settings are HTML."""
    lesson = _managed_lesson(request, lesson_id, "view_dashboard")
    snapshot = dashboard.snapshot(lesson)
    position = dashboard.lesson_position(lesson)
    names = {row["pupil"]: row["name"] for row in snapshot["pupils"]}
    return render(
        request,
        "teacher/lesson.html",
        {
            "lesson": lesson,
            "snapshot": snapshot,
            "position": position,
            "dots": quadrant_dots(position, names),
            "settings_form": LessonSettingsForm(lesson=lesson),
            "trajectory": trajectory_dots(dashboard.trajectory(lesson.group), current=lesson),
        },
    )


@require_POST
@staff_required
def lesson_control(request, lesson_id: int, command: str):
    if command not in ("start", "stop"):
        raise Http404
    lesson = _managed_lesson(request, lesson_id, "run")
    try:
        if command == "start":
            classroom_actions.start_lesson(lesson, acting_user=request.user)
            messages.success(
                request, _("The lesson has started. Pupils can fill in their logbook.")
            )
        else:
            classroom_actions.end_lesson(lesson, acting_user=request.user)
            messages.success(request, _("The lesson has ended."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("frontend:lesson", lesson_id=lesson.pk)


@require_POST
@staff_required
def lesson_settings(request, lesson_id: int):
    """Openness per aspect, the options, and differentiation, in one form."""
    lesson = _managed_lesson(request, lesson_id, "change")
    form = LessonSettingsForm(request.POST, lesson=lesson)
    if form.is_valid():
        try:
            form.save()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The lesson settings are saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("frontend:lesson", args=[lesson.pk]) + "#settings")
