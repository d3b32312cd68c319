import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from classroom import actions
from tests.images import (
    damaged_jpeg,
    gif_bytes,
    heic_bytes,
    jpeg_bytes,
    mpo_bytes,
    pixel_bomb_png,
    png_bytes,
    with_garbage_exif,
)


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
    ("gif disguised as jpeg", gif_bytes(), "Only JPEG, PNG, WebP and HEIC photos can be used."),
    ("pixel bomb", pixel_bomb_png(), "This photo has too many pixels."),
    # Its data stops halfway: libjpeg would fill the lower half grey without an error.
    ("damaged jpeg", damaged_jpeg(), "This photo is damaged or incomplete."),
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


def stored_portrait(world) -> Image.Image:
    world.pupil.refresh_from_db()
    with world.pupil.photo.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read())).convert("RGB")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_photo_with_a_garbage_exif_block_is_kept_as_it_is(world, fmt):
    actions.set_pupil_photo(world.pupil, upload(with_garbage_exif(fmt), f"x.{fmt.lower()}"))
    stored = stored_portrait(world)
    assert stored.size == (512, 512)
    assert stored.getpixel((256, 256))[1] > 140  # its own green, not refused or grey


@pytest.mark.parametrize(
    "data", [mpo_bytes(), heic_bytes()], ids=["mpo (multi-picture jpeg)", "heic"]
)
def test_mpo_and_heic_photos_are_accepted(world, data):
    actions.set_pupil_photo(world.pupil, upload(data, "IMG_0001"))
    stored = stored_portrait(world)
    # The first picture's white left half and red right half (not the MPO's blue second).
    left, right = stored.getpixel((20, 256)), stored.getpixel((490, 256))
    assert min(left) > 230
    assert right[0] > 150 and right[2] < 90


def test_only_the_accepted_formats_decoders_are_tried(world, monkeypatch):
    from PIL import Image as PILImage

    tried = []
    real_open = PILImage.open

    def spying_open(fp, mode="r", formats=None):
        tried.append(formats)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(PILImage, "open", spying_open)
    with pytest.raises(ValidationError):
        actions.set_pupil_photo(world.pupil, upload(gif_bytes()))
    assert tried and all(
        formats and set(formats) <= {"JPEG", "PNG", "WEBP", "HEIF"} for formats in tried
    )


def test_pillow_never_pads_truncated_photos():
    from PIL import ImageFile

    import classroom.images  # noqa: F401 - with everything it registers

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_photos_are_decoded_one_at_a_time_the_rest_wait(monkeypatch):
    import threading
    import time

    from classroom import images

    busy, most, guard = [0], [0], threading.Lock()
    real = images._open_verified

    def slow_decode(data, draft_side=None):
        with guard:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.1)
        try:
            return real(data, draft_side)
        finally:
            with guard:
                busy[0] -= 1

    monkeypatch.setattr(images, "_open_verified", slow_decode)
    data = jpeg_bytes()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(images.process_photo(data)))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 6, "every photo was processed in the end"
    assert most[0] == images.DECODES_AT_ONCE == 1
