"""Every change to activities, boards and plans.

Each write bumps the board's version, records a usage event in the transaction and,
after commit, tells every screen showing the board (`board.<id>`) its new version.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from classroom import usage
from classroom.models import Group, Pupil
from classroom.pictograms import PLACE_ICONS
from classroom.realtime.groups import board_group
from classroom.realtime.publish import send_on_commit

from .models import Activity, Board, DayPart, Plan, Slot

PUPIL, TEACHER = "pupil", "teacher"


# --- Activities ---------------------------------------------------------------------


def _check_activity(activity: Activity) -> None:
    if not activity.name.strip():
        raise ValidationError(_("An activity needs a name."))
    if activity.pictogram not in PLACE_ICONS:
        raise ValidationError(_("Unknown icon: %(icon)s") % {"icon": activity.pictogram})
    if not activity.capacity or activity.capacity < 1:
        raise ValidationError(_("An activity has room for at least one child."))
    clash = Activity.objects.filter(group=activity.group, name__iexact=activity.name)
    if clash.exclude(pk=activity.pk).exists():
        raise ValidationError(
            _("This group already has an activity called %(name)s.") % {"name": activity.name}
        )


@transaction.atomic
def create_activity(
    *, group: Group, name: str, pictogram: str, capacity: int, goals=()
) -> Activity:
    activity = Activity(group=group, name=name.strip(), pictogram=pictogram, capacity=capacity)
    _check_activity(activity)
    activity.save()
    goals = list(goals)
    if any(goal.block.group_id != group.pk for goal in goals):
        raise ValidationError(_("A linked goal must be one of this group's goals."))
    activity.goals.set(goals)
    return activity


@transaction.atomic
def update_activity(activity: Activity, **fields) -> Activity:
    goals = fields.pop("goals", None)
    for key in ("name", "pictogram", "capacity", "active"):
        if key in fields:
            setattr(activity, key, fields[key])
    _check_activity(activity)
    activity.save()
    if goals is not None:
        if any(goal.block.group_id != activity.group_id for goal in goals):
            raise ValidationError(_("A linked goal must be one of this group's goals."))
        activity.goals.set(goals)
    return activity


# --- Boards -------------------------------------------------------------------------


def _changed(board: Board) -> Board:
    """Bump the version and tell the board's screens after commit."""
    Board.objects.filter(pk=board.pk).update(version=F("version") + 1)
    board.refresh_from_db(fields=["version"])
    send_on_commit(
        board_group(board.pk),
        {"type": "board.changed", "board": board.pk, "version": board.version},
    )
    return board


def board_for(group: Group, day: date, part: str = DayPart.DAY) -> Board:
    if part not in DayPart.values:
        raise ValidationError(_("Unknown part of the day."))
    board, _created = Board.objects.get_or_create(group=group, date=day, part=part)
    return board


@transaction.atomic
def set_slot(board: Board, activity: Activity, *, on: bool, compulsory: bool = False) -> Board:
    """Switch an activity on or off for this board, or make it a moetje."""
    if activity.group_id != board.group_id:
        raise ValidationError(_("This activity belongs to another group."))
    slot = Slot.objects.filter(board=board, activity=activity).first()
    if on:
        if slot is None:
            Slot.objects.create(
                board=board, activity=activity, compulsory=compulsory, capacity=activity.capacity
            )
        elif slot.compulsory != compulsory:
            slot.compulsory = compulsory
            slot.save(update_fields=["compulsory"])
    elif slot is not None:
        if slot.plans.exists():
            raise ValidationError(
                _("Children have already planned %(name)s; move them first.")
                % {"name": activity.name}
            )
        slot.delete()
    return _changed(board)


@transaction.atomic
def reuse_board(source: Board, target: Board) -> Board:
    """Compose `target` like `source` (yesterday's board, say): same activities and
    moetjes, today's capacities, no children yet."""
    if source.group_id != target.group_id:
        raise ValidationError(_("This board belongs to another group."))
    if target.slots.exists():
        raise ValidationError(_("This board already has activities."))
    for slot in source.slots.select_related("activity"):
        if slot.activity.active:
            Slot.objects.create(
                board=target,
                activity=slot.activity,
                compulsory=slot.compulsory,
                capacity=slot.activity.capacity,
            )
    return _changed(target)


# --- Plans --------------------------------------------------------------------------


def _take_place(slot: Slot) -> None:
    """One conditional UPDATE: either a place was free and is now ours, or it was full."""
    taken = Slot.objects.filter(pk=slot.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1)
    if not taken:
        raise ValidationError(_("Full!"), code="full")


