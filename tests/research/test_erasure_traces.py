"""Erasure leaves nothing: after a school admin erases a pupil on the real page, no table
of the database, no file under MEDIA_ROOT and (SQLite) no byte of the database file or
its WAL holds the pupil's name, any part of it, their username or their login token.

The pupil leaves traces the cascade from their account does not reach: a login in
django-axes' log, a session on another device, the admin's log of a change to them, a
classmate's stored API answers with their id and name, classmates' and a teacher's words
naming them, a place named after them and the usage events that carry that name.

The test commits (a transactional test), so that the erasure's after-commit work runs as
in production: the files are removed and SQLite's WAL is checkpointed. On PostgreSQL the
file check is skipped: deleted tuples stay in its data files until VACUUM (documented in
docs/research.md, "Erasure"); every table is still read.
"""

import contextlib
import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from classroom import actions as classroom_actions
from classroom.models import AuditRecord, IdempotencyRecord, Place, UsageEvent
from goals import actions as goal_actions
from goals.models import TeacherAssessment
from logbook import actions as logbook_actions
from logbook.models import ConversationNote, LogbookEntry, Reaction
from planboard import actions as planboard_actions
from research import actions as research_actions
from research import names
from research.models import Dataset, Observation
from tests.conftest import block_study, choose_pupil, enter_picture_code
from tests.images import jpeg_bytes

NAME = "Zoë-Anouk van Brinkerhoff-Ødegård"
CODE = "sun,fish,star"

pytestmark = pytest.mark.django_db(transaction=True)


def _api(client, path, data, key=True):
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())} if key else {}
    response = client.post(path, data, content_type="application/json", **headers)
    assert response.status_code in (200, 201), response.content[:500]
    return response


