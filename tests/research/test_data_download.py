"""A pupil's data download holds everything stored about them, generated from the
schema: every model that points at a pupil or at a user account is in it (a new model
is too, without a change to research/rights.py), and so are the rows that refer to
them otherwise (sessions, django-axes' login records, the admin log)."""

import io
import json
import uuid
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.test import Client, override_settings

from classroom.models import Pupil
from research import rights
from research.rights import pupil_data
from tests.conftest import enter_picture_code
from tests.research.test_rights import _rich_pupil

# Models that point at a pupil or a user but can hold nothing about a pupil; each with
# why. (Empty: every such model is in the download, empty where nothing is stored.)
EXCLUDED: dict[str, str] = {}


def _references(model):
    """The model's own fields that point at a pupil or at a user (found here, not with
    research.rights, so that the test checks the download's walk)."""
    targets = (Pupil, get_user_model())
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and field.is_relation
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model in targets
    ]


def _referring_models():
    user_model = get_user_model()
    return [
        model for model in apps.get_models() if model in (Pupil, user_model) or _references(model)
    ]


def _stored_about(model, pupil) -> int:
    """How many rows of `model` point at the pupil or their account."""
    where = Q(pk__in=[])
    for field in _references(model):
        value = pupil if field.related_model is Pupil else pupil.user
        where |= Q(**{field.name: value})
    if model is Pupil:
        where |= Q(pk=pupil.pk)
    if model is get_user_model():
        where |= Q(pk=pupil.user_id)
    return model._base_manager.filter(where).distinct().count()


@pytest.fixture
def noor(world, client):
    """Noor with everything (test_rights), logged in through her picture code where
    django-axes keeps its access log, an idempotent write of hers, and a change to her
    in the admin."""
    noor = _rich_pupil(world, client)
    device = Client()
    with override_settings(AXES_DISABLE_ACCESS_LOG=False):
        assert enter_picture_code(device, noor, "sun,fish,star").status_code == 302
    response = device.post(
        "/api/logbook-entries/choose/",
        {"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 200, response.content
    admin = Client()
    admin.force_login(world.school_admin)
    response = admin.post(
        f"/admin/classroom/pupil/{noor.pk}/change/",
        {
            "group": world.group.pk,
            "display_name": "Noor",
            "avatar": noor.avatar,
            "avatar_colour": noor.avatar_colour,
            "active": "on",
        },
    )
    assert response.status_code == 302
    return Pupil.objects.select_related("user", "group__school").get(pk=noor.pk)


def _download(pupil):
    archive = zipfile.ZipFile(io.BytesIO(pupil_data(pupil)))
    return archive, lambda name: json.loads(archive.read(name))


def test_every_model_that_points_at_a_pupil_or_a_user_is_in_the_download(noor):
    archive, read = _download(noor)
    names = set(archive.namelist())
    models = _referring_models()
    assert len(models) >= 15  # the walk found the apps' models
    missing = [
        model._meta.label
        for model in models
        if f"tables/{model._meta.label_lower}.json" not in names
        and model._meta.label not in EXCLUDED
    ]
    assert not missing, f"not in the pupil's data download: {missing}"
    assert set(EXCLUDED) <= {model._meta.label for model in models}
    # And each holds every row stored about her (the admin log also the entries about
    # her rows, so at least as many).
    for model in models:
        rows = read(f"tables/{model._meta.label_lower}.json")
        stored = _stored_about(model, noor)
        if model._meta.label == "admin.LogEntry":
            assert len(rows) >= stored
        else:
            assert len(rows) == stored, model._meta.label
    # Not a vacuous walk: her rows are there.
    for label in ("logbook.logbookentry", "classroom.usageevent", "classroom.idempotencyrecord"):
        assert read(f"tables/{label}.json"), label


def test_the_download_holds_her_account_login_authors_answers_and_logs(noor, world):
    archive, read = _download(noor)
    (user,) = read("tables/auth.user.json")
    assert user["username"] == noor.user.username and "password" not in user
    (pupil,) = read("tables/classroom.pupil.json")
    assert pupil["login_token"] == noor.login_token
    assert pupil["picture_code"] == "sun,fish,star"
    # Who wrote the teacher's marks, notes and reactions (the teacher has no full name).
    (mark,) = read("tables/goals.teacherassessment.json")
    assert mark["teacher"]["is"] == "juf.mirjam" and mark["note"] == "Oefent nog met noemers."
    assert read("tables/logbook.conversationnote.json")[0]["teacher"]["is"] == "juf.mirjam"
    assert read("tables/logbook.reaction.json")[0]["teacher"]["is"] == "juf.mirjam"
    (consent,) = read("tables/research.consent.json")
    assert consent["status"] == "given" and consent["set_by"]["is"] == "juf.mirjam"
    # Who did what in the usage log: she herself, and her teacher.
    actors = {event["actor"]["is"] for event in read("tables/classroom.usageevent.json")}
    assert {rights.THIS_PUPIL, "juf.mirjam"} <= actors
    # The API's stored answer to her own write.
    (answer,) = read("tables/classroom.idempotencyrecord.json")
    assert answer["scope"] == "POST /api/logbook-entries/choose/"
    assert answer["body"]["place"] == world.place.pk
    # Her sessions, decoded, without their keys or the password-derived hash.
    sessions = read("tables/sessions.session.json")
    assert sessions and all(s["data"]["_auth_user_id"] == str(noor.user_id) for s in sessions)
    assert all("_auth_user_hash" not in s["data"] for s in sessions)
    # Her login in django-axes' log, and the admin's change to her.
    logins = read("tables/axes.accesslog.json")
    assert [login["username"] for login in logins] == [noor.user.username]
    assert "session_hash" not in logins[0]
    changes = read("tables/admin.logentry.json")
    assert [c["object"] for c in changes if c["about"] == "classroom.pupil"] == ["Noor"]
    assert changes[0]["by"] == "directeur.karin"
    # Daan's entry names her as his partner: it is there, without his words or name.
    named = [row for row in read("tables/logbook.logbookentry.json") if "named_in" in row]
    assert [row["named_in"] for row in named] == [["partners"]]
    assert "Daan" not in json.dumps(named) and "instruction_text" not in named[0]
    # No session key and no password hash anywhere in the zip.
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for session in Session.objects.all():
        assert session.session_key.encode() not in everything
    assert noor.user.password.encode() not in everything


def test_the_readable_files_stay(noor):
    archive, read = _download(noor)
    assert read("pupil.json")["name"] == "Noor"
    assert {"logbook_entries.json", "photos.json", "portrait.jpg"} <= set(archive.namelist())
