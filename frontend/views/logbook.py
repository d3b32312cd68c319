"""Rekenlogboek pages: the pupil's entry for a running lesson, the teacher's lesson page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import actions as classroom_actions
from classroom.models import Lesson, Pupil
from classroom.permissions import actor_for, get_readable_or_404, require_change
from goals.booklet import current_block
from logbook import entries
from logbook.models import InstructionReason, LogbookEntry, Mood

from ..access import pupil_required, staff_required


@pupil_required
def pupil_logbook(request, lesson_id: int):
    pupil = actor_for(request.user).pupil
    lesson = get_readable_or_404(request.user, Lesson, pk=lesson_id)
    entry = LogbookEntry.objects.filter(pupil=pupil, lesson=lesson).first()
    if entry is None and lesson.is_running:
        entry = entries.entry_for(pupil, lesson)
    offers = {aspect: entries.offer(lesson, pupil, aspect) for aspect in entries.ENTRY_ASPECTS}
    chosen_goals = list(entry.goals.prefetch_related("levels")) if entry else []
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
            "partner_ids": set(entry.partners.values_list("pk", flat=True)) if entry else set(),
            "reasons": InstructionReason.choices,
            "moods": Mood.choices,
        },
    )


def _managed_lesson(request, lesson_id: int) -> Lesson:
    lesson = get_readable_or_404(request.user, Lesson.objects.select_related("group"), pk=lesson_id)
    require_change(request.user, lesson)
    return lesson


@staff_required
def lesson_page(request, lesson_id: int):
    lesson = _managed_lesson(request, lesson_id)
    pupils = list(lesson.group.pupils.filter(active=True).order_by("display_name"))
    by_pupil = {
        e.pupil_id: e
        for e in LogbookEntry.objects.filter(lesson=lesson)
        .select_related("place")
        .prefetch_related("goals", "partners")
    }
    # The teacher may set any goal of the group's current block (or the lesson's options).
    block = current_block(lesson.group)
    group_goals = list(block.goals.all()) if block else list(lesson.goal_options.all())
    position = entries.lesson_position(lesson)
    return render(
        request,
        "teacher/lesson.html",
        {
            "position": position,
            "dots": _dots(position),
            "lesson": lesson,
            "rows": [(p, by_pupil.get(p.pk)) for p in pupils],
            "places": lesson.group.places.all(),
            "goals": group_goals,
            "pupils": pupils,
        },
    )


def _dots(position) -> dict:
    """SVG coordinates (a 270 px square from (40, 10)) and rounded percentages."""

    def x(belang):
        return round(40 + 270 * float(belang or 0), 1)

    def y(regie):
        return round(280 - 270 * float(regie or 0), 1)

    enacted = position.enacted
    return {
        "intended_x": x(position.intended_belang),
        "intended_y": y(position.intended_regie),
        "enacted_x": x(enacted.belang),
        "enacted_y": y(enacted.regie),
        "intended_regie_pct": round(position.intended_regie * 100),
        "intended_belang_pct": round(position.intended_belang * 100),
        "enacted_regie_pct": round((enacted.regie or 0) * 100),
        "enacted_belang_pct": round((enacted.belang or 0) * 100),
    }


@require_POST
@staff_required
def lesson_control(request, lesson_id: int, command: str):
    if command not in ("start", "stop"):
        raise Http404
    lesson = _managed_lesson(request, lesson_id)
    try:
        if command == "start":
            classroom_actions.start_lesson(lesson, teacher=request.user)
            messages.success(
                request, _("The lesson has started. Pupils can fill in their logbook.")
            )
        else:
            classroom_actions.end_lesson(lesson, teacher=request.user)
            messages.success(request, _("The lesson has ended."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("frontend:lesson", lesson_id=lesson.pk)


@require_POST
@staff_required
def lesson_override(request, lesson_id: int, pupil_id: int):
    """The teacher's override form: each aspect filled in is decided for this pupil."""
    lesson = _managed_lesson(request, lesson_id)
    pupil = get_readable_or_404(request.user, Pupil, pk=pupil_id, group=lesson.group)
    aspect = request.POST.get("aspect", "")
    try:
        if aspect == "instruction":
            value = {"wanted": request.POST.get("value") == "yes"}
        elif aspect == "place":
            raw = request.POST.get("value", "")
            if not raw.isdigit():
                raise ValidationError(_("You cannot choose that place in this lesson."))
            value = int(raw)
        elif aspect in ("goal", "partner"):
            value = [int(v) for v in request.POST.getlist("value") if v.isdigit()]
        else:
            raise ValidationError(_("Unknown choice."))
        entries.override(
            teacher=request.user, pupil=pupil, lesson=lesson, aspect=aspect, value=value
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Changed for %(name)s.") % {"name": pupil.display_name})
    return redirect(reverse("frontend:lesson", args=[lesson.pk]) + f"#pupil-{pupil.pk}")