def _school_with_traces(w):
    """Zoë in Noor's group, with everything that leaves a trace of her; returns her and
    the objects that must stay (without her name)."""
    zoe = classroom_actions.create_pupil(group=w.group, display_name=NAME, picture_code=CODE)
    classroom_actions.set_pupil_photo(zoe, SimpleUploadedFile("zoe.jpg", jpeg_bytes()))
    photo = logbook_actions.add_photo(
        pupil=zoe, upload=SimpleUploadedFile("toren.jpg", jpeg_bytes()), lesson=w.lesson
    )
    plan = planboard_actions.plan(pupil=zoe, slot=w.slot2, acting_user=zoe.user)
    plan_photo = planboard_actions.add_plan_photo(
        pupil=zoe, upload=SimpleUploadedFile("hoek.jpg", jpeg_bytes()), plan_obj=plan
    )
    study = block_study(w, [Dataset.EVENTS])
    research_actions.set_consent(study=study, pupil=zoe, status="given", acting_user=w.teacher)

    # Zoë logs in with her picture code (a usage event; django-axes logs it where its
    # access log is kept on), and makes an idempotent write of her own.
    zoe_device = Client()
    with override_settings(AXES_DISABLE_ACCESS_LOG=False):
        assert enter_picture_code(zoe_device, zoe, CODE).status_code == 302
    _api(
        zoe_device,
        "/api/logbook-entries/choose/",
        {"lesson": w.lesson.pk, "aspect": "instruction", "value": {"wanted": False}},
    )
    # Another device tapped her tile and went no further: its session holds her.
    choose_pupil(Client(), zoe)
    # Somebody tried her username at the teachers' login (axes: an attempt), and the log
    # of an older release kept her login card's URL with its token.
    Client().post("/login/", {"username": zoe.user.username, "password": "geraden"})
    AccessLog.objects.create(
        username=None,
        user_agent="Chromebook",
        ip_address="10.0.0.7",
        http_accept="text/html",
        path_info=f"/klas/{w.group.class_code}/{zoe.login_token}/",
    )
    AccessFailureLog.objects.create(
        username=zoe.user.username,
        user_agent="Chromebook",
        ip_address="10.0.0.7",
        http_accept="text/html",
        path_info="/login/",
        locked_out=False,
    )

    # A place named after her, changed in the admin (its log entry names her too).
    place = classroom_actions.create_place(group=w.group, name="Leeshoek van Anouk", icon="quiet")
    admin = Client()
    admin.force_login(w.school_admin)
    response = admin.post(
        f"/admin/classroom/place/{place.pk}/change/",
        {"name": place.name, "icon": "quiet", "capacity": "3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The school admin changes Zoë herself in the admin.
    response = admin.post(
        f"/admin/classroom/pupil/{zoe.pk}/change/",
        {
            "group": w.group.pk,
            "display_name": NAME,
            "avatar": zoe.avatar,
            "avatar_colour": zoe.avatar_colour,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LogEntry.objects.filter(object_repr=NAME).exists()

    # Daan, through the API: Zoë as his partner, her name in his words, her place.
    daan = Client()
    daan.force_login(w.classmate.user)
    lesson = w.lesson.pk
    _api(
        daan,
        "/api/logbook-entries/choose/",
        {"lesson": lesson, "aspect": "partner", "value": [zoe.pk]},
    )
    _api(
        daan,
        "/api/logbook-entries/choose/",
        {
            "lesson": lesson,
            "aspect": "instruction",
            "value": {"wanted": True, "reason": "other", "text": "Ik wil samen met Zoë-Anouk"},
        },
    )
    _api(
        daan,
        "/api/logbook-entries/choose/",
        {"lesson": lesson, "aspect": "place", "value": place.pk},
    )
    _api(
        daan,
        "/api/logbook-entries/evaluate/",
        {"lesson": lesson, "mood": "great", "text": "zoe brinkerhoff hielp mij"},
    )
    assert IdempotencyRecord.objects.filter(user=w.classmate.user).count() == 4

    # The teacher's words about Daan, Noor's photo and the design team's log name her.
    goal_actions.assess_as_teacher(
        acting_user=w.teacher,
        pupil=w.classmate,
        goal=w.goal,
        level=2,
        note="Werkt fijn samen met ZOË ØDEGÅRD.",
    )
    logbook_actions.add_conversation_note(
        acting_user=w.teacher, pupil=w.classmate, text="Gesprek met Daan over Anouk."
    )
    logbook_actions.react(acting_user=w.teacher, photo=w.photo, comment="Samen met Zoë gebouwd!")
    intervention = research_actions.save_intervention(
        None,
        school=w.school,
        title="Keuzebord",
        groups=[w.group],
        start_date=w.block.start_date,
        end_date=w.block.end_date,
        members=[w.teacher],
        practice_question="Kiest Brinkerhoff-Ødegård vaker zelf?",
    )
    research_actions.add_observation(
        intervention=intervention,
        acting_user=w.teacher,
        date=timezone.localdate(),
        text="Zoë-Anouk van Brinkerhoff-Ødegård nam het voortouw; Noor volgde.",
    )
    files = [zoe.photo.path, photo.image.path, photo.thumbnail.path]
    files += [plan_photo.image.path, plan_photo.thumbnail.path]
    assert all(os.path.exists(path) for path in files)
    assert AccessLog.objects.filter(username=zoe.user.username).exists()  # her real login
    assert AccessAttempt.objects.filter(username=zoe.user.username).exists()
    assert UsageEvent.objects.filter(context__place="Leeshoek van Anouk").exists()
    return zoe, files, place


def _terms(zoe) -> list[str]:
    """Her name, every part of it (no particles), her username and her login token."""
    words = [
        word
        for part in names.variants(zoe.display_name)
        for word in part.replace("-", " ").split()
        if word.casefold() not in names.PARTICLES
    ]
    username = zoe.user.username
    return sorted(
        {zoe.display_name, *words, username, username.removeprefix("pupil-")} | {zoe.login_token}
    )


def _texts(value):
    """A column's value as the texts to search: JSON also decoded (SQLite keeps it with
    \\u escapes), bytes as UTF-8."""
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return []
    texts = [value]
    if value[:1] in ("{", "[", '"'):
        with contextlib.suppress(ValueError):
            texts.append(json.dumps(json.loads(value), ensure_ascii=False))
    return texts


def _hits(text: str, terms: list[str], scrub) -> list[str]:
    folded = text.casefold()
    found = [term for term in terms if term.casefold() in folded]
    if scrub(text) != text:  # a part written without accents or in other case
        found.append(f"name in {text[:80]!r}")
    return found


def _database_hits(terms, scrub) -> list[str]:
    """Every text and blob of every table, read raw with SQL; sessions decoded too."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - our own tables
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    for text in _texts(value):
                        if hits := _hits(text, terms, scrub):
                            found.append(f"{table}.{column}: {hits}")
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), ensure_ascii=False)
        if hits := _hits(decoded, terms, scrub):
            found.append(f"session data: {hits}")
    assert len(tables) > 30  # the walk reads the whole schema
    return found


def _byte_patterns(terms) -> set[bytes]:
    patterns = set()
    for term in terms:
        for form in {term, term.lower(), term.upper(), term.casefold()}:
            patterns.add(form.encode().lower())
            patterns.add(json.dumps(form)[1:-1].encode().lower())  # as JSON keeps it
    return patterns


def _file_hits(path: Path, patterns: set[bytes]) -> list[bytes]:
    data = path.read_bytes().lower()
    return [pattern for pattern in patterns if pattern in data]


def test_erasing_a_pupil_leaves_her_name_token_and_username_nowhere(world):
    zoe, files, place = _school_with_traces(world)
    terms, scrub = _terms(zoe), names.for_pupil(zoe)
    assert _database_hits(terms, scrub)  # the search finds her while she is there

    admin = Client()
    admin.force_login(world.school_admin)
    response = admin.post(reverse("frontend:pupil-erase", args=[zoe.pk]), {"confirm": NAME})
    assert response.status_code == 302
    assert response["Location"] == reverse("frontend:group", args=[world.group.pk])

    # (a) No table holds her, read raw.
    assert _database_hits(terms, scrub) == []
    # What others wrote stays, with [leerling] where her name was.
    daan = LogbookEntry.objects.get(pupil=world.classmate, lesson=world.lesson)
    assert daan.instruction_text == "Ik wil samen met [leerling]"
    assert daan.evaluation_text == "[leerling] [leerling] hielp mij"  # two parts, each found
    assert list(daan.partners.all()) == []
    assert Place.objects.get(pk=place.pk).name == "Leeshoek van [leerling]"
    assert UsageEvent.objects.filter(context__place="Leeshoek van [leerling]").exists()
    note = TeacherAssessment.objects.get(pupil=world.classmate)
    assert note.note == "Werkt fijn samen met [leerling] [leerling]."
    assert ConversationNote.objects.get(pupil=world.classmate).text.endswith("over [leerling].")
    assert Reaction.objects.get(photo=world.photo).comment == "Samen met [leerling] gebouwd!"
    assert Observation.objects.get().text.startswith("[leerling] nam het voortouw")
    # The admin log keeps the place's change, without her; her own is gone.
    assert LogEntry.objects.filter(object_id=str(place.pk), object_repr=place.name).count() == 0
    assert LogEntry.objects.filter(object_repr="Leeshoek van [leerling]").exists()
    assert not LogEntry.objects.filter(object_id=str(zoe.pk), content_type__model="pupil")
    # Daan's stored answers named her (id, words): gone; nobody else's went.
    assert not IdempotencyRecord.objects.filter(user=world.classmate.user)
    assert not AccessLog.objects.filter(path_info__contains=zoe.login_token)
    # The erasure itself: who did it, in which group, about nobody.
    (record,) = AuditRecord.objects.filter(action="pupil_erased")
    assert record.actor == world.school_admin and record.group == world.group
    assert record.actor_label == world.school_admin.username
    assert not _hits(json.dumps(record.detail), terms, scrub)

    # (b) No file under MEDIA_ROOT holds her, and her photos are gone.
    patterns = _byte_patterns(terms)
    media = Path(settings.MEDIA_ROOT)
    stored = [path for path in media.rglob("*") if path.is_file()]
    assert stored  # Noor's photo and the others stay
    for path in stored:
        assert not _file_hits(path, patterns), path
        assert not [t for t in terms if t.casefold() in str(path).casefold()], path
    assert not [path for path in files if os.path.exists(path)]

    # (c) SQLite: not a byte of the database file or its WAL (the deleted rows were
    # overwritten by secure_delete, the WAL checkpointed and truncated after commit).
    if connection.vendor != "sqlite":
        return
    database = Path(connection.settings_dict["NAME"])
    assert database.exists() and database.stat().st_size > 0
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            assert _file_hits(path, patterns) == [], path


def test_the_sqlite_connection_overwrites_what_it_deletes(world):
    """Every connection runs with secure_delete (config/settings.py), the WAL journal
    included: without it the erased bytes stay in free pages of the file."""
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting; PostgreSQL's residue goes with VACUUM (docs/research.md)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_erasure_keeps_a_classmate_who_shares_a_first_name(world):
    """Other pupils' own names are no text about her: a classmate called Zoë stays Zoë."""
    zoe = classroom_actions.create_pupil(group=world.group, display_name=NAME)
    other = classroom_actions.create_pupil(group=world.group, display_name="Zoë Jansen")
    research_actions.erase_pupil(zoe, acting_user=world.school_admin)
    other.refresh_from_db()
    assert other.display_name == "Zoë Jansen"


def test_erasure_leaves_another_schools_words_alone(world):
    """Texts are scrubbed in the pupil's own school: a pupil elsewhere may share a name."""
    zoe = classroom_actions.create_pupil(group=world.group, display_name=NAME)
    lotte = world.foreign_group.pupils.get()
    mark = goal_actions.assess_as_teacher(
        acting_user=world.other_school_teacher,
        pupil=lotte,
        goal=_foreign_goal(world),
        level=1,
        note="Speelt met Anouk.",
    )
    research_actions.erase_pupil(zoe, acting_user=world.school_admin)
    mark.refresh_from_db()
    assert mark.note == "Speelt met Anouk."


def _foreign_goal(world):
    today = timezone.localdate()
    block = goal_actions.create_block(
        group=world.foreign_group,
        name="Blok",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    return goal_actions.create_goal(
        block=block,
        strand=goal_actions.strand_for(world.other_school, "Rekenen"),
        code="A-1",
        statement="Ik kan tellen.",
        levels=["begonnen", "met hulp", "alleen"],
    )
