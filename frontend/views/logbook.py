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
from classroom.models import Lesson, Openness
from classroom.permissions import get_permitted_or_404, get_readable_or_404, pupil_of
from goals.models import SelfAssessment
from logbook import dashboard, entries
from logbook.models import FirstStep, HelpReason, InstructionReason, LogbookEntry, Mood, Photo
from logbook.voice import reactions_for_lesson

from ..access import pupil_required, staff_required
from ..forms import LessonSettingsForm
from ..quadrant_svg import quadrant_dots, trajectory_dots


def _phase(lesson: Lesson) -> str:
    """Where the pupil's logbook is: `waiting` (not started), `entry` (the lesson runs:
    choices open), `evaluate` (ended: choices locked, the evaluation open) or `closed`."""
    if lesson.started_at is None:
        return "waiting"
    if lesson.is_running:
        return "entry"
    return "evaluate" if lesson.evaluation_open else "closed"


def _saved_levels(pupil, entry, goals) -> dict:
    """Per chosen goal, the level the pupil gave it in this evaluation (with its
    descriptor), so the page shows what was saved."""
    if entry is None or entry.evaluated_at is None or not goals:
        return {}
    levels = {}
    marks = SelfAssessment.objects.filter(
        pupil=pupil, goal__in=goals, created_at__lte=entry.evaluated_at
    ).order_by("created_at", "pk")
    for mark in marks:
        levels[mark.goal_id] = mark.level
    result = {}
    for goal in goals:
        level = next((lv for lv in goal.levels.all() if lv.position == levels.get(goal.pk)), None)
        if level is not None:
            result[goal.pk] = level
    return result


# A picture per reason, so a kleuter asks without reading.
HELP_ICONS = {
    "dont_understand": "icons/reason-dont_understand.svg",
    "done": "icons/yes.svg",
    "missing": "icons/reason-other.svg",
}


@pupil_required
def pupil_logbook(request, lesson_id: int):
    """One step per screen (logbook.js); the same page, fetched again, is how the page
    follows the server after a save or a live change, without a reload."""
    pupil = pupil_of(request.user)
    lesson = get_readable_or_404(request.user, Lesson, pk=lesson_id)
    phase = _phase(lesson)
    entry = LogbookEntry.objects.filter(pupil=pupil, lesson=lesson).select_related("place").first()
    chosen_goals, partners = [], []
    if entry is not None:
        chosen_goals = list(entry.goals.prefetch_related("levels"))
        partners = list(entry.partners.all())
    elif phase != "waiting":
        # Opening the page writes nothing: it shows the teacher's fixed decisions, and the
        # pupil's first choice or evaluation makes the entry (entries._locked_entry).
        entry, chosen_goals = entries.draft_entry(pupil, lesson)
        prefetch_related_objects(chosen_goals, "levels")
    offers = {aspect: entries.offer(lesson, pupil, aspect) for aspect in entries.ENTRY_ASPECTS}
    saved_levels = _saved_levels(pupil, entry, chosen_goals)
    # The evaluation can ask about every goal the pupil may choose: logbook.js shows the
    # ones chosen as they are tapped, so it never waits for a fetch.
    chosen_ids = {g.pk for g in chosen_goals}
    more = [g for g in offers["goal"].options if g.pk not in chosen_ids]
    prefetch_related_objects(more, "levels")
    eval_goals = chosen_goals + more
    return render(
        request,
        "pupil/logbook.html",
        {
            "pupil": pupil,
            "lesson": lesson,
            "phase": phase,
            "entry": entry,
            "offers": offers,
            "ask_order": lesson.order_openness != Openness.FIXED,
            "chosen_goal_ids": chosen_ids,
            "eval_goals": eval_goals,
            "chosen_goals": chosen_goals,
            "partners": partners,
            "partner_ids": {p.pk for p in partners},
            "reasons": InstructionReason.choices,
            "help_reasons": [(key, label, HELP_ICONS[key]) for key, label in HelpReason.choices],
            "moods": Mood.choices,
            "first_steps": FirstStep.choices,
            "saved_levels": [(g, saved_levels[g.pk]) for g in chosen_goals if g.pk in saved_levels],
            "photos": list(Photo.objects.filter(pupil=pupil, lesson=lesson).order_by("created_at")),
            # What the teacher answered to the reflection and its photos (live: the
            # teacher's reaction sends entry.changed, and the page fetches this again).
            "reactions": reactions_for_lesson(pupil, lesson)
            if entry and entry.evaluated_at
            else [],
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
            "pupil_total": len(snapshot["pupils"]),
            "evaluated": sum(1 for row in snapshot["pupils"] if row["state"] == "evaluated"),
        },
    )


@staff_required
def lesson_digibord(request, lesson_id: int):
    """The lesson on the class screen: big, from across the room, no names (the pupils'
    pictures of the instruction group only with ?fotos=1). Live (lesson-digibord.js)."""
    lesson = _managed_lesson(request, lesson_id, "view_dashboard")
    view = dashboard.class_view(lesson)
    position = view["position"]
    return render(
        request,
        "teacher/lesson_digibord.html",
        {
            "lesson": lesson,
            "view": view,
            "position": position,
            # The lesson's two dots only: a pupil's dot beside the class is a mark.
            "dots": quadrant_dots(position, {}) | {"pupils": []},
            "pictures": request.GET.get("fotos") == "1",
        },
    )


@require_POST
@staff_required
def lesson_control(request, lesson_id: int, command: str):
    if command not in ("start", "stop", "close-evaluation"):
        raise Http404
    lesson = _managed_lesson(request, lesson_id, "run")
    try:
        if command == "start":
            classroom_actions.start_lesson(lesson, acting_user=request.user)
            messages.success(
                request, _("The lesson has started. Pupils can fill in their logbook.")
            )
        elif command == "stop":
            classroom_actions.end_lesson(lesson, acting_user=request.user)
            messages.success(request, _("The lesson has ended. Pupils can now say how it went."))
        else:
            classroom_actions.close_evaluation(lesson, acting_user=request.user)
            messages.success(request, _("The evaluation is closed."))
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
