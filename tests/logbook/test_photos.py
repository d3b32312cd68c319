"""Photo uploads through the API: cleaned, served to the right people, bad ones refused
with the exact message and nothing else lost."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from logbook import entries
from logbook.models import LogbookEntry, Photo
from tests.images import gif_bytes, jpeg_bytes, pixel_bomb_png


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
    ("disguised gif", gif_bytes(), "Alleen JPEG-, PNG- en WebP-foto’s kunnen worden gebruikt."),
    ("pixel bomb", pixel_bomb_png(), "Deze foto heeft te veel pixels."),
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
