"""The classroom API, every persona: schools, groups, pupils, places and lessons."""

import pytest

from classroom import actions
from classroom.models import Lesson, Place
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
)


@pytest.fixture(scope="module")
def extend_world():
    def planned_lesson(world):
        world.planned = actions.create_lesson(group=world.group, title="Meten", subject="rekenen")

    return planned_lesson


SCHOOL_STAFF = {"teacher", "colleague", "school_admin"}


def school_change_statuses() -> dict:
    """Only the school admin changes the school; other staff of the school read it."""
    return {
        persona: 200
        if persona == "school_admin"
        else 403
        if persona in {"teacher", "colleague", "anonymous"}
        else 404
        for persona in PERSONAS
    }


API = [
    Api("api-me", "get", lambda w: "/api/me/", "list", STAFF | PUPILS),
    # Schools: staff of a school read it, its admin changes it.
    Api("school-list", "get", lambda w: "/api/schools/", "list", STAFF | PUPILS),
    Api("school-detail", "get", lambda w: f"/api/schools/{w.school.pk}/", "read", SCHOOL_STAFF),
    Api(
        "school-detail",
        "patch",
        lambda w: f"/api/schools/{w.school.pk}/",
        "change",
        SCHOOL_STAFF,
        data=lambda w: {"city": "Deventer"},
        statuses=school_change_statuses(),
    ),
    # Groups.
    Api("group-list", "get", lambda w: "/api/groups/", "list", STAFF | PUPILS),
    Api("group-detail", "get", lambda w: f"/api/groups/{w.group.pk}/", "read", GROUP_READERS),
    Api(
        "group-detail",
        "patch",
        lambda w: f"/api/groups/{w.group.pk}/",
        "change",
        GROUP_READERS,
        data=lambda w: {"name": "Groep 6 De Uilen"},
    ),
    Api(
        "group-list",
        "post",
        lambda w: "/api/groups/",
        "create-admin",
        set(),
        data=lambda w: {
            "school": w.school.pk,
            "name": "Groep 7",
            "year_from": 7,
            "year_to": 7,
            "picture_code_length": 3,
        },
    ),
    Api(
        "group-new-class-code",
        "post",
        lambda w: f"/api/groups/{w.group.pk}/new-class-code/",
        "change",
        GROUP_READERS,
    ),
    # Pupils: a pupil reads only their own record.
    Api("pupil-list", "get", lambda w: "/api/pupils/", "list", STAFF | PUPILS),
    Api("pupil-detail", "get", lambda w: f"/api/pupils/{w.pupil.pk}/", "read", SELF_READERS),
    Api(
        "pupil-detail",
        "patch",
        lambda w: f"/api/pupils/{w.pupil.pk}/",
        "change",
        SELF_READERS,
        data=lambda w: {"display_name": "Noor B."},
    ),
    Api(
        "pupil-list",
        "post",
        lambda w: "/api/pupils/",
        "create",
        set(),
        data=lambda w: {"group": w.group.pk, "display_name": "Finn"},
    ),
    Api(
        "pupil-new-picture-code",
        "post",
        lambda w: f"/api/pupils/{w.pupil.pk}/new-picture-code/",
        "change",
        SELF_READERS,
    ),
    Api(
        "pupil-unlock",
        "post",
        lambda w: f"/api/pupils/{w.pupil.pk}/unlock/",
        "change",
        SELF_READERS,
    ),
    # Places and lessons: the whole group reads, its teachers change.
    Api("place-list", "get", lambda w: "/api/places/", "list", STAFF | PUPILS),
    Api("place-detail", "get", lambda w: f"/api/places/{w.place.pk}/", "read", GROUP_READERS),
    Api(
        "place-detail",
        "patch",
        lambda w: f"/api/places/{w.place.pk}/",
        "change",
        GROUP_READERS,
        data=lambda w: {"capacity": 6},
    ),
    Api("place-detail", "delete", lambda w: f"/api/places/{w.place.pk}/", "change", GROUP_READERS),
    Api(
        "place-list",
        "post",
        lambda w: "/api/places/",
        "create",
        set(),
        data=lambda w: {"group": w.group.pk, "name": "Gang", "icon": "door"},
    ),
    Api("lesson-list", "get", lambda w: "/api/lessons/", "list", STAFF | PUPILS),
    Api("lesson-detail", "get", lambda w: f"/api/lessons/{w.lesson.pk}/", "read", GROUP_READERS),
    Api(
        "lesson-detail",
        "patch",
        lambda w: f"/api/lessons/{w.lesson.pk}/",
        "change",
        GROUP_READERS,
        data=lambda w: {"goal_openness": "free"},
    ),
    # Deleting: a lesson that has not started (a given one keeps its logbooks: 400).
    Api(
        "lesson-detail",
        "delete",
        lambda w: f"/api/lessons/{w.planned.pk}/",
        "change",
        GROUP_READERS,
    ),
    Api(
        "lesson-list",
        "post",
        lambda w: "/api/lessons/",
        "create",
        set(),
        data=lambda w: {
            "group": w.group.pk,
            "title": "Meten",
            "subject": "rekenen",
            "date": "2026-11-24",
        },
    ),
    Api(
        "lesson-start",
        "post",
        lambda w: f"/api/lessons/{w.other_lesson.pk}/start/",
        "change",
        {"colleague", "school_admin", "other_pupil"},
        statuses={
            "colleague": 200,
            "school_admin": 200,
            "other_pupil": 403,
            "teacher": 404,
            "other_school_teacher": 404,
            "pupil": 404,
            "classmate": 404,
            "anonymous": 403,
        },
    ),
    Api(
        "lesson-end", "post", lambda w: f"/api/lessons/{w.lesson.pk}/end/", "change", GROUP_READERS
    ),
    # The live dashboard names pupils and their choices: the lesson's teachers only.
    Api(
        "api-lesson-dashboard",
        "get",
        lambda w: f"/api/lessons/{w.lesson.pk}/dashboard/",
        "change",
        GROUP_READERS,
    ),
]
COVERED = {case.route for case in API}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API, ids=api_ids(API))
def test_api_matrix(world, api, case, persona):
    check_api(world, api, case, persona)


