"""Planbord pages: the child's board, the teacher's day board, the digibord, history."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
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
from planboard.api import picture_url
from planboard.models import Activity, Board, Plan, PlanPhoto, Slot

from ..access import pupil_required, staff_required
from ..forms import positive_int, school_day


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
    board = todays_board(pupil.group)
    photos = (
        PlanPhoto.objects.filter(pupil=pupil, board=board).select_related("activity")
        if board
        else []
    )
    return render(
        request, "pupil/planboard.html", {"pupil": pupil, "board": board, "photos": photos}
    )


def _jpeg(file) -> FileResponse:
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    # Children's photos and the class's corners: never in a shared cache.
    response["Cache-Control"] = "private, max-age=86400"
    return response


def plan_photo(request, photo_id: int):
    """A kleuter's photo of their work: the child and the group's teachers."""
    return _jpeg(get_readable_or_404(request.user, PlanPhoto, pk=photo_id).image)


def plan_photo_thumbnail(request, photo_id: int):
    return _jpeg(get_readable_or_404(request.user, PlanPhoto, pk=photo_id).thumbnail)


def corner_photo(request, activity_id: int):
    """The teacher's photo of a corner: whoever may read the activity (the group)."""
    activity = get_readable_or_404(request.user, Activity, pk=activity_id)
    if not activity.photo:
        raise Http404
    return _jpeg(activity.photo)


@require_POST
@staff_required
def corner_photo_change(request, activity_id: int):
    """The teacher puts a photo of their own corner on its tiles, or takes it off."""
    activity = get_changeable_or_404(request.user, Activity, pk=activity_id)
    back = reverse("frontend:teacher-planboard", args=[activity.group_id])
    upload = request.FILES.get("photo")
    try:
        actions.set_activity_photo(activity, upload if request.POST.get("remove") != "1" else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved"))
    day = school_day(request.POST.get("datum"))
    return redirect(back + (f"?datum={day:%Y-%m-%d}" if day else ""))


def _day(request) -> date:
    return school_day(request.GET.get("datum") or request.POST.get("datum")) or timezone.localdate()


def _week(group: Group, day: date) -> list[dict]:
    """Monday to Friday of `day`'s week, with how many activities each day's board has."""
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    counts = {
        board.date: board.count
        for board in Board.objects.filter(group=group, date__in=days, part="day").annotate(
            count=Count("slots")
        )
    }
    return [{"date": d, "count": counts.get(d, 0), "current": d == day} for d in days]


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
    photos = {}
    if board:
        for plan in Plan.objects.filter(board=board).select_related("slot__activity"):
            plans.setdefault(plan.pupil_id, []).append(plan)
        for photo in PlanPhoto.objects.filter(board=board):
            photos.setdefault((photo.pupil_id, photo.activity_id), []).append(photo)
        for items in plans.values():
            for plan in items:
                plan.photos = photos.get((plan.pupil_id, plan.slot.activity_id), [])
    # A moetje with fewer seats than children: they take turns (a full moetje is "later").
    turns = [
        (slot, len(pupils)) for slot in slots if slot.compulsory and slot.capacity < len(pupils)
    ]
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
            "activities": [
                (a, on.get(a.pk), picture_url(a)) for a in group.activities.filter(active=True)
            ],
            "turns": turns,
            "rows": [(p, plans.get(p.pk, [])) for p in pupils],
            "not_chosen": [p for p in pupils if p.pk not in plans],
            "finished": [p for p in pupils if plans.get(p.pk) and all(x.done for x in plans[p.pk])],
            "previous": previous,
            "week": _week(group, day),
            "yesterday": day - timedelta(days=1),
            "tomorrow": day + timedelta(days=1),
            "next_school_day": day + timedelta(days=3 if day.weekday() == 4 else 1),
            "free_slots": [slot for slot in slots if not slot.is_full or slot.compulsory],
        },
    )


@require_POST
@staff_required
def teacher_board_change(request, group_id: int):
    """Compose the day: switch activities, make moetjes, reuse the last board, move."""
    group = _managed_group(request, group_id)
    if request.POST.get("datum") and school_day(request.POST["datum"]) is None:
        # A change for a day that is not on the calendar is not made on another day.
        messages.error(request, _("That is not a day on the calendar."))
        return redirect("frontend:teacher-planboard", group_id=group.pk)
    day = _day(request)
    back = reverse("frontend:teacher-planboard", args=[group.pk]) + f"?datum={day:%Y-%m-%d}"
    command = request.POST.get("command")
    if command not in ("slot", "reuse", "move", "plan", "copy_day", "copy_week"):
        raise Http404
    if command in ("copy_day", "copy_week"):
        return _copy(request, group, day, command, back)
    # The day's board is made only for a command that composes it, and in the same
    # transaction: a refused change leaves no empty board behind.
    try:
        with transaction.atomic():
            _change_board(request, group, day, command)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


