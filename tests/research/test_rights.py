"""A pupil's data rights: everything about them in one zip, and erasure that leaves no
row and no file that refers to them."""

import io
import json
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ForeignKey, ManyToManyField, OneToOneField

from classroom import actions as classroom_actions
from classroom.models import Pupil, UsageEvent
from goals import actions as goal_actions
from logbook import actions as logbook_actions
from logbook import entries
from planboard import actions as planboard_actions
from planboard.models import Slot
from research import actions
from research.actions import erase_pupil
from research.models import Dataset
from research.rights import pupil_data
from tests.conftest import block_study
from tests.images import jpeg_bytes


def _rich_pupil(world, client):
    """Noor with everything: entries, marks, stars, photos, a portrait, a plan, a note,
    consent, events, a session; and Daan's partner."""
    noor = world.pupil
    classroom_actions.set_pupil_photo(noor, SimpleUploadedFile("noor.jpg", jpeg_bytes()))
    goal_actions.set_star(pupil=noor, goal=world.goal, starred=True)
    entries.choose(
        pupil=noor,
        lesson=world.lesson,
        aspect="instruction",
        value={"wanted": True, "reason": "other", "text": "Noor wil uitleg"},
    )
    entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="partner", value=[noor.pk])
    photo = logbook_actions.add_photo(
        pupil=noor, upload=SimpleUploadedFile("w.jpg", jpeg_bytes()), goal=world.goal
    )
    logbook_actions.react(acting_user=world.teacher, photo=photo, comment="Mooi gebouwd, Noor!")
    planboard_actions.add_plan_photo(
        pupil=noor, upload=SimpleUploadedFile("toren.jpg", jpeg_bytes()), plan_obj=world.plan
    )
    study = block_study(world, [Dataset.EVENTS], title="Studie")
    actions.set_consent(study=study, pupil=noor, status="given", acting_user=world.teacher)
    client.force_login(noor.user)
    return noor


def test_the_pupils_data_holds_everything_stored_about_them(world, client):
    noor = _rich_pupil(world, client)
    archive = zipfile.ZipFile(io.BytesIO(pupil_data(noor)))
    names = set(archive.namelist())
    assert {"pupil.json", "logbook_entries.json", "self_assessments.json", "portrait.jpg"} <= names
    assert len([n for n in names if n.startswith("photos/")]) == 2
    read = lambda name: json.loads(archive.read(name))  # noqa: E731
    assert read("pupil.json")["name"] == "Noor"
    assert read("logbook_entries.json")[0]["instruction_text"] == "Noor wil uitleg"
    assert read("teacher_assessments.json")[0]["note"] == "Oefent nog met noemers."
    assert read("conversation_notes.json")[0]["text"].startswith("Rekengesprek")
    assert read("planbord.json")[0]["slot__activity__name"] == "Bouwhoek"
    # The kleuter's photo of their work at the planbord, with where and when.
    (plan_photo,) = read("planbord_photos.json")
    assert plan_photo["activity"] == "Bouwhoek" and plan_photo["date"]
    assert archive.read(plan_photo["file"]).startswith(b"\xff\xd8")  # the JPEG itself
    assert read("consents.json")[0]["status"] == "given"
    assert read("usage_events.json")
    # What the teacher answered to her work, and who did.
    (reaction,) = read("reactions.json")
    assert reaction["comment"] == "Mooi gebouwd, Noor!" and reaction["by"] == "juf.mirjam"


def _references(user_id, pupil_id):
    """Every row in the database whose foreign key or many-to-many names them."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey | OneToOneField) and field.concrete:
                target = field.related_model
                value = pupil_id if target is Pupil else user_id if target is user_model else None
                if value is not None and model._default_manager.filter(**{field.name: value}):
                    found.append(f"{model.__name__}.{field.name}")
            if (
                isinstance(field, ManyToManyField)
                and field.related_model is Pupil
                and model._default_manager.filter(**{field.name: pupil_id}).exists()
            ):
                found.append(f"{model.__name__}.{field.name}")
    if user_model.objects.filter(pk=user_id).exists():
        found.append("user")
    return found


def test_erasing_a_pupil_leaves_no_row_and_no_file_that_refers_to_them(
    world, client, django_capture_on_commit_callbacks
):
    noor = _rich_pupil(world, client)
    user_id, pupil_id = noor.user_id, noor.pk
    files = [p.image for p in noor.photos.all()] + [p.thumbnail for p in noor.photos.all()]
    files.append(noor.photo)
    paths = [f.path for f in files]
    storage = files[0].storage
    assert all(storage.exists(f.name) for f in files)
    assert _references(user_id, pupil_id)  # the check finds them while they exist
    taken = Slot.objects.get(pk=world.slot.pk).taken

    with django_capture_on_commit_callbacks(execute=True):
        erase_pupil(noor, acting_user=world.school_admin)

    assert _references(user_id, pupil_id) == []
    for path in paths:
        assert not storage.exists(path)
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(user_id) for s in Session.objects.all()
    )
    assert Slot.objects.get(pk=world.slot.pk).taken == taken - 1  # her place is free
    assert not UsageEvent.objects.filter(context__icontains="Noor").exists()
    (erased,) = UsageEvent.objects.filter(verb="pupil_erased")
    assert erased.pupil is None and erased.object_id is None
    # Daan keeps his entry, without Noor as a partner.
    daan = world.classmate.logbook_entries.get(lesson=world.lesson)
    assert list(daan.partners.all()) == []
