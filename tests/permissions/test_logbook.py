"""The logbook API, every persona: photos, rekengesprek notes and logbook entries."""

import pytest

from tests.conftest import PERSONAS
from tests.permissions.matrix import (
    MANAGERS,
    PUPILS,
    SELF_READERS,
    STAFF,
    Api,
    api_ids,
    check_api,
    pupil_write,
    upload,
)

# A teacher's write about a pupil: the group's teachers; other staff name an unknown
# pupil (400); pupils may not.
TEACHERS_WRITE = {
    "teacher": 200,
    "school_admin": 200,
    "colleague": 400,
    "other_school_teacher": 400,
    "pupil": 403,
    "classmate": 403,
    "other_pupil": 403,
    "anonymous": 403,
}

API = [
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
        statuses={**TEACHERS_WRITE, "teacher": 201, "school_admin": 201},
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
        "logbookentry-help",
        "post",
        lambda w: "/api/logbook-entries/help/",
        "pupil-write",
        set(),
        data=lambda w: {"lesson": w.lesson.pk, "reason": "done"},
        statuses={**pupil_write(200), "other_pupil": 400},
    ),
    Api(
        "logbookentry-help-answer",
        "post",
        lambda w: "/api/logbook-entries/help-answer/",
        "create",
        set(),
        data=lambda w: {"pupil": w.pupil.pk, "lesson": w.lesson.pk, "answer": "done"},
        statuses=TEACHERS_WRITE,
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
        statuses=TEACHERS_WRITE,
    ),
]
COVERED = {case.route for case in API}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API, ids=api_ids(API))
def test_api_matrix(world, api, case, persona):
    check_api(world, api, case, persona)