def _change_board(request, group, day, command: str) -> None:
    switching_off = command == "slot" and request.POST.get("on") != "1"
    if command in ("move", "plan") or switching_off:
        # A day without a board has nothing to switch off (done) or to move (not found).
        board = Board.objects.filter(group=group, date=day, part="day").first()
        if board is None:
            if switching_off:
                return
            raise Http404
    else:
        board = actions.board_for(group, day)
    if command == "slot":
        activity = get_readable_or_404(
            request.user, Activity, pk=_int(request.POST.get("activity"))
        )
        actions.set_slot(
            board,
            activity,
            on=request.POST.get("on") == "1",
            compulsory=request.POST.get("compulsory") == "1",
        )
    elif command == "reuse":
        source = get_readable_or_404(request.user, Board, pk=_int(request.POST.get("source")))
        actions.reuse_board(source, board)
    elif command == "move":
        plan = get_readable_or_404(
            request.user, Plan, pk=_int(request.POST.get("plan")), board=board
        )
        require(request.user, "move_child", plan)
        slot = get_readable_or_404(
            request.user, Slot, pk=_int(request.POST.get("slot")), board=board
        )
        actions.move(acting_user=request.user, plan_obj=plan, to_slot=slot)
        messages.success(
            request,
            _("%(name)s now goes to %(activity)s.")
            % {"name": plan.pupil.display_name, "activity": slot.activity.name},
        )
    elif command == "plan":
        # For a child who has not chosen: the teacher decides (counted as hers).
        require(request.user, "plan_for_child", board)
        pupil = get_readable_or_404(
            request.user, Pupil, pk=_int(request.POST.get("pupil")), group=group, active=True
        )
        if Plan.objects.filter(board=board, pupil=pupil).exists():
            # Only for a child who has not chosen: a child's own plan is theirs.
            raise ValidationError(
                _("%(name)s has already chosen; move them instead.") % {"name": pupil.display_name}
            )
        slot = get_readable_or_404(
            request.user, Slot, pk=_int(request.POST.get("slot")), board=board
        )
        actions.plan(pupil=pupil, slot=slot, acting_user=request.user, decided_by=actions.TEACHER)
        messages.success(
            request,
            _("%(name)s now goes to %(activity)s.")
            % {"name": pupil.display_name, "activity": slot.activity.name},
        )


def _int(value) -> int:
    """A posted id, or 404 for "²", "abc" or one too large for the database."""
    number = positive_int(value) if isinstance(value, str) else None
    if number is None:
        raise Http404
    return number


def _copy(request, group: Group, day: date, command: str, back: str):
    """This day's activities to another day, or this week's (Monday to Friday) to the
    next; days that already have activities keep them and are named."""
    if command == "copy_day":
        target = school_day(request.POST.get("naar"))
        if target is None or target == day:
            messages.error(request, _("Choose another day to copy to."))
            return redirect(back)
        pairs = [(day, target)]
    else:
        monday = day - timedelta(days=day.weekday())
        pairs = [(monday + timedelta(days=i), monday + timedelta(days=i + 7)) for i in range(5)]
    copied, skipped = actions.copy_days(group, pairs)
    if copied:
        messages.success(
            request,
            _("Copied to %(days)s.") % {"days": ", ".join(date_format(d, "l j F") for d in copied)},
        )
    if skipped:
        messages.warning(
            request,
            _("%(days)s already had activities and stayed as they were.")
            % {"days": ", ".join(date_format(d, "l j F") for d in skipped)},
        )
    if not copied and not skipped:
        messages.error(request, _("There is nothing on the planning board to copy yet."))
    if command == "copy_day" and copied:
        return redirect(
            reverse("frontend:teacher-planboard", args=[group.pk]) + f"?datum={copied[0]:%Y-%m-%d}"
        )
    return redirect(back)


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
    plans = list(
        Plan.objects.filter(pupil=pupil, board__date__gte=since)
        .select_related("board", "slot__activity")
        .prefetch_related("slot__activity__goals")
        .order_by("-board__date", "position")
    )
    photos = {}
    for photo in PlanPhoto.objects.filter(pupil=pupil, board__date__gte=since):
        photos.setdefault((photo.board_id, photo.activity_id), []).append(photo)
    for plan in plans:
        plan.photos = photos.get((plan.board_id, plan.slot.activity_id), [])
    return render(request, "teacher/planboard_week.html", {"pupil": pupil, "plans": plans})