def visible_ids(w, route: str, persona: str) -> set:
    """What each persona should find in each list."""
    groups = groups_of(w)
    if route == "school-list":
        return {
            "teacher": {w.school.pk},
            "colleague": {w.school.pk},
            "school_admin": {w.school.pk},
            "other_school_teacher": {w.other_school.pk},
        }.get(persona, set())
    if route == "group-list":
        return groups[persona]
    if route == "pupil-list":
        return {
            "teacher": {w.pupil.pk, w.classmate.pk},
            "school_admin": set(w.school.groups.values_list("pupils__id", flat=True)),
            "colleague": {w.other_pupil.pk},
            "other_school_teacher": set(w.foreign_group.pupils.values_list("id", flat=True)),
            "pupil": {w.pupil.pk},
            "classmate": {w.classmate.pk},
            "other_pupil": {w.other_pupil.pk},
        }[persona]
    model = {"place-list": Place, "lesson-list": Lesson}[route]
    return set(model.objects.filter(group_id__in=groups[persona]).values_list("id", flat=True))


LIST_URLS = {
    "school-list": "/api/schools/",
    "group-list": "/api/groups/",
    "pupil-list": "/api/pupils/",
    "place-list": "/api/places/",
    "lesson-list": "/api/lessons/",
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("route", list(LIST_URLS))
def test_lists_show_exactly_what_each_persona_may_see(world, api, route, persona):
    check_list(api, world, LIST_URLS[route], persona, lambda: visible_ids(world, route, persona))


def test_a_pupil_never_sees_picture_codes_through_the_api(world, api):
    api.force_login(world.pupil.user)
    row = api.get(f"/api/pupils/{world.pupil.pk}/").json()
    assert "picture_code" not in row
    assert world.pupil.picture_code not in api.get("/api/pupils/").content.decode()
