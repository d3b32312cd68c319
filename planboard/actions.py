"""Every change to activities, boards and plans.

Each write bumps the board's version, records a usage event in the transaction and,
after commit, tells every screen showing the board (`board.<id>`) its new version.

Seats (decision 0008): a child holds a seat only at the activity they are at now, their
first plan not done. Ticking it done gives the seat up and takes one at the next plan (if
free); a seat that comes free goes to the child who waits there longest. Every seat is
taken with the conditional UPDATE that the check constraint backs.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classroom import images, usage
from classroom.idempotency import atomic as write_atomic
from classroom.models import Group, Pupil
from classroom.pictograms import ACTIVITY_PICTURES
from classroom.realtime.groups import board_group
from classroom.realtime.publish import send_on_commit

from .models import Activity, Board, DayPart, Plan, PlanPhoto, Slot

PUPIL, TEACHER = "pupil", "teacher"


# --- Activities ---------------------------------------------------------------------


def _check_activity(activity: Activity) -> None:
    if not activity.name.strip():
        raise ValidationError(_("An activity needs a name."))
    if activity.pictogram not in ACTIVITY_PICTURES:
        raise ValidationError(_("Unknown icon: %(icon)s") % {"icon": activity.pictogram})
    if not activity.capacity or activity.capacity < 1:
        raise ValidationError(_("An activity has room for at least one child."))
    clash = Activity.objects.filter(group=activity.group, name__iexact=activity.name)
    if clash.exclude(pk=activity.pk).exists():
        raise ValidationError(
            _("This group already has an activity called %(name)s.") % {"name": activity.name}
        )


@write_atomic
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


def copy_activities(archived: Group, successor: Group) -> None:
    """The school year's turn: the corners of last year's group again for the new one
    (name, picture, capacity, the teacher's photo; no goals: they were last year's)."""
    for activity in archived.activities.filter(active=True):
        copy = Activity(
            group=successor,
            name=activity.name,
            pictogram=activity.pictogram,
            capacity=activity.capacity,
        )
        if activity.photo:
            with activity.photo.open("rb") as photo:
                copy.photo.save(f"corner-{uuid.uuid4().hex}.jpg", File(photo), save=False)
        copy.save()


@write_atomic
def update_activity(activity: Activity, **fields) -> Activity:
    """Change an activity. Taking it off the planbord (`active=False`) takes it off today's
    and later boards too; while children are planned there it is refused."""
    goals = fields.pop("goals", None)
    switching_off = activity.active and fields.get("active") is False
    for key in ("name", "pictogram", "capacity", "active"):
        if key in fields:
            setattr(activity, key, fields[key])
    _check_activity(activity)
    if switching_off:
        _take_off_boards(activity)
    activity.save()
    if goals is not None:
        if any(goal.block.group_id != activity.group_id for goal in goals):
            raise ValidationError(_("A linked goal must be one of this group's goals."))
        activity.goals.set(goals)
    return activity


def _take_off_boards(activity: Activity) -> None:
    slots = Slot.objects.filter(activity=activity, board__date__gte=timezone.localdate())
    planned = slots.filter(plans__isnull=False).select_related("board").first()
    if planned is not None:
        raise ValidationError(
            _("Children have planned %(name)s on %(day)s; move them first.")
            % {"name": activity.name, "day": date_format(planned.board.date, "l j F")}
        )
    boards = list(Board.objects.filter(slots__in=slots).distinct())
    slots.delete()
    for board in boards:
        _changed(board)


def set_activity_photo(activity: Activity, upload) -> Activity:
    """The teacher's own photo of the corner, shown on the tiles instead of the picture
    (`upload=None` takes it away). Cleaned outside the transaction, like every photo."""
    old = activity.photo.name if activity.photo else ""
    if upload is not None:
        clean = images.clean_photo(upload)
        activity.photo.save(f"{uuid.uuid4().hex}.jpg", clean.thumbnail, save=False)
    else:
        activity.photo = ""
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(photo=activity.photo.name or "")
        for board_id in Board.objects.filter(slots__activity=activity).values_list("pk", flat=True):
            _changed(Board(pk=board_id))
    if old and old != activity.photo.name:
        activity.photo.storage.delete(old)
    return activity


# --- Boards -------------------------------------------------------------------------


def _changed(board: Board) -> Board:
    """Bump the version and tell the board's screens after commit."""
    # One UPDATE with RETURNING (SQLite 3.35+, PostgreSQL): the new version, no re-read.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Board._meta.db_table} SET version = version + 1 WHERE id = %s "  # noqa: S608
            "RETURNING version",
            [board.pk],
        )
        (board.version,) = cursor.fetchone()
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


