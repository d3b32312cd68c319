"""Sessions made before classroom.backends.AccountBackend name Django's ModelBackend,
which is no longer configured: without this, everybody signed in (a class mid-lesson
included) would be signed out by the upgrade. Each such session is rewritten to name the
account backend (the same accounts, read with their pupil record)."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

KEY = "_auth_user_backend"
OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "classroom.backends.AccountBackend"


def _rename(apps, old: str, new: str) -> None:
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        data = store.decode(session.session_data)
        if data.get(KEY) == old:
            data[KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forward(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backward(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("classroom", "0009_auditrecord"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
