"""Every endpoint, every persona: who gets data, who gets 403/404.

Readers may GET; managers may also change. Anyone else gets 404 for an object (its
existence is not revealed) and 403 for creating in a group they do not manage.
Anonymous API callers get 403, anonymous page visitors are sent to a login page.
`test_every_route_is_in_the_matrix` fails when a new route is not listed here.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from classroom import actions
from goals.models import Block, Goal, SelfAssessment, Strand, TeacherAssessment
from tests.conftest import PERSONAS, World
from tests.images import jpeg_bytes
from tests.research import test_research_matrix as research_matrix

MANAGERS = {"teacher", "school_admin"}
GROUP_READERS = MANAGERS | {"pupil", "classmate"}
SELF_READERS = MANAGERS | {"pupil"}
STAFF = {"teacher", "colleague", "other_school_teacher", "school_admin"}
PUPILS = {"pupil", "classmate", "other_pupil"}


@dataclass
class Api:
    route: str
    method: str
    url: Callable[[World], str]
    kind: str  # "list", "read", "change", "create"
    readers: set
    data: Callable[[World], dict] | None = None
    # Where the general rule does not fit, the exact status per persona.
    statuses: dict | None = None
    fmt: str = "json"


def upload():
    return SimpleUploadedFile("werk.jpg", jpeg_bytes(), content_type="image/jpeg")


GROUP_PUPILS = {"pupil", "classmate"}


def pupil_write(ok: int) -> dict:
    """A pupil's own write in their group: teachers may read the group but not write as
    a pupil (403); outsiders cannot see the goal (404 or 400 for an unknown goal)."""
    return {
        **{p: ok for p in GROUP_PUPILS},
        "teacher": 403,
        "school_admin": 403,
        "colleague": 403,
        "other_school_teacher": 403,
        "anonymous": 403,
    }


def group_ids(w: World) -> set:
    return {w.group.pk}


API = [
    Api("api-me", "get", lambda w: "/api/me/", "list", STAFF | PUPILS),
    # Schools: staff of a school read it, its admin changes it.
    Api("school-list", "get", lambda w: "/api/schools/", "list", STAFF | PUPILS),
    Api(
        "school-detail",
        "get",
        lambda w: f"/api/schools/{w.school.pk}/",
        "read",
        {"teacher", "colleague", "school_admin"},
    ),
    Api(
        "school-detail",
        "patch",
        lambda w: f"/api/schools/{w.school.pk}/",
        "change",
        {"teacher", "colleague", "school_admin"},
        data=lambda w: {"city": "Deventer"},
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
    Api(
        "lesson-detail", "delete", lambda w: f"/api/lessons/{w.lesson.pk}/", "change", GROUP_READERS
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
    # Goals: strands belong to the school's staff; blocks and goals to the group.
    Api("strand-list", "get", lambda w: "/api/strands/", "list", STAFF | PUPILS),
    Api(
        "strand-detail",
        "get",
        lambda w: f"/api/strands/{w.strand.pk}/",
        "read",
        {"teacher", "colleague", "school_admin"},
    ),
    Api("block-list", "get", lambda w: "/api/blocks/", "list", STAFF | PUPILS),
    Api("block-detail", "get", lambda w: f"/api/blocks/{w.block.pk}/", "read", GROUP_READERS),
    Api("goal-list", "get", lambda w: "/api/goals/", "list", STAFF | PUPILS),
    Api("goal-detail", "get", lambda w: f"/api/goals/{w.goal.pk}/", "read", GROUP_READERS),
    Api(
        "goal-star",
        "post",
        lambda w: f"/api/goals/{w.goal.pk}/star/",
        "pupil-write",
        set(),
        data=lambda w: {"starred": True},
        statuses={
            **pupil_write(200),
            # Outsiders cannot see the goal at all.
            "other_pupil": 404,
            "colleague": 404,
            "other_school_teacher": 404,
        },
    ),
    # Marks: a pupil reads only their own; only the pupil writes self-assessments.
    Api("selfassessment-list", "get", lambda w: "/api/self-assessments/", "list", STAFF | PUPILS),
    Api(
        "selfassessment-detail",
        "get",
        lambda w: f"/api/self-assessments/{w.self_mark.pk}/",
        "read",
        SELF_READERS,
    ),
    Api(
        "selfassessment-list",
        "post",
        lambda w: "/api/self-assessments/",
        "pupil-write",
        set(),
        data=lambda w: {"goal": w.goal.pk, "level": 3},
        statuses={**pupil_write(201), "other_pupil": 400},
    ),
    Api(
        "teacherassessment-list",
        "get",
        lambda w: "/api/teacher-assessments/",
        "list",
        STAFF | PUPILS,
    ),
    Api(
        "teacherassessment-detail",
        "get",
        lambda w: f"/api/teacher-assessments/{w.teacher_mark.pk}/",
        "read",
        SELF_READERS,
    ),
    # Planbord: the group's board is visible to the group; children plan themselves.
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
            "pictogram": "cloud",
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
        statuses={
            "pupil": 204,
            "teacher": 204,
            "school_admin": 204,
            "classmate": 403,
            "colleague": 404,
            "other_school_teacher": 404,
            "other_pupil": 404,
            "anonymous": 403,
        },
    ),
    Api(
        "plan-tick",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/tick/",
        "change",
        set(),
        data=lambda w: {"done": True},
        statuses={
            "pupil": 200,
            "teacher": 200,
            "school_admin": 200,
            "classmate": 403,
            "colleague": 404,
            "other_school_teacher": 404,
            "other_pupil": 404,
            "anonymous": 403,
        },
    ),
    Api(
        "plan-move",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/move/",
        "change",
        set(),
        data=lambda w: {"slot": w.slot2.pk},
        statuses={
            "teacher": 200,
            "school_admin": 200,
            "pupil": 403,
            "classmate": 403,
            "colleague": 404,
            "other_school_teacher": 404,
            "other_pupil": 404,
            "anonymous": 403,
        },
    ),
    # Photos: the pupil and their teachers; only the pupil adds them.
    Api("photo-list", "get", lambda w: "/api/photos/", "list", STAFF | PUPILS),
    Api("photo-detail", "get", lambda w: f"/api/photos/{w.photo.pk}/", "read", SELF_READERS),
    Api(
        "photo-list",
        "post",
        lambda w: "/api/photos/",
        "pupil-write",
        set(),
        data=lambda w: {"image": upload(), "goal": w.goal.pk},
        fmt="multipart",
        statuses={**pupil_write(201), "other_pupil": 400},
    ),
    # Rekengesprek notes: the group's teachers only, never a pupil.
    Api(
        "conversationnote-list", "get", lambda w: "/api/conversation-notes/", "list", STAFF | PUPILS
    ),
    Api(
        "conversationnote-detail",
        "get",
        lambda w: f"/api/conversation-notes/{w.note.pk}/",
        "read",
        MANAGERS,
    ),
    Api(
        "conversationnote-list",
        "post",
        lambda w: "/api/conversation-notes/",
        "create",
        set(),
        data=lambda w: {"pupil": w.pupil.pk, "text": "Gesprek", "goals": [w.goal.pk]},
        statuses={
            "teacher": 201,
            "school_admin": 201,
            "colleague": 400,
            "other_school_teacher": 400,
            "pupil": 403,
            "classmate": 403,
            "other_pupil": 403,
            "anonymous": 403,
        },
    ),
    # Logbook entries: pupils choose and evaluate their own, teachers override.
    Api("logbookentry-list", "get", lambda w: "/api/logbook-entries/", "list", STAFF | PUPILS),
    Api(
        "logbookentry-detail",
        "get",
        lambda w: f"/api/logbook-entries/{w.entry.pk}/",
        "read",
        SELF_READERS,
    ),
    Api(
        "logbookentry-choose",
        "post",
        lambda w: "/api/logbook-entries/choose/",
        "pupil-write",
        set(),
        data=lambda w: {"lesson": w.lesson.pk, "aspect": "place", "value": w.place.pk},
        statuses={**pupil_write(200), "other_pupil": 400},
    ),
    Api(
        "logbookentry-evaluate",
        "post",
        lambda w: "/api/logbook-entries/evaluate/",
        "pupil-write",
        set(),
        data=lambda w: {"lesson": w.lesson.pk, "mood": "great", "levels": []},
        statuses={**pupil_write(200), "other_pupil": 400},
    ),
    Api(
        "logbookentry-override",
        "post",
        lambda w: "/api/logbook-entries/override/",
        "create",
        set(),
        data=lambda w: {
            "pupil": w.pupil.pk,
            "lesson": w.lesson.pk,
            "aspect": "instruction",
            "value": {"wanted": True},
        },
        statuses={
            "teacher": 200,
            "school_admin": 200,
            "colleague": 400,
            "other_school_teacher": 400,
            "pupil": 403,
            "classmate": 403,
            "other_pupil": 403,
            "anonymous": 403,
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
    Api(
        "teacherassessment-list",
        "post",
        lambda w: "/api/teacher-assessments/",
        "create",
        set(),
        data=lambda w: {"pupil": w.pupil.pk, "goal": w.goal.pk, "level": 3},
    ),
]


def expected_api_status(case: Api, persona: str) -> int:
    if case.statuses is not None:
        return case.statuses[persona]
    if persona == "anonymous":
        return 403
    if case.kind == "list":
        return 200
    if case.kind == "read":
        return 200 if persona in case.readers else 404
    if case.kind == "change":
        if persona in MANAGERS:
            return 204 if case.method == "delete" else 200
        return 403 if persona in case.readers else 404
    if case.kind == "create":
        return 201 if persona in MANAGERS else 403
    if case.kind == "create-admin":
        return 201 if persona == "school_admin" else 403
    raise AssertionError(case.kind)


def _school_change_status(persona: str) -> int:
    # Only the school admin changes the school; other staff of the school read it.
    if persona == "school_admin":
        return 200
    if persona in {"teacher", "colleague"}:
        return 403
    return 403 if persona == "anonymous" else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API, ids=[f"{c.method}-{c.route}-{c.kind}" for c in API])
def test_api_matrix(world, api, case, persona):
    user = world.user(persona)
    if user is not None:
        api.force_login(user)
    data = case.data(world) if case.data else None
    response = getattr(api, case.method)(case.url(world), data=data, format=case.fmt)
    expected = expected_api_status(case, persona)
    if case.route == "school-detail" and case.method == "patch":
        expected = _school_change_status(persona)
    assert response.status_code == expected, response.content
    if expected in (403, 404):
        body = response.content.decode()
        # Refusals never carry the data they guard.
        assert "Noor" not in body and world.group.class_code not in body
        assert "noemers" not in body and "breuken" not in body


def visible_ids(world: World, route: str, persona: str) -> set:
    """What each persona should find in each list."""
    w = world
    pupils_of = {
        "teacher": {w.pupil.pk, w.classmate.pk},
        "school_admin": set(w.school.groups.values_list("pupils__id", flat=True)),
        "colleague": {w.other_pupil.pk},
        "other_school_teacher": set(w.foreign_group.pupils.values_list("id", flat=True)),
        "pupil": {w.pupil.pk},
        "classmate": {w.classmate.pk},
        "other_pupil": {w.other_pupil.pk},
    }
    groups_of = {
        "teacher": {w.group.pk},
        "school_admin": {w.group.pk, w.other_group.pk},
        "colleague": {w.other_group.pk},
        "other_school_teacher": {w.foreign_group.pk},
        "pupil": {w.group.pk},
        "classmate": {w.group.pk},
        "other_pupil": {w.other_group.pk},
    }
    if route == "school-list":
        return {
            "teacher": {w.school.pk},
            "colleague": {w.school.pk},
            "school_admin": {w.school.pk},
            "other_school_teacher": {w.other_school.pk},
        }.get(persona, set())
    if route == "group-list":
        return groups_of[persona]
    if route == "pupil-list":
        return pupils_of[persona]
    if route == "place-list":
        from classroom.models import Place

        return set(
            Place.objects.filter(group_id__in=groups_of[persona]).values_list("id", flat=True)
        )
    if route == "lesson-list":
        from classroom.models import Lesson

        return set(
            Lesson.objects.filter(group_id__in=groups_of[persona]).values_list("id", flat=True)
        )
    if route == "strand-list":
        staff_school = {
            "teacher": w.school.pk,
            "colleague": w.school.pk,
            "school_admin": w.school.pk,
            "other_school_teacher": w.other_school.pk,
        }.get(persona)
        return set(Strand.objects.filter(school_id=staff_school).values_list("id", flat=True))
    if route == "block-list":
        return set(
            Block.objects.filter(group_id__in=groups_of[persona]).values_list("id", flat=True)
        )
    if route == "goal-list":
        goals = Goal.objects.filter(block__group_id__in=groups_of[persona])
        return set(goals.values_list("id", flat=True))
    if route in {"selfassessment-list", "teacherassessment-list"}:
        model = SelfAssessment if route == "selfassessment-list" else TeacherAssessment
        if persona in PUPILS:
            marks = model.objects.filter(pupil=getattr(w, persona))
        else:
            marks = model.objects.filter(pupil__group_id__in=groups_of[persona])
        return set(marks.values_list("id", flat=True))
    if route in {"activity-list", "board-list", "plan-list"}:
        from planboard.models import Activity, Board, Plan

        rows = {
            "activity-list": Activity.objects.filter(group_id__in=groups_of[persona]),
            "board-list": Board.objects.filter(group_id__in=groups_of[persona]),
            "plan-list": Plan.objects.filter(board__group_id__in=groups_of[persona]),
        }[route]
        return set(rows.values_list("id", flat=True))
    raise AssertionError(route)


LIST_URLS = {
    "activity-list": "/api/activities/",
    "board-list": "/api/boards/",
    "plan-list": "/api/plans/",
    "school-list": "/api/schools/",
    "group-list": "/api/groups/",
    "pupil-list": "/api/pupils/",
    "place-list": "/api/places/",
    "lesson-list": "/api/lessons/",
    "strand-list": "/api/strands/",
    "block-list": "/api/blocks/",
    "goal-list": "/api/goals/",
    "selfassessment-list": "/api/self-assessments/",
    "teacherassessment-list": "/api/teacher-assessments/",
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("route", list(LIST_URLS))
def test_lists_show_exactly_what_each_persona_may_see(world, api, route, persona):
    api.force_login(world.user(persona))
    response = api.get(LIST_URLS[route])
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == visible_ids(world, route, persona)


def test_a_pupil_never_sees_picture_codes_through_the_api(world, api):
    api.force_login(world.pupil.user)
    row = api.get(f"/api/pupils/{world.pupil.pk}/").json()
    assert "picture_code" not in row
    assert world.pupil.picture_code not in api.get("/api/pupils/").content.decode()


# --- Pages --------------------------------------------------------------------------


@dataclass
class Page:
    route: str
    method: str
    url: Callable[[World], str]
    allowed: set
    ok: int = 200
    data: Callable[[World], dict] | None = None


def teacher_page_status(page: Page, persona: str) -> int:
    if persona == "anonymous":
        return 302
    if persona in PUPILS:
        return 403
    return page.ok if persona in page.allowed else 404


PAGES = [
    Page("frontend:teacher-home", "get", lambda w: "/leerkracht/", STAFF),
    Page("frontend:group", "get", lambda w: f"/leerkracht/groep/{w.group.pk}/", MANAGERS),
    Page(
        "frontend:login-cards",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/kaarten/",
        MANAGERS,
    ),
    Page("frontend:group-qr", "get", lambda w: f"/leerkracht/groep/{w.group.pk}/qr.svg", MANAGERS),
    Page(
        "frontend:group-new-code",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/nieuwe-klascode/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:pupil-photo", "get", lambda w: f"/leerkracht/leerling/{w.pupil.pk}/foto", MANAGERS
    ),
    Page(
        "frontend:pupil-unlock",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/ontgrendel/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:pupil-new-code",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/nieuwe-code/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:group-blocks",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/doelen/",
        MANAGERS,
    ),
    Page("frontend:block-overview", "get", lambda w: f"/leerkracht/blok/{w.block.pk}/", MANAGERS),
    Page(
        "frontend:teacher-pupil-booklet",
        "get",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/doelenboekje/",
        MANAGERS,
    ),
    Page(
        "frontend:assess",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/doel/{w.goal.pk}/beoordeel/",
        MANAGERS,
        ok=302,
    ),
]


PAGES += [
    Page("frontend:lesson", "get", lambda w: f"/leerkracht/les/{w.lesson.pk}/", MANAGERS),
    Page(
        "frontend:lesson-control",
        "post",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/stop/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:lesson-settings",
        "post",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/instellingen/",
        MANAGERS,
        ok=302,
        data=lambda w: {
            "goal_openness": "choice",
            "instruction_openness": "free",
            "place_openness": "free",
            "partner_openness": "fixed",
            "order_openness": "fixed",
            "differentiation": "individual",
            "fixed_instruction": "",
            "goal_options": [w.goal.pk],
        },
    ),
    Page(
        "frontend:teacher-planboard",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/planbord/",
        MANAGERS,
    ),
    Page(
        "frontend:teacher-planboard-change",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/planbord/wijzig/",
        MANAGERS,
        ok=302,
        data=lambda w: {"command": "slot", "activity": w.activity.pk, "on": "1"},
    ),
    Page(
        "frontend:digibord",
        "get",
        lambda w: f"/leerkracht/planbord/{w.board.pk}/digibord/",
        MANAGERS,
    ),
    Page(
        "frontend:pupil-planboard-week",
        "get",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/planbord/",
        MANAGERS,
    ),
    Page(
        "frontend:add-note",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/rekengesprek/",
        MANAGERS,
        ok=302,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.route)
def test_teacher_pages_matrix(world, client_as, page, persona):
    actions.set_pupil_photo(
        world.pupil, SimpleUploadedFile("noor.jpg", jpeg_bytes(), content_type="image/jpeg")
    )
    client = client_as(world.user(persona))
    before = (world.group.class_code, world.pupil.picture_code)
    data = page.data(world) if page.data else None
    response = getattr(client, page.method)(page.url(world), data)
    expected = teacher_page_status(page, persona)
    assert response.status_code == expected
    if expected == 302 and persona == "anonymous":
        assert response["Location"].startswith("/login/")
    if expected != page.ok:
        world.group.refresh_from_db()
        world.pupil.refresh_from_db()
        # A refused POST changed nothing.
        assert (world.group.class_code, world.pupil.picture_code) == before


PUPIL_PAGES = [
    ("frontend:pupil-home", "get", "/leerling/", 200),
    ("frontend:switch-pupil", "post", "/leerling/wissel/", 302),
    ("frontend:pupil-booklet", "get", "/leerling/doelenboekje/", 200),
    ("frontend:pupil-photos", "get", "/leerling/fotos/", 200),
    ("frontend:pupil-planboard", "get", "/leerling/planbord/", 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route,method,url,ok", PUPIL_PAGES, ids=[p[0] for p in PUPIL_PAGES])
def test_pupil_pages_matrix(world, client_as, route, method, url, ok, persona):
    response = getattr(client_as(world.user(persona)), method)(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/klas/")
    elif persona in PUPILS:
        assert response.status_code == ok
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_block_of_the_booklet_is_only_for_its_groups_pupils(world, client_as, persona):
    """frontend:pupil-booklet-block"""
    response = client_as(world.user(persona)).get(f"/leerling/doelenboekje/{world.block.pk}/")
    expected = {"pupil": 200, "classmate": 200, "other_pupil": 404, "anonymous": 302}
    assert response.status_code == expected.get(persona, 403)
    if response.status_code == 200:
        assert "Ik kan breuken vergelijken." in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_lessons_logbook_is_only_for_its_groups_pupils(world, client_as, persona):
    """frontend:pupil-logbook"""
    response = client_as(world.user(persona)).get(f"/leerling/logboek/{world.lesson.pk}/")
    expected = {"pupil": 200, "classmate": 200, "other_pupil": 404, "anonymous": 302}
    assert response.status_code == expected.get(persona, 403)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "klein/"], ids=["photo", "photo-thumbnail"])
def test_a_photo_is_only_for_the_pupil_and_their_teachers(world, client_as, persona, suffix):
    """frontend:photo, frontend:photo-thumbnail"""
    response = client_as(world.user(persona)).get(f"/foto/{world.photo.pk}/{suffix}")
    if persona in {"pupil", "teacher", "school_admin"}:
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404


# Open to anyone: the start page, logins, the class pages reached by class code, the
# API schema and docs, health, language switching, and Django's own admin (which is
# scoped by classroom.admin and tested in test_admin.py).
PUBLIC_ROUTES = {
    "frontend:start",
    "frontend:service-worker",
    "frontend:manifest",
    "frontend:home",
    "frontend:teacher-login",
    "frontend:logout",
    "frontend:class-code",
    "frontend:class-grid",
    "frontend:picture-code",
    "frontend:class-photo",
    "api-root",
    "api-schema",
    "api-docs",
    "healthz",
    "set_language",
}


def _route_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue
            yield from _route_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    covered = (
        {c.route for c in API}
        | {p.route for p in PAGES}
        | {p[0] for p in PUPIL_PAGES}
        # Routes with a test of their own above:
        | {"frontend:pupil-booklet-block", "frontend:pupil-logbook"}
        | {"frontend:photo", "frontend:photo-thumbnail"}
        # Research and design teams: tests/research/test_research_matrix.py.
        | {f"frontend:{r.name}" for r in research_matrix.ROUTES}
        | {"study-list", "study-detail", "study-export", "consent-list"}
    )
    routes = set(_route_names(get_resolver()))
    missing = routes - covered - PUBLIC_ROUTES
    assert not missing, f"routes without permission-matrix entries: {sorted(missing)}"
