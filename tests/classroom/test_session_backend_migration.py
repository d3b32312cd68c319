"""An upgrade signs nobody out: sessions made before the account backend (naming Django's
ModelBackend) are rewritten by classroom migration 0010 and still sign their user in."""

import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore

migration = importlib.import_module("classroom.migrations.0010_sessions_name_the_account_backend")


def _old_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = migration.OLD
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.mark.django_db
def test_a_session_from_before_the_upgrade_still_signs_its_teacher_and_pupil_in(world, client):
    teacher, pupil = _old_session(world.teacher), _old_session(world.pupil.user)
    client.cookies["sessionid"] = teacher
    assert client.get("/leerkracht/").status_code == 302  # not signed in: the old name

    migration.forward(apps, None)

    client.cookies["sessionid"] = teacher
    assert client.get("/leerkracht/").status_code == 200
    client.cookies["sessionid"] = pupil
    assert client.get("/leerling/").status_code == 200
    assert SessionStore(session_key=pupil)["_auth_user_backend"] == migration.NEW

    migration.backward(apps, None)
    assert SessionStore(session_key=pupil)["_auth_user_backend"] == migration.OLD