@write_atomic
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


@write_atomic
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


def copy_days(group: Group, days: list[tuple[date, date]]) -> tuple[list[date], list[date]]:
    """Compose each target day like its source day (Monday's board on Tuesday, a week on
    the next): the days copied, and the target days skipped because they already have
    activities (nothing of theirs is changed). A source day without activities is left out."""
    copied, skipped = [], []
    with transaction.atomic():
        for source_day, target_day in days:
            source = Board.objects.filter(group=group, date=source_day, part=DayPart.DAY).first()
            if source is None or not source.slots.exists():
                continue
            target = board_for(group, target_day)
            if target.slots.exists():
                skipped.append(target_day)
                continue
            reuse_board(source, target)
            if target.slots.exists():  # a day of only switched-off activities copies nothing
                copied.append(target_day)
    return copied, skipped


# --- Plans --------------------------------------------------------------------------


def _lock_slots(pupil: Pupil, board: Board, *slot_ids: int) -> None:
    """Lock, in one order, every slot a seat change of this child may touch (theirs and
    `slot_ids`). Not for capacity (the conditional UPDATE holds that) but so that a child
    who starts to wait and a classmate who frees that seat at the same moment take turns:
    whoever comes second sees the first (no seat stays free while someone waits), and two
    children swapping corners never deadlock. A no-op on SQLite, whose writes queue."""
    theirs = Plan.objects.filter(pupil=pupil, board=board).values("slot_id")
    list(
        Slot.objects.select_for_update()
        .filter(Q(pk__in=slot_ids) | Q(pk__in=theirs))
        .order_by("pk")
        .values_list("pk")
    )


def _free_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, taken__gt=0).update(taken=F("taken") - 1)


def _seat(plan_obj: Plan) -> bool:
    """Give the plan a seat if one is free: one conditional UPDATE, so two children
    tapping the last seat at once never both get it. False: the activity is full."""
    if plan_obj.seated:
        return True
    taken = Slot.objects.filter(pk=plan_obj.slot_id, taken__lt=F("capacity")).update(
        taken=F("taken") + 1
    )
    if not taken:
        return False
    if not Plan.objects.filter(pk=plan_obj.pk, seated=False).update(seated=True):
        _free_place(plan_obj.slot_id)  # seated meanwhile by another change: one seat only
    plan_obj.seated = True
    return True


def _unseat(plan_obj: Plan) -> None:
    if Plan.objects.filter(pk=plan_obj.pk, seated=True).update(seated=False):
        _free_place(plan_obj.slot_id)
    plan_obj.seated = False


def _current(pupil: Pupil, board: Board) -> Plan | None:
    """Where the child is now: their first plan not done."""
    return (
        Plan.objects.filter(pupil=pupil, board=board, done=False).order_by("position", "id").first()
    )


def _follow(pupil: Pupil, board: Board) -> set[int]:
    """Move the child's seat to where they are now. Returns the slots whose seat came free."""
    plans = list(Plan.objects.filter(pupil=pupil, board=board).order_by("position", "id"))
    current = next((p for p in plans if not p.done), None)
    freed = set()
    for item in plans:
        if item.seated and item is not current:
            _unseat(item)
            freed.add(item.slot_id)
    if current is not None:
        _seat(current)
    return freed


