"""Photo uploads through the API: cleaned, served to the right people, bad ones refused
with the exact message and nothing else lost."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from logbook import entries
from logbook.models import LogbookEntry, Photo
from tests.images import (
    damaged_jpeg,
    gif_bytes,
    heic_bytes,
    jpeg_bytes,
    mpo_bytes,
    pixel_bomb_png,
    with_garbage_exif,
)


def post_photo(client, world, data: bytes, name="werk.jpg", key=None, **fields):
    payload = {
        "image": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        "goal": world.goal.pk,
        "lesson": world.lesson.pk,
        **fields,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/photos/", payload, **headers)


def test_an_uploaded_photo_is_upright_small_and_without_exif_plus_a_thumbnail(world, client):
    client.force_login(world.pupil.user)
    response = post_photo(
        client, world, jpeg_bytes(size=(4000, 3000), orientation=6), prompt="want_to_learn"
    )
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(pk=response.json()["id"])
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.size == (1200, 1600)  # turned upright, longest side 1600
    assert len(stored.getexif()) == 0 and "exif" not in stored.info
    with photo.thumbnail.open("rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
    assert max(thumb.size) == 320 and len(thumb.getexif()) == 0
    assert photo.prompt == "want_to_learn" and photo.goal == world.goal
    # Stored under a generated name outside the static root.
    assert "werk" not in photo.image.name and photo.image.name.startswith("photos/")


def test_the_pupil_and_the_teacher_see_the_photo_a_classmate_does_not(world, client):
    client.force_login(world.pupil.user)
    photo_id = post_photo(client, world, jpeg_bytes()).json()["id"]
    assert client.get(f"/foto/{photo_id}/").status_code == 200
    client.force_login(world.teacher)
    assert client.get(f"/foto/{photo_id}/klein/").status_code == 200
    client.force_login(world.classmate.user)
    assert client.get(f"/foto/{photo_id}/").status_code == 404
    assert client.get(f"/api/photos/{photo_id}/").status_code == 404


BAD = [
    ("not an image", b"%PDF-1.4 Brief aan ouders", "Dit bestand is geen foto."),
    ("truncated", jpeg_bytes()[:500], "Deze foto is beschadigd of onvolledig."),
    (
        "disguised gif",
        gif_bytes(),
        "Alleen JPEG-, PNG-, WebP- en HEIC-foto’s kunnen worden gebruikt.",
    ),
    ("pixel bomb", pixel_bomb_png(), "Deze foto heeft te veel pixels."),
    ("damaged jpeg", damaged_jpeg(), "Deze foto is beschadigd of onvolledig."),
]


@pytest.mark.parametrize("data,message", [(d, m) for _, d, m in BAD], ids=[n for n, _, _ in BAD])
def test_a_bad_upload_is_refused_with_its_message_and_the_entry_is_kept(
    world, client, data, message
):
    client.force_login(world.pupil.user)
    entries.choose(
        pupil=world.pupil,
        lesson=world.lesson,
        aspect="instruction",
        value={"wanted": True, "reason": "want_to_be_sure", "text": "Zeker weten"},
    )
    photos_before = Photo.objects.count()
    response = post_photo(client, world, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Photo.objects.count() == photos_before
    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson)
    assert [g.code for g in entry.goals.all()] == ["G6-3.1"]
    assert (entry.instruction, entry.instruction_reason, entry.instruction_text) == (
        True,
        "want_to_be_sure",
        "Zeker weten",
    )


def test_a_too_large_upload_is_refused(world, client, settings):
    settings.PUPIL_PHOTO_MAX_BYTES = 1024 * 1024
    client.force_login(world.pupil.user)
    response = post_photo(client, world, b"\xff\xd8" + b"\x00" * (1024 * 1024 + 10))
    assert response.status_code == 400
    assert "Deze foto is te groot (hoogstens 1 MB)." in response.content.decode()


def test_a_retried_upload_is_stored_once(world, client):
    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    before = Photo.objects.count()
    first = post_photo(client, world, jpeg_bytes(), key=key)
    second = post_photo(client, world, jpeg_bytes(), key=key)
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Photo.objects.count() == before + 1


def test_the_photo_timeline_shows_the_pupils_photos_per_goal(world, client):
    client.force_login(world.pupil.user)
    post_photo(client, world, jpeg_bytes(), prompt="went_well")
    page = client.get("/leerling/fotos/").content.decode()
    assert "Ik kan breuken vergelijken." in page
    assert page.count("/klein/") == Photo.objects.filter(pupil=world.pupil).count()
    assert "Wat ging goed?" in page


def test_rekengesprek_notes_are_for_teachers_only(world, client):
    client.force_login(world.teacher)
    client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/rekengesprek/",
        {"text": "Kan de stappen benoemen.", "goals": [world.goal.pk]},
    )
    page = client.get(f"/leerkracht/leerling/{world.pupil.pk}/doelenboekje/").content.decode()
    assert "Kan de stappen benoemen." in page
    client.force_login(world.pupil.user)
    assert client.get("/api/conversation-notes/").json()["results"] == []
    for url in (
        "/leerling/",
        "/leerling/doelenboekje/",
        "/leerling/fotos/",
        f"/leerling/logboek/{world.lesson.pk}/",
    ):
        assert "Kan de stappen benoemen." not in client.get(url).content.decode()


ACCEPTED = [
    ("png with garbage exif", with_garbage_exif("PNG"), "scherm.png"),
    ("webp with garbage exif", with_garbage_exif("WEBP"), "scherm.webp"),
    ("mpo", mpo_bytes(), "IMG_0002.JPG"),
    ("heic", heic_bytes(), "IMG_0003.HEIC"),
]


@pytest.mark.parametrize(
    "data,name", [(d, n) for _, d, n in ACCEPTED], ids=[i for i, _, _ in ACCEPTED]
)
def test_photos_from_other_devices_are_accepted(world, client, data, name):
    client.force_login(world.pupil.user)
    response = post_photo(client, world, data, name=name, key=str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(pk=response.json()["id"])
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG" and len(stored.getexif()) == 0


def test_a_damaged_jpeg_is_refused_even_with_an_idempotency_key(world, client):
    client.force_login(world.pupil.user)
    before = Photo.objects.count()
    response = post_photo(client, world, damaged_jpeg(), key=str(uuid.uuid4()))
    assert response.status_code == 400
    assert "Deze foto is beschadigd of onvolledig." in response.content.decode()
    assert Photo.objects.count() == before


def test_the_photo_is_decoded_outside_any_transaction(world, client, monkeypatch):
    """The decode happens before the idempotent write's transaction opens; only the row
    is written inside one."""
    from django.db import connection

    from classroom import images

    depth = {}
    real_decode, real_save = images._open_verified, Photo.save

    def decode(*args, **kwargs):
        depth["decode"] = len(connection.atomic_blocks)
        return real_decode(*args, **kwargs)

    def save(self, *args, **kwargs):
        depth["save"] = len(connection.atomic_blocks)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(images, "_open_verified", decode)
    monkeypatch.setattr(Photo, "save", save)
    client.force_login(world.pupil.user)
    test_depth = len(connection.atomic_blocks)  # the test's own transaction
    response = post_photo(client, world, jpeg_bytes(), key=str(uuid.uuid4()))
    assert response.status_code == 201
    assert depth["decode"] == test_depth, "no transaction is open while decoding"
    assert depth["save"] > test_depth


@pytest.mark.django_db(transaction=True)
def test_a_classmates_tap_is_saved_while_a_photo_is_being_decoded(monkeypatch):
    """On SQLite (one writer at a time): Noor's photo is held in its decode; meanwhile
    Daan's logbook choice is saved at once, and Noor's photo is stored afterwards."""
    import threading

    from django.db import close_old_connections
    from django.test import Client

    from classroom import images
    from tests.conftest import build_world

    world = build_world()
    decoding, release = threading.Event(), threading.Event()
    real_decode = images._open_verified

    def held_decode(*args, **kwargs):
        decoding.set()
        assert release.wait(20)
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(images, "_open_verified", held_decode)
    photo_answer = []

    def noor_uploads():
        try:
            noor = Client()
            noor.force_login(world.pupil.user)
            photo_answer.append(post_photo(noor, world, jpeg_bytes(), key=str(uuid.uuid4())))
        finally:
            close_old_connections()

    upload = threading.Thread(target=noor_uploads)
    upload.start()
    try:
        assert decoding.wait(20), "the photo reached its decode"
        daan = Client()
        daan.force_login(world.classmate.user)
        tap = daan.post(
            "/api/logbook-entries/choose/",
            {"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert tap.status_code == 200, tap.content
        assert not photo_answer, "the tap was answered while the photo was still decoding"
        entry = LogbookEntry.objects.get(pupil=world.classmate, lesson=world.lesson)
        assert entry.place == world.place
    finally:
        release.set()
        upload.join(timeout=30)
    assert photo_answer and photo_answer[0].status_code == 201


def test_daphne_leaves_a_photos_multipart_body_to_django():
    """Twisted would parse a multipart body with the email package on daphne's reactor
    (seconds for a 6 MB photo, with every request of the class waiting)."""
    from types import SimpleNamespace

    from daphne import http_protocol

    from config.limits import install_in_daphne

    install_in_daphne()
    server = SimpleNamespace(protocol_connected=lambda request: None)
    channel = SimpleNamespace(
        factory=SimpleNamespace(server=server),
        getPeer=lambda: None,
        getHost=lambda: None,
        transport=SimpleNamespace(getPeer=lambda: None, getHost=lambda: None),
    )
    request = http_protocol.WebRequest(channel)
    assert request.leerregie_limited
    assert request._parsePOSTFormSubmission is False
