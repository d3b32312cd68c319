"""Turn an uploaded picture of a child into a safe, small JPEG.

The upload is verified by Pillow (not by its name or content type), rotated according
to its EXIF orientation, and re-encoded without any metadata, so no GPS position,
camera serial or timestamp leaves the device's photo.

This is slow, memory-hungry work, and it never runs inside a database transaction:
callers clean the upload first (`clean_photo`, `clean_portrait`) and write the row in a
short transaction afterwards, so a classmate's tap never waits for someone's photo. At
most `DECODES_AT_ONCE` photos are decoded at a time in one process; the others queue.
Only the accepted formats' decoders are ever tried, and the pixel limit keeps one
photo's peak memory under 200 MB (bench/photo_load.py measures it).
"""

from __future__ import annotations

import ctypes
import io
import logging
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)
ORIENTATION = 0x0112

# The JPEG decoder also opens an MPO, what cameras and phones write for a multi-picture
# JPEG (a JPEG with a second, smaller or stereo picture after it): we take the first.
ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]
try:  # HEIC photos from iPads and iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    ALLOWED_FORMATS.append("HEIF")
except ImportError:  # pragma: no cover - a dependency, but the rest works without it
    pass
JPEG_FORMATS = {"JPEG", "MPO"}
# Pictures we do not take (GIF, BMP, TIFF, ICO, JPEG 2000, AVIF), known by their start.
OTHER_PICTURES = (
    b"GIF8",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",
    b"\x00\x00\x00\x0cjP",
)
# 24 megapixels (6000 x 4000) is more than a tablet or phone camera writes by default
# (12 MP); more is refused. Decoders differ in what they hold while decoding (measured
# peak growth per megapixel: JPEG in draft mode 1.8 MB, PNG 7.7 MB with transparency,
# HEIC 9.7 MB, WebP 18 MB: Pillow's WebP decoder keeps three copies), so each format has
# the limit that keeps one photo's peak under 200 MB (about 160 MB at worst).
MAX_PIXELS = 24_000_000
PIXEL_LIMITS = {
    "JPEG": MAX_PIXELS,
    "MPO": MAX_PIXELS,
    "PNG": 20_000_000,
    "HEIF": 16_000_000,
    "WEBP": 9_000_000,
}
PORTRAIT_SIZE = (512, 512)
PHOTO_MAX_SIDE = 1600
THUMB_MAX_SIDE = 320
# One process's Python work (every tap) runs on one core at a time; a decode takes the
# other. More than one at once would take the taps' core too.
DECODES_AT_ONCE = 1
_decoding = threading.BoundedSemaphore(DECODES_AT_ONCE)


@dataclass(frozen=True)
class CleanPhoto:
    """A pupil's photo, cleaned and ready to store: upright, small, no metadata."""

    photo: ContentFile
    thumbnail: ContentFile
    size: tuple[int, int]


try:  # glibc keeps freed memory for the thread that freed it; give it back after a photo
    _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # pragma: no cover - not glibc
    _malloc_trim = None


_held = threading.local()


@contextmanager
def photo_place():
    """One of the process's few places for photo work (DECODES_AT_ONCE); the other
    photos queue here. A view takes it before it even parses the upload (parsing a
    multipart body of 6 MB is Python work too), and the decode inside it does not take
    a second one. After the photo the decoder's memory goes back to the system, so a
    burst of photos does not leave the server hundreds of MB larger."""
    if getattr(_held, "place", False):
        yield
        return
    with _decoding:
        _held.place = True
        try:
            yield
        finally:
            _held.place = False
            if _malloc_trim is not None:
                _malloc_trim(0)


def _damaged() -> ValidationError:
    return ValidationError(_("This photo is damaged or incomplete."))


def _ends_grey(image: Image.Image) -> bool:
    """A baseline JPEG whose data stops early (an end marker in the middle, a broken
    copy) is decoded by libjpeg with a warning only, the missing part filled exactly
    mid-grey. A camera's photo never ends in rows of exactly (128, 128, 128)."""
    if image.mode not in ("RGB", "L"):
        return False
    strip = image.crop((0, max(0, image.height - 8), image.width, image.height))
    extrema = strip.getextrema()
    if image.mode == "L":
        extrema = (extrema,)
    return all(band == (128, 128) for band in extrema)