def _fill(slot_ids) -> None:
    """Seats that came free go to the children waiting there (who are at that activity
    now), first come first served, for as long as seats are free."""
    earlier_open = Plan.objects.filter(
        pupil=OuterRef("pupil"),
        board=OuterRef("board"),
        done=False,
        position__lt=OuterRef("position"),
    )
    for slot_id in slot_ids:
        waiting = (
            Plan.objects.filter(slot_id=slot_id, seated=False, done=False)
            .exclude(Exists(earlier_open))
            .order_by("created_at", "id")
        )
        for item in waiting:
            if not _seat(item):
                break


def _renumber(pupil: Pupil, board: Board) -> None:
    for i, item in enumerate(Plan.objects.filter(pupil=pupil, board=board), start=1):
        if item.position != i:
            Plan.objects.filter(pk=item.pk).update(position=i)


@write_atomic
def plan(*, pupil: Pupil, slot: Slot, acting_user, decided_by: str = PUPIL) -> Plan:
    """Put a child on an activity.

    A child who is at an activity now plans the next one ("Then: ..."): it takes a seat
    only when they get there. A child who is at nothing yet (or waits for a full moetje)
    goes there now: that needs a free seat, else a free choice is refused as full
    (code "full"); a full moetje is never refused but planned for later, after what the
    child chooses next. Sends: usage event `planboard_planned`, realtime `board.changed`."""
    board = slot.board
    if board.group_id != pupil.group_id:
        raise ValidationError(_("This board belongs to another group."))
    _lock_slots(pupil, board, slot.pk)
    # The child's plans on this board, read once after the lock: what they planned
    # already, where they are now and how many there are.
    plans = list(Plan.objects.filter(pupil=pupil, board=board).order_by("position", "id"))
    if any(p.slot_id == slot.pk for p in plans):
        raise ValidationError(_("You have already planned this."))
    current = next((p for p in plans if not p.done), None)
    goes_now = current is None or not current.seated
    last = len(plans) + 1
    position = current.position if goes_now and current is not None else last
    if position != last:  # before the moetje the child waits for
        Plan.objects.filter(pupil=pupil, board=board, position__gte=position).update(
            position=F("position") + 1
        )
    try:
        with transaction.atomic():
            new = Plan.objects.create(
                board=board, pupil=pupil, slot=slot, position=position, decided_by=decided_by
            )
    except IntegrityError:  # the same child, twice at once: the first one counts
        raise ValidationError(_("You have already planned this.")) from None
    if goes_now and not _seat(new):
        if not slot.compulsory:
            raise ValidationError(_("Full!"), code="full")
        # A full moetje means "later": after everything else the child plans.
        Plan.objects.filter(pk=new.pk).update(position=last + 1)
        _renumber(pupil, board)
        new.refresh_from_db(fields=["position"])
    usage.record(
        "planboard_planned",
        actor=acting_user,
        obj=new,
        pupil=pupil,
        group=pupil.group,  # the board's (checked above), loaded with the pupil
        context={"activity": slot.activity.name, "position": new.position, "by": decided_by},
    )
    _changed(board)
    return new


@write_atomic
def unplan(*, plan_obj: Plan, acting_user) -> None:
    """Take a child off an activity; the seat goes to the child's next activity or to a
    child waiting there. Sends `planboard_unplanned`, `board.changed`."""
    board, pupil, slot_id = plan_obj.board, plan_obj.pupil, plan_obj.slot_id
    activity = plan_obj.slot.activity.name
    _lock_slots(pupil, board)
    plan_obj.refresh_from_db(fields=["seated"])
    _unseat(plan_obj)
    plan_obj.delete()
    _renumber(pupil, board)
    _fill(_follow(pupil, board) | {slot_id})
    usage.record(
        "planboard_unplanned",
        actor=acting_user,
        obj=board,
        pupil=pupil,
        group=board.group,
        context={"activity": activity},
    )
    _changed(board)


