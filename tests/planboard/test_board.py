"""Planning on the board: capacity held by the database, order, moves, ticks, events."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, transaction

from classroom import actions as classroom_actions
from classroom.models import UsageEvent
from classroom.realtime.publish import encoded
from planboard import actions
from planboard.models import Plan, Slot
from tests.conftest import build_world


def test_planning_takes_a_place_and_a_full_activity_says_full(world):
    daan = world.classmate
    extra = classroom_actions.create_pupil(group=world.group, display_name="Finn")
    actions.plan(pupil=daan, slot=world.slot, acting_user=daan.user)  # 2 of 2
    world.slot.refresh_from_db()
    assert (world.slot.taken, world.slot.is_full) == (2, True)
    with pytest.raises(ValidationError) as error:
        actions.plan(pupil=extra, slot=world.slot, acting_user=extra.user)
    assert error.value.messages == ["Full!"] and error.value.code == "full"
    world.slot.refresh_from_db()
    assert world.slot.taken == 2 and not Plan.objects.filter(pupil=extra).exists()


def test_the_database_itself_refuses_an_overfull_activity(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=world.slot.pk).update(taken=3)


@pytest.mark.django_db(transaction=True)
def test_two_children_tapping_the_last_place_at_once_never_both_get_it(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()  # Bouwhoek: 1 of 2 taken by Noor
    children = [world.classmate] + [
        classroom_actions.create_pupil(group=world.group, display_name=f"Kind {i}")
        for i in range(7)
    ]
    start = threading.Barrier(len(children))
    results = []

    def tap(child):
        try:
            start.wait()
            actions.plan(pupil=child, slot=world.slot, acting_user=child.user)
            results.append("got it")
        except ValidationError as exc:
            results.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=tap, args=(c,)) for c in children]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["full"] * 7 + ["got it"]
    world.slot.refresh_from_db()
    assert world.slot.taken == 2 == Plan.objects.filter(slot=world.slot).count()


def test_a_child_plans_in_order_and_taking_one_off_frees_the_place(world):
    second = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    assert (world.plan.position, second.position) == (1, 2)
    actions.unplan(plan_obj=world.plan, acting_user=world.pupil.user)
    second.refresh_from_db()
    world.slot.refresh_from_db()
    assert second.position == 1 and world.slot.taken == 0


def test_the_same_activity_cannot_be_planned_twice(world):
    with pytest.raises(ValidationError) as error:
        actions.plan(pupil=world.pupil, slot=world.slot, acting_user=world.pupil.user)
    assert error.value.messages == ["You have already planned this."]
    world.slot.refresh_from_db()
    assert world.slot.taken == 1


def test_the_teacher_moves_a_child_as_a_teacher_decision(world):
    actions.move(acting_user=world.teacher, plan_obj=world.plan, to_slot=world.slot2)
    world.plan.refresh_from_db()
    world.slot.refresh_from_db()
    world.slot2.refresh_from_db()
    assert world.plan.slot == world.slot2 and world.plan.decided_by == "teacher"
    assert (world.slot.taken, world.slot2.taken) == (0, 1)
    assert actions.quadrant_decisions(world.board, world.pupil) == {"place": "teacher"}
    event = UsageEvent.objects.filter(verb="planboard_moved").last()
    assert event.context == {"from": "Bouwhoek", "to": "Leeshoek"}


def test_a_move_to_a_full_activity_is_refused_and_nothing_changes(world):
    classroom_actions.update_pupil(world.classmate, display_name="Daan")
    actions.update_activity(world.slot2.activity, capacity=1)
    Slot.objects.filter(pk=world.slot2.pk).update(capacity=1)
    actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)
    with pytest.raises(ValidationError) as error:
        actions.move(acting_user=world.teacher, plan_obj=world.plan, to_slot=world.slot2)
    assert error.value.code == "full"
    world.plan.refresh_from_db()
    assert world.plan.slot == world.slot


def test_the_childs_own_plan_counts_as_place_and_order_decisions(world):
    actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    assert actions.quadrant_decisions(world.board, world.pupil) == {
        "place": "pupil",
        "order": "pupil",
    }
    assert actions.quadrant_decisions(world.board, world.classmate) == {}


def test_ticking_twice_records_one_event(world):
    before = UsageEvent.objects.filter(verb="planboard_ticked").count()
    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    assert UsageEvent.objects.filter(verb="planboard_ticked").count() == before + 1


def test_reusing_yesterdays_board_copies_activities_and_moetjes(world):
    actions.reuse_board(world.board, world.empty_board)
    slots = {s.activity.name: s for s in world.empty_board.slots.all()}
    assert set(slots) == {"Bouwhoek", "Leeshoek"}
    assert slots["Leeshoek"].compulsory and slots["Bouwhoek"].taken == 0
    with pytest.raises(ValidationError):
        actions.reuse_board(world.board, world.empty_board)


def test_an_activity_with_children_cannot_be_switched_off(world):
    with pytest.raises(ValidationError) as error:
        actions.set_slot(world.board, world.activity, on=False)
    assert error.value.messages == ["Children have already planned Bouwhoek; move them first."]
    assert world.board.slots.filter(activity=world.activity).exists()


def test_screens_are_told_after_commit_and_never_after_a_rollback(
    world, django_capture_on_commit_callbacks
):
    def plan_and_commit():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)
        return len(callbacks)

    async def listen_while_planning():
        # Listen in the same event loop that receives (the Redis layer needs that).
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(f"board.{world.board.pk}", channel)
        sent = await sync_to_async(plan_and_commit)()
        message = await asyncio.wait_for(layer.receive(channel), timeout=5)
        await layer.group_discard(f"board.{world.board.pk}", channel)
        return sent, message

    sent, message = async_to_sync(listen_while_planning)()
    world.board.refresh_from_db()
    assert sent == 1
    assert message == encoded(
        {"type": "board.changed", "board": world.board.pk, "version": world.board.version}
    )

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
        raise RuntimeError("rolled back")
    assert callbacks == []


def test_the_api_answers_a_full_activity_with_409_vol(world, api):
    api.force_login(world.classmate.user)
    assert api.post("/api/plans/", {"slot": world.slot.pk}, format="json").status_code == 201
    extra = classroom_actions.create_pupil(group=world.group, display_name="Finn")
    api.force_login(extra.user)
    response = api.post("/api/plans/", {"slot": world.slot.pk}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": ["Vol!"], "code": "full"}


@pytest.mark.parametrize(
    "data",
    [
        {"command": "slot", "activity": "abc", "on": "1"},
        {"command": "move", "plan": "1; DROP TABLE", "slot": "x"},
        {"command": "reuse", "source": ""},
    ],
)
def test_a_tampered_teacher_form_finds_nothing_instead_of_crashing(world, client, data):
    client.force_login(world.teacher)
    response = client.post(f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/", data)
    assert response.status_code == 404
    world.slot.refresh_from_db()
    assert world.slot.taken == 1


@pytest.mark.django_db(transaction=True)
def test_seats_freed_and_taken_at_once_never_overfill_a_moetje(settings):
    """Two children finish the moetje while eight others tap it (full: "later") at the
    same moment: every tap is planned, never more children there than seats, and the
    freed seats go to children waiting there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()  # Leeshoek: the moetje, 3 seats
    Slot.objects.filter(pk=world.slot2.pk).update(capacity=2)
    there = [world.classmate, classroom_actions.create_pupil(group=world.group, display_name="Ada")]
    plans = [actions.plan(pupil=c, slot=world.slot2, acting_user=c.user) for c in there]
    tappers = [
        classroom_actions.create_pupil(group=world.group, display_name=f"Kind {i}")
        for i in range(8)
    ]
    start = threading.Barrier(len(tappers) + len(plans))
    results = []

    def run(work):
        try:
            start.wait()
            work()
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            results.append(repr(exc))
        finally:
            close_old_connections()

    work = [
        (lambda c=c: actions.plan(pupil=c, slot=world.slot2, acting_user=c.user)) for c in tappers
    ] + [(lambda p=p: actions.tick(plan_obj=p, done=True, acting_user=p.pupil.user)) for p in plans]
    threads = [threading.Thread(target=run, args=(w,)) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["ok"] * len(work)
    world.slot2.refresh_from_db()
    seated = Plan.objects.filter(slot=world.slot2, seated=True)
    assert world.slot2.taken == seated.count() == 2
    assert Plan.objects.filter(slot=world.slot2).count() == 10
    assert set(seated.values_list("pupil", flat=True)) <= {t.pk for t in tappers}
