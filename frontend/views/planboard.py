"""Planbord pages: the child's board, the teacher's day board, the digibord, history."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Group, Pupil
from classroom.permissions import (
    get_changeable_or_404,
    get_readable_or_404,
    pupil_of,
    require,
)
from planboard import actions
from planboard.models import Activity, Board, Plan, Slot

from ..access import pupil_required, staff_required


def todays_board(group: Group) -> Board | None:
    """Today's board with activities (the whole day's, else the first part's)."""
    boards = list(
        Board.objects.filter(group=group, date=timezone.localdate(), slots__isnull=False)
        .distinct()
        .order_by("part")
    )
    return next((b for b in boards if b.part == "day"), boards[0] if boards else None)


@pupil_required
def pupil_board(request):
    pupil = pupil_of(request.user)
    return render(
        request, "pupil/planboard.html", {"pupil": pupil, "board": todays_board(pupil.group)}
    )


def _day(request) -> date:
    value = request.GET.get("datum") or request.POST.get("datum")
    day = parse_date(value) if value else None
    return day or timezone.localdate()


def _managed_group(request, group_id: int) -> Group:
    return get_changeable_or_404(request.user, Group, pk=group_id)


@staff_required
def teacher_board(request, group_id: int):
    group = _managed_group(request, group_id)
    day = _day(request)
    board = Board.objects.filter(group=group, date=day, part="day").first()
    slots = (
        list(board.slots.select_related("activity").prefetch_related("plans__pupil"))
        if board
        else []
    )
    on = {slot.activity_id: slot for slot in slots}
    pupils = list(group.pupils.filter(active=True).order_by("display_name"))
    plans = {}
    if board:
        for plan in Plan.objects.filter(board=board).select_related("slot__activity"):
            plans.setdefault(plan.pupil_id, []).append(plan)
    previous = (
        Board.objects.filter(group=group, date__lt=day, slots__isnull=False)
        .order_by("-date")
        .first()
    )
    return render(
        request,
        "teacher/planboard.html",
        {
            "group": group,
            "day": day,
            "board": board,
            "slots": slots,
            "activities": [(a, on.get(a.pk)) for a in group.activities.filter(active=True)],
            "rows": [(p, plans.get(p.pk, [])) for p in pupils],
            "not_chosen": [p for p in pupils if p.pk not in plans],
            "finished": [p for p in pupils if plans.get(p.pk) and all(x.done for x in plans[p.pk])],
            "previous": previous,
        },
    )


@require_POST
@staff_required
def teacher_board_change(request, group_id: int):
    """Compose the day: switch activities, make moetjes, reuse the last board, move."""
    group = _managed_group(request, group_id)
    day = _day(request)
    back = reverse("frontend:teacher-planboard", args=[group.pk]) + f"?datum={day:%Y-%m-%d}"
    command = request.POST.get("command")
    if command not in ("slot", "reuse", "move"):
        raise Http404
    # The day's board is made only for a command that composes it, and in the same
    # transaction: a refused change leaves no empty board behind.
    try:
        with transaction.atomic():
            _change_board(request, group, day, command)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


def _change_board(request, group, day, command: str) -> None:
    if command == "move":
        board = get_readable_or_404(request.user, Board, group=group, date=day, part="day")
    else:
        board = actions.board_for(group, day)
    if command == "slot":
        activity = get_readable_or_404(request.user, Activity, pk=request.POST.get("activity"))
        actions.set_slot(
            board,
            activity,
            on=request.POST.get("on") == "1",
            compulsory=request.POST.get("compulsory") == "1",
        )
    elif command == "reuse":
        source = get_readable_or_404(request.user, Board, pk=request.POST.get("source"))
        actions.reuse_board(source, board)
    elif command == "move":
        plan = get_readable_or_404(request.user, Plan, pk=request.POST.get("plan"), board=board)
        require(request.user, "move_child", plan)
        slot = get_readable_or_404(request.user, Slot, pk=request.POST.get("slot"), board=board)
        actions.move(acting_user=request.user, plan_obj=plan, to_slot=slot)
        messages.success(
            request,
            _("%(name)s now goes to %(activity)s.")
            % {"name": plan.pupil.display_name, "activity": slot.activity.name},
        )


@staff_required
def digibord(request, board_id: int):
    """The class screen: the board, children as pictures, no names."""
    board = get_changeable_or_404(request.user, Board.objects.select_related("group"), pk=board_id)
    return render(request, "planboard/digibord.html", {"board": board})


@staff_required
def pupil_week(request, pupil_id: int):
    """Per child: the week's corners and the goals they practise."""
    pupil = get_changeable_or_404(request.user, Pupil, pk=pupil_id)
    since = timezone.localdate() - timedelta(days=6)
    plans = (
        Plan.objects.filter(pupil=pupil, board__date__gte=since)
        .select_related("board", "slot__activity")
        .prefetch_related("slot__activity__goals")
        .order_by("-board__date", "position")
    )
    return render(request, "teacher/planboard_week.html", {"pupil": pupil, "plans": plans})