@write_atomic
def move(*, acting_user, plan_obj: Plan, to_slot: Slot) -> Plan:
    """The teacher moves a child to another activity: a teacher decision. A child who is
    there now needs a free seat at the new one (else "full"); a later plan just changes.
    Sends `planboard_moved`, `board.changed`."""
    if to_slot.board_id != plan_obj.board_id:
        raise ValidationError(_("Move within the same board."))
    if to_slot.pk == plan_obj.slot_id:
        return plan_obj
    if Plan.objects.filter(pupil=plan_obj.pupil, slot=to_slot).exists():
        raise ValidationError(_("This child has already planned that activity."))
    from_name, from_slot = plan_obj.slot.activity.name, plan_obj.slot_id
    _lock_slots(plan_obj.pupil, plan_obj.board, to_slot.pk)
    plan_obj.refresh_from_db(fields=["seated"])
    is_current = plan_obj.pk == getattr(_current(plan_obj.pupil, plan_obj.board), "pk", None)
    _unseat(plan_obj)
    Plan.objects.filter(pk=plan_obj.pk).update(slot=to_slot, decided_by=TEACHER)
    plan_obj.slot, plan_obj.decided_by = to_slot, TEACHER
    if is_current and not _seat(plan_obj):
        raise ValidationError(_("Full!"), code="full")
    _fill({from_slot})
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


@write_atomic
def tick(*, plan_obj: Plan, done: bool, acting_user) -> Plan:
    """The child ticks off (or un-ticks) what they did. Done frees the seat for a child
    waiting there and takes one at the child's next activity. Sends `planboard_ticked`."""
    _lock_slots(plan_obj.pupil, plan_obj.board)
    plan_obj.refresh_from_db(fields=["done", "seated"])
    if plan_obj.done != done:
        plan_obj.done = done
        plan_obj.save(update_fields=["done"])
        _fill(_follow(plan_obj.pupil, plan_obj.board))
        plan_obj.refresh_from_db(fields=["seated"])
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


# --- Photos -------------------------------------------------------------------------


def photo_plan(*, pupil: Pupil, plan_obj: Plan | None = None) -> Plan:
    """The plan a kleuter's photo goes with: `plan_obj` when it is theirs, else where
    they are now (their first plan not done, else the last one). Refuses with a reason
    when there is none: checked before the photo is decoded, and again when stored."""
    if plan_obj is None:
        board = Board.objects.filter(
            group=pupil.group, date=timezone.localdate(), plans__pupil=pupil
        ).first()
        plans = list(Plan.objects.filter(pupil=pupil, board=board)) if board else []
        plan_obj = next((p for p in plans if not p.done), plans[-1] if plans else None)
    if plan_obj is None:
        raise ValidationError(_("Choose a corner first."))
    if plan_obj.pupil_id != pupil.pk:
        raise ValidationError(_("This is not your plan."))
    return plan_obj


def add_plan_photo(*, pupil: Pupil, upload, plan_obj: Plan | None = None) -> PlanPhoto:
    """A kleuter's photo of their work, linked to the activity of `plan_obj` (one of
    their own plans) or else to where they are now (their first plan not done, else the
    last one). The image is cleaned first, outside any transaction (the slow part); the
    row is written in a short one. `upload` is an uploaded file, or better the
    `images.CleanPhoto` made of it beforehand (the API does so, before its idempotent
    transaction). Sends: usage event `planboard_photo_added`."""
    plan_obj = photo_plan(pupil=pupil, plan_obj=plan_obj)
    clean = upload if isinstance(upload, images.CleanPhoto) else images.clean_photo(upload)
    name = uuid.uuid4().hex
    with transaction.atomic():
        photo = PlanPhoto(
            pupil=pupil,
            board_id=plan_obj.board_id,
            activity_id=plan_obj.slot.activity_id,
            width=clean.size[0],
            height=clean.size[1],
        )
        photo.image.save(f"{name}.jpg", clean.photo, save=False)
        photo.thumbnail.save(f"{name}.jpg", clean.thumbnail, save=False)
        try:
            photo.save()
            usage.record(
                "planboard_photo_added",
                actor=pupil.user,
                obj=photo,
                pupil=pupil,
                group=pupil.group,
                context={"activity": plan_obj.slot.activity.name},
            )
            _changed(plan_obj.board)
        except Exception:
            # Nothing in the database refers to the files: remove them again.
            photo.image.storage.delete(photo.image.name)
            photo.thumbnail.storage.delete(photo.thumbnail.name)
            raise
    return photo