def _free_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, taken__gt=0).update(taken=F("taken") - 1)


@transaction.atomic
def plan(*, pupil: Pupil, slot: Slot, acting_user, decided_by: str = PUPIL) -> Plan:
    """Put a child on an activity, after the activities they planned already.
    Sends: usage event `planboard_planned`, realtime `board.changed`."""
    board = slot.board
    if board.group_id != pupil.group_id:
        raise ValidationError(_("This board belongs to another group."))
    if Plan.objects.filter(pupil=pupil, slot=slot).exists():
        raise ValidationError(_("You have already planned this."))
    _take_place(slot)
    position = Plan.objects.filter(pupil=pupil, board=board).count() + 1
    try:
        with transaction.atomic():
            new = Plan.objects.create(
                board=board, pupil=pupil, slot=slot, position=position, decided_by=decided_by
            )
    except IntegrityError:  # the same child, twice at once: the first one counts
        raise ValidationError(_("You have already planned this.")) from None
    usage.record(
        "planboard_planned",
        actor=acting_user,
        obj=new,
        pupil=pupil,
        group=board.group,
        context={"activity": slot.activity.name, "position": position, "by": decided_by},
    )
    _changed(board)
    return new


def _renumber(pupil: Pupil, board: Board) -> None:
    for i, item in enumerate(Plan.objects.filter(pupil=pupil, board=board), start=1):
        if item.position != i:
            Plan.objects.filter(pk=item.pk).update(position=i)


@transaction.atomic
def unplan(*, plan_obj: Plan, acting_user) -> None:
    """Take a child off an activity. Sends `planboard_unplanned`, `board.changed`."""
    board, pupil, slot_id = plan_obj.board, plan_obj.pupil, plan_obj.slot_id
    activity = plan_obj.slot.activity.name
    plan_obj.delete()
    _free_place(slot_id)
    _renumber(pupil, board)
    usage.record(
        "planboard_unplanned",
        actor=acting_user,
        obj=board,
        pupil=pupil,
        group=board.group,
        context={"activity": activity},
    )
    _changed(board)


@transaction.atomic
def move(*, acting_user, plan_obj: Plan, to_slot: Slot) -> Plan:
    """The teacher moves a child to another activity: a teacher decision.
    Sends `planboard_moved`, `board.changed`."""
    if to_slot.board_id != plan_obj.board_id:
        raise ValidationError(_("Move within the same board."))
    if to_slot.pk == plan_obj.slot_id:
        return plan_obj
    if Plan.objects.filter(pupil=plan_obj.pupil, slot=to_slot).exists():
        raise ValidationError(_("This child has already planned that activity."))
    _take_place(to_slot)
    from_name = plan_obj.slot.activity.name
    _free_place(plan_obj.slot_id)
    plan_obj.slot = to_slot
    plan_obj.decided_by = TEACHER
    plan_obj.save(update_fields=["slot", "decided_by"])
    usage.record(
        "planboard_moved",
        actor=acting_user,
        obj=plan_obj,
        pupil=plan_obj.pupil,
        group=plan_obj.board.group,
        context={"from": from_name, "to": to_slot.activity.name},
    )
    _changed(plan_obj.board)
    return plan_obj


@transaction.atomic
def tick(*, plan_obj: Plan, done: bool, acting_user) -> Plan:
    """The child ticks off (or un-ticks) what they did. Sends `planboard_ticked`."""
    if plan_obj.done != done:
        plan_obj.done = done
        plan_obj.save(update_fields=["done"])
        usage.record(
            "planboard_ticked",
            actor=acting_user,
            obj=plan_obj,
            pupil=plan_obj.pupil,
            group=plan_obj.board.group,
            context={"activity": plan_obj.slot.activity.name, "done": done},
        )
        _changed(plan_obj.board)
    return plan_obj


def quadrant_decisions(board: Board, pupil: Pupil) -> dict[str, str]:
    """What the planbord says for the quadrant: the place (the corner) and the order are
    the child's decisions when the child planned them. Sharing a corner is not a partner
    choice, so the planbord says nothing about `partner`."""
    plans = list(Plan.objects.filter(board=board, pupil=pupil))
    if not plans:
        return {}
    decided = {"place": TEACHER if plans[0].decided_by == TEACHER else PUPIL}
    if len(plans) > 1:
        decided["order"] = TEACHER if any(p.decided_by == TEACHER for p in plans) else PUPIL
    return decided
