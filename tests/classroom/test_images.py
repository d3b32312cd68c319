import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from classroom import actions
from tests.images import gif_bytes, jpeg_bytes, pixel_bomb_png, png_bytes


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_pupil_photo_is_stored_without_any_exif(world):
    actions.set_pupil_photo(world.pupil, upload(jpeg_bytes(orientation=1)))
    world.pupil.refresh_from_db()
    with world.pupil.photo.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert stored.size == (512, 512)


def test_the_photo_is_turned_upright_before_exif_is_dropped(world):
    # Orientation 6: the tablet was held turned, so the sensor's left half (white) is
    # the top of the real picture. Unrotated, the right side would be red at the top.
    actions.set_pupil_photo(world.pupil, upload(jpeg_bytes(size=(800, 400), orientation=6)))
    world.pupil.refresh_from_db()
    with world.pupil.photo.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read())).convert("RGB")
    top_right = stored.getpixel((stored.width - 5, 5))
    bottom_left = stored.getpixel((5, stored.height - 5))
    assert top_right[1] > 200, "the top of the upright photo is white"
    assert bottom_left[1] < 100, "the bottom of the upright photo is red"


def test_a_png_is_accepted_and_stored_as_jpeg(world):
    actions.set_pupil_photo(world.pupil, upload(png_bytes(), "x.png", "image/png"))
    world.pupil.refresh_from_db()
    assert world.pupil.photo.name.endswith(".jpg")


def test_a_new_photo_replaces_the_old_file_after_commit(world, django_capture_on_commit_callbacks):
    actions.set_pupil_photo(world.pupil, upload(jpeg_bytes()))
    world.pupil.refresh_from_db()
    old = world.pupil.photo.name
    storage = world.pupil.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_pupil_photo(world.pupil, upload(jpeg_bytes()))
    world.pupil.refresh_from_db()
    assert world.pupil.photo.name != old
    assert storage.exists(world.pupil.photo.name)
    assert not storage.exists(old)


BAD_UPLOADS = [
    ("not an image", b"%PDF-1.4 this is a letter to parents", "This file is not a photo."),
    ("truncated", jpeg_bytes()[:400], "This photo is damaged or incomplete."),
    ("gif disguised as jpeg", gif_bytes(), "Only JPEG, PNG and WebP photos can be used."),
    ("pixel bomb", pixel_bomb_png(), "This photo has too many pixels."),
]


@pytest.mark.parametrize(
    "data,message", [(d, m) for _, d, m in BAD_UPLOADS], ids=[n for n, _, _ in BAD_UPLOADS]
)
def test_bad_uploads_are_refused_and_the_old_photo_stays(world, data, message):
    actions.set_pupil_photo(world.pupil, upload(jpeg_bytes()))
    world.pupil.refresh_from_db()
    kept = world.pupil.photo.name
    with pytest.raises(ValidationError) as error:
        actions.set_pupil_photo(world.pupil, upload(data))
    assert error.value.messages == [message]
    world.pupil.refresh_from_db()
    assert world.pupil.photo.name == kept


def test_an_oversized_upload_is_refused_before_it_is_read(world, settings):
    settings.PUPIL_PHOTO_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as error:
        actions.set_pupil_photo(world.pupil, upload(b"\xff" * (1024 * 1024 + 1)))
    assert error.value.messages == ["This photo is too large (at most 1 MB)."]
