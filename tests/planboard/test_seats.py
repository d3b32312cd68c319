"""Capacity means "at the same time": a seat is held by the child who is there now.

World: Bouwhoek (2 seats, Noor there now) and Leeshoek (3 seats, a moetje)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from classroom import actions as classroom_actions
from planboard import actions
from planboard.models import Plan, Slot


def _kind(world, name):
    return classroom_actions.create_pupil(group=world.group, display_name=name)


def _seats(slot):
    slot.refresh_from_db()
    return slot.taken


def _shrink(slot, capacity):
    Slot.objects.filter(pk=slot.pk).update(capacity=capacity)
    slot.refresh_from_db()


def test_ticking_done_frees_the_seat_for_a_classmate(world):
    finn = _kind(world, "Finn")
    actions.plan(pupil=world.classmate, slot=world.slot, acting_user=world.classmate.user)
    with pytest.raises(ValidationError) as error:  # Bouwhoek: Noor and Daan there
        actions.plan(pupil=finn, slot=world.slot, acting_user=finn.user)
    assert error.value.code == "full"

    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    assert _seats(world.slot) == 1
    actions.plan(pupil=finn, slot=world.slot, acting_user=finn.user)
    assert _seats(world.slot) == 2


def test_a_later_plan_takes_its_seat_only_when_the_child_gets_there(world):
    later = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    assert later.position == 2 and not later.seated
    assert _seats(world.slot2) == 0  # Noor is still in the Bouwhoek

    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    later.refresh_from_db()
    assert later.seated and _seats(world.slot2) == 1 and _seats(world.slot) == 0


def test_a_later_plan_may_name_a_full_corner_and_waits_there_for_the_first_free_seat(world):
    _shrink(world.slot2, 1)
    finn, daan = _kind(world, "Finn"), world.classmate
    actions.plan(pupil=finn, slot=world.slot2, acting_user=finn.user)  # Finn reads now
    later = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    actions.plan(pupil=daan, slot=world.slot, acting_user=daan.user)
    daans_later = actions.plan(pupil=daan, slot=world.slot2, acting_user=daan.user)

    # Noor finishes the Bouwhoek first: she waits at the full Leeshoek, first in line.
    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    actions.tick(
        plan_obj=Plan.objects.get(pupil=daan, slot=world.slot), done=True, acting_user=daan.user
    )
    later.refresh_from_db()
    assert not later.seated and _seats(world.slot2) == 1

    actions.tick(plan_obj=Plan.objects.get(pupil=finn), done=True, acting_user=finn.user)
    later.refresh_from_db()
    daans_later.refresh_from_db()
    assert later.seated and not daans_later.seated
    assert _seats(world.slot2) == 1


def test_a_full_moetje_means_later_not_no(world):
    _shrink(world.slot2, 1)  # the Leeshoek is the moetje
    finn = _kind(world, "Finn")
    actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)

    moetje = actions.plan(pupil=finn, slot=world.slot2, acting_user=finn.user)
    assert not moetje.seated  # planned, for later
    # Finn does something else meanwhile: it comes first, the moetje after it.
    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)  # a free seat
    bouw = actions.plan(pupil=finn, slot=world.slot, acting_user=finn.user)
    moetje.refresh_from_db()
    assert (bouw.position, bouw.seated) == (1, True)
    assert (moetje.position, moetje.seated) == (2, False)

    # Daan finishes reading while Finn is still building: the seat waits for nobody.
    daans = Plan.objects.get(pupil=world.classmate, slot=world.slot2)
    actions.tick(plan_obj=daans, done=True, acting_user=world.classmate.user)
    assert _seats(world.slot2) == 0
    actions.tick(plan_obj=bouw, done=True, acting_user=finn.user)
    moetje.refresh_from_db()
    assert moetje.seated and _seats(world.slot2) == 1


def test_the_api_plans_a_full_moetje_for_later(world, api):
    _shrink(world.slot2, 1)
    actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)
    finn = _kind(world, "Finn")
    api.force_login(finn.user)
    response = api.post("/api/plans/", {"slot": world.slot2.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["seated"] is False


def test_a_free_choice_the_child_would_go_to_now_is_still_refused_when_full(world, api):
    actions.plan(pupil=world.classmate, slot=world.slot, acting_user=world.classmate.user)
    finn = _kind(world, "Finn")
    api.force_login(finn.user)
    response = api.post("/api/plans/", {"slot": world.slot.pk}, format="json")
    assert response.status_code == 409
    assert not Plan.objects.filter(pupil=finn).exists()


def test_un_ticking_takes_the_seat_back_from_the_next_activity(world):
    later = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    actions.tick(plan_obj=world.plan, done=True, acting_user=world.pupil.user)
    actions.tick(plan_obj=world.plan, done=False, acting_user=world.pupil.user)
    later.refresh_from_db()
    world.plan.refresh_from_db()
    assert world.plan.seated and not later.seated
    assert (_seats(world.slot), _seats(world.slot2)) == (1, 0)


def test_taking_the_current_activity_off_gives_its_seat_to_a_child_waiting_there(world):
    _shrink(world.slot, 1)  # Noor has the only Bouwhoek seat
    actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)
    waiting = actions.plan(pupil=world.classmate, slot=world.slot, acting_user=world.classmate.user)
    daans_reading = Plan.objects.get(pupil=world.classmate, slot=world.slot2)
    actions.tick(plan_obj=daans_reading, done=True, acting_user=world.classmate.user)
    waiting.refresh_from_db()
    assert not waiting.seated  # Daan waits at the Bouwhoek

    actions.unplan(plan_obj=world.plan, acting_user=world.pupil.user)
    waiting.refresh_from_db()
    assert waiting.seated and _seats(world.slot) == 1


def test_the_teacher_moving_a_child_who_is_there_needs_a_free_seat(world):
    _shrink(world.slot2, 1)
    actions.plan(pupil=world.classmate, slot=world.slot2, acting_user=world.classmate.user)
    with pytest.raises(ValidationError) as error:
        actions.move(acting_user=world.teacher, plan_obj=world.plan, to_slot=world.slot2)
    assert error.value.code == "full"
    # A later plan is just moved.
    finn = _kind(world, "Finn")
    Slot.objects.filter(pk=world.slot.pk).update(capacity=3)
    actions.plan(pupil=finn, slot=world.slot, acting_user=finn.user)
    later = actions.plan(pupil=finn, slot=world.slot2, acting_user=finn.user)
    Slot.objects.filter(pk=world.slot2.pk).update(capacity=2)
    moved = actions.move(acting_user=world.teacher, plan_obj=later, to_slot=world.slot2)
    assert not moved.seated


def test_the_database_refuses_a_second_seat_for_one_child(world):
    later = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=later.pk).update(seated=True)


def test_the_board_shows_who_is_there_now_as_avatars(world, api):
    actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    api.force_login(world.classmate.user)
    board = api.get(f"/api/boards/{world.board.pk}/").json()
    slots = {s["activity"]: s for s in board["slots"]}
    (bouw,) = slots["Bouwhoek"]["plans"]
    assert bouw["seated"] is True and bouw["avatar"] == world.pupil.avatar
    assert "display_name" not in bouw and "Noor" not in str(board)
    (lees,) = slots["Leeshoek"]["plans"]
    assert lees["seated"] is False and slots["Leeshoek"]["taken"] == 0
    assert slots["Bouwhoek"]["picture_url"].endswith("pictograms/activities/building.svg")