def _open_verified(data: bytes, draft_side: int | None = None) -> Image.Image:
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone switched it on: it stores broken photos
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay off")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                probe = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            except UnidentifiedImageError:
                # Told apart by their first bytes: no other decoder ever sees the upload.
                if data.startswith(OTHER_PICTURES):
                    raise ValidationError(
                        _("Only JPEG, PNG, WebP and HEIC photos can be used.")
                    ) from None
                raise ValidationError(_("This file is not a photo.")) from None
            if probe.width * probe.height > PIXEL_LIMITS.get(probe.format, MAX_PIXELS):
                raise ValidationError(_("This photo has too many pixels."))
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            if draft_side and image.format in JPEG_FORMATS:
                # libjpeg decodes straight at 1/2, 1/4 or 1/8 scale: a 12 MP photo that
                # ends up 1600 px wide never needs all its pixels decoded. The box keeps
                # the photo's shape, or a 4:3 photo would never qualify for any scale.
                factor = min(1.0, draft_side / max(image.size))
                image.draft("RGB", (ceil(image.width * factor), ceil(image.height * factor)))
            # The whole file in one decoder call: the decoder runs without the GIL,
            # and each 64 KB block would hand the GIL back and forth with every tap.
            image.decodermaxblock = max(image.decodermaxblock, len(data))
            image.load()  # the first frame of an MPO or an animation
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This photo has too many pixels.")) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(_("This file is not a photo.")) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _damaged() from exc
    if image.format in JPEG_FORMATS and _ends_grey(image):
        raise _damaged()
    return image


_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (as ImageOps.exif_transpose reads it); an unreadable EXIF
    block (some editors and screenshot tools write garbage there) counts as upright:
    the pixels are still fine."""
    try:
        return int(image.getexif().get(ORIENTATION, 1))
    except Exception:  # noqa: BLE001 - any broken EXIF
        logger.info("unreadable EXIF in a %s upload: kept unrotated", image.format)
        return 1


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    turn = _TURNS.get(orientation)
    return image if turn is None else image.transpose(turn)


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    rgb = image.convert("RGB")
    image.close()  # the decoded original is the biggest thing in memory: free it now
    return rgb


def _read_limited(upload) -> bytes:
    if upload.size > settings.PUPIL_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("This photo is too large (at most %(mb)s MB).")
            % {"mb": settings.PUPIL_PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    return upload.read()


def _jpeg(image: Image.Image, quality: int = 85) -> ContentFile:
    # Pillow copies the info dict (EXIF, XMP, ICC) into derived images; drop it so that
    # nothing but pixels is written.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return ContentFile(out.getvalue())


def clean_photo(upload) -> CleanPhoto:
    """A pupil's photo of their work: upright, at most 1600 px, plus a 320 px thumbnail,
    both without metadata. Call it outside any transaction. A refused upload raises
    ValidationError with the reason for the pupil."""
    return process_photo(_read_limited(upload))


def photo_from_upload(upload) -> tuple[ContentFile, ContentFile, tuple[int, int]]:
    clean = clean_photo(upload)
    return clean.photo, clean.thumbnail, clean.size


def _small_and_upright(data: bytes) -> Image.Image:
    """Decoded, in RGB, at most 1600 px, turned upright. Holds a decoding place."""
    image = _open_verified(data, draft_side=PHOTO_MAX_SIDE)
    orientation = _orientation(image)
    image = _rgb(image)
    # Smaller first, then turned: a turn copies the picture, better a small one.
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    return _upright(image, orientation)


def process_photo(data: bytes) -> CleanPhoto:
    with photo_place():
        image = _small_and_upright(data)
        thumb = image.copy()
        thumb.thumbnail((THUMB_MAX_SIDE, THUMB_MAX_SIDE), Image.Resampling.LANCZOS)
        return CleanPhoto(_jpeg(image), _jpeg(thumb, quality=80), image.size)


def clean_portrait(upload) -> ContentFile:
    """A pupil's portrait: 512 x 512, upright, without metadata. Outside transactions."""
    data = _read_limited(upload)
    with photo_place():
        image = _small_and_upright(data)
        return _jpeg(ImageOps.fit(image, PORTRAIT_SIZE, Image.Resampling.LANCZOS))


def portrait_from_upload(upload) -> ContentFile:
    return clean_portrait(upload)
