"""The planbord API, every persona: the group's board is visible to the group; children
plan themselves."""

import pytest

from planboard import actions
from planboard.models import Activity, Board, Plan, PlanPhoto
from tests.conftest import PERSONAS
from tests.permissions.matrix import (
    GROUP_READERS,
    PUPILS,
    SELF_READERS,
    STAFF,
    Api,
    api_ids,
    check_api,
    check_list,
    groups_of,
    pupil_write,
    upload,
)


def plan_photo(w) -> PlanPhoto:
    """Noor's photo of her tower in the Bouwhoek."""
    return actions.add_plan_photo(pupil=w.pupil, upload=upload())


def own_plan(ok: int, pupil: int) -> dict:
    """A plan of Noor's: her teachers change it, the pupil as `pupil` says, a classmate
    may not, outsiders cannot see it."""
    return {
        "pupil": pupil,
        "teacher": ok,
        "school_admin": ok,
        "classmate": 403,
        "colleague": 404,
        "other_school_teacher": 404,
        "other_pupil": 404,
        "anonymous": 403,
    }


API = [
    Api("activity-list", "get", lambda w: "/api/activities/", "list", STAFF | PUPILS),
    Api(
        "activity-detail",
        "get",
        lambda w: f"/api/activities/{w.activity.pk}/",
        "read",
        GROUP_READERS,
    ),
    Api(
        "activity-detail",
        "patch",
        lambda w: f"/api/activities/{w.activity.pk}/",
        "change",
        GROUP_READERS,
        data=lambda w: {"capacity": 5},
    ),
    Api(
        "activity-list",
        "post",
        lambda w: "/api/activities/",
        "create",
        set(),
        data=lambda w: {
            "group": w.group.pk,
            "name": "Zandtafel",
            "pictogram": "sand",
            "capacity": 4,
        },
    ),
    Api("board-list", "get", lambda w: "/api/boards/", "list", STAFF | PUPILS),
    Api("board-detail", "get", lambda w: f"/api/boards/{w.board.pk}/", "read", GROUP_READERS),
    Api(
        "board-list",
        "post",
        lambda w: "/api/boards/",
        "create",
        set(),
        data=lambda w: {"group": w.group.pk, "date": "2026-12-01", "part": "morning"},
    ),
    Api(
        "board-slots",
        "post",
        lambda w: f"/api/boards/{w.board.pk}/slots/",
        "change",
        GROUP_READERS,
        data=lambda w: {"activity": w.activity.pk, "on": True, "compulsory": True},
    ),
    Api(
        "board-reuse",
        "post",
        lambda w: f"/api/boards/{w.empty_board.pk}/reuse/",
        "change",
        GROUP_READERS,
        data=lambda w: {"source": w.board.pk},
    ),
    Api("plan-list", "get", lambda w: "/api/plans/", "list", STAFF | PUPILS),
    Api("plan-detail", "get", lambda w: f"/api/plans/{w.plan.pk}/", "read", GROUP_READERS),
    Api(
        "plan-list",
        "post",
        lambda w: "/api/plans/",
        "pupil-write",
        set(),
        data=lambda w: {"slot": w.slot2.pk},
        statuses={**pupil_write(201), "other_pupil": 400},
    ),
    Api(
        "plan-detail",
        "delete",
        lambda w: f"/api/plans/{w.plan.pk}/",
        "change",
        set(),
        statuses=own_plan(204, pupil=204),
    ),
    Api(
        "plan-tick",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/tick/",
        "change",
        set(),
        data=lambda w: {"done": True},
        statuses=own_plan(200, pupil=200),
    ),
    Api(
        "plan-move",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/move/",
        "change",
        set(),
        data=lambda w: {"slot": w.slot2.pk},
        # Moving a child is the teacher's: the child taps another corner instead.
        statuses=own_plan(200, pupil=403),
    ),
    # A kleuter's photos: the child and their teachers; only the child adds them (Daan
    # and Sem have nothing planned today: "choose a corner first").
    Api("planphoto-list", "get", lambda w: "/api/plan-photos/", "list", STAFF | PUPILS),
    Api(
        "planphoto-detail",
        "get",
        lambda w: f"/api/plan-photos/{plan_photo(w).pk}/",
        "read",
        SELF_READERS,
    ),
    Api(
        "planphoto-list",
        "post",
        lambda w: "/api/plan-photos/",
        "pupil-write",
        set(),
        data=lambda w: {"image": upload()},
        fmt="multipart",
        statuses={**pupil_write(201), "classmate": 400, "other_pupil": 400},
    ),
]
COVERED = {case.route for case in API} | {
    # With tests of their own in tests/planboard/test_photos.py and below:
    "frontend:planboard-photo",
    "frontend:planboard-photo-thumbnail",
    "frontend:planboard-corner-photo",
    "frontend:planboard-corner-photo-change",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API, ids=api_ids(API))
def test_api_matrix(world, api, case, persona):
    check_api(world, api, case, persona)


def visible_ids(w, route: str, persona: str) -> set:
    """What each persona should find in each list."""
    groups = groups_of(w)[persona]
    rows = {
        "planphoto-list": PlanPhoto.objects.filter(pupil__group_id__in=groups),
        "activity-list": Activity.objects.filter(group_id__in=groups),
        "board-list": Board.objects.filter(group_id__in=groups),
        "plan-list": Plan.objects.filter(board__group_id__in=groups),
    }[route]
    return set(rows.values_list("id", flat=True))


LIST_URLS = {
    "activity-list": "/api/activities/",
    "board-list": "/api/boards/",
    "plan-list": "/api/plans/",
    "planphoto-list": "/api/plan-photos/",
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("route", list(LIST_URLS))
def test_lists_show_exactly_what_each_persona_may_see(world, api, route, persona):
    check_list(api, world, LIST_URLS[route], persona, lambda: visible_ids(world, route, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_corners_photo_is_for_the_group_and_changed_by_its_teachers(world, client_as, persona):
    """frontend:planboard-corner-photo, frontend:planboard-corner-photo-change"""
    actions.set_activity_photo(world.activity, upload())
    client = client_as(world.user(persona))
    response = client.get(f"/planbord/hoek/{world.activity.pk}/foto/")
    assert response.status_code == (200 if persona in GROUP_READERS else 404)
    response = client.post(f"/leerkracht/planbord/hoek/{world.activity.pk}/foto/", {"remove": "1"})
    expected = {"teacher": 302, "school_admin": 302, "colleague": 404}
    expected |= {"other_school_teacher": 404, "anonymous": 302}
    assert response.status_code == expected.get(persona, 403)
