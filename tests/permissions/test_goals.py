"""The goals API, every persona: strands, blocks, goals, stars and marks."""

import pytest

from goals.models import Block, Goal, SelfAssessment, Strand, TeacherAssessment
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
    staff_school,
)

API = [
    # Strands belong to the school's staff; blocks and goals to the group.
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
    Api(
        "teacherassessment-list",
        "post",
        lambda w: "/api/teacher-assessments/",
        "create",
        set(),
        data=lambda w: {"pupil": w.pupil.pk, "goal": w.goal.pk, "level": 3},
    ),
]
COVERED = {case.route for case in API}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API, ids=api_ids(API))
def test_api_matrix(world, api, case, persona):
    check_api(world, api, case, persona)


def visible_ids(w, route: str, persona: str) -> set:
    """What each persona should find in each list."""
    groups = groups_of(w)[persona]
    if route == "strand-list":
        strands = Strand.objects.filter(school_id=staff_school(w, persona))
        return set(strands.values_list("id", flat=True))
    if route == "block-list":
        return set(Block.objects.filter(group_id__in=groups).values_list("id", flat=True))
    if route == "goal-list":
        return set(Goal.objects.filter(block__group_id__in=groups).values_list("id", flat=True))
    model = SelfAssessment if route == "selfassessment-list" else TeacherAssessment
    if persona in PUPILS:
        marks = model.objects.filter(pupil=getattr(w, persona))
    else:
        marks = model.objects.filter(pupil__group_id__in=groups)
    return set(marks.values_list("id", flat=True))


LIST_URLS = {
    "strand-list": "/api/strands/",
    "block-list": "/api/blocks/",
    "goal-list": "/api/goals/",
    "selfassessment-list": "/api/self-assessments/",
    "teacherassessment-list": "/api/teacher-assessments/",
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("route", list(LIST_URLS))
def test_lists_show_exactly_what_each_persona_may_see(world, api, route, persona):
    check_list(api, world, LIST_URLS[route], persona, lambda: visible_ids(world, route, persona))
