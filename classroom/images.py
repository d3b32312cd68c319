"""Turn an uploaded picture of a child into a safe, small JPEG.

The upload is verified by Pillow (not by its name or content type), rotated according
to its EXIF orientation, and re-encoded without any metadata, so no GPS position,
camera serial or timestamp leaves the device's photo.
"""

from __future__ import annotations

import io
import warnings
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
try:  # HEIC photos from iPads, when the optional pillow-heif is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    ALLOWED_FORMATS.add("HEIF")
except ImportError:
    pass
# 40 megapixels is more than any tablet camera; more is a decompression bomb.
MAX_PIXELS = 40_000_000
PORTRAIT_SIZE = (512, 512)
PHOTO_MAX_SIDE = 1600
THUMB_MAX_SIDE = 320


def _open_verified(data: bytes, draft_side: int | None = None) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Only JPEG, PNG and WebP photos can be used."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This photo has too many pixels."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if draft_side and image.format == "JPEG":
                # libjpeg decodes straight at 1/2, 1/4 or 1/8 scale: a 12 MP photo that
                # ends up 1600 px wide never needs all its pixels decoded. The box keeps
                # the photo's shape, or a 4:3 photo would never qualify for any scale.
                factor = min(1.0, draft_side / max(image.size))
                image.draft("RGB", (ceil(image.width * factor), ceil(image.height * factor)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This photo has too many pixels.")) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(_("This file is not a photo.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This photo is damaged or incomplete.")) from exc
    return image


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


def photo_from_upload(upload) -> tuple[ContentFile, ContentFile, tuple[int, int]]:
    """A pupil's photo of their work: upright, at most 1600 px, plus a 320 px thumbnail,
    both without metadata. Returns (photo, thumbnail, (width, height))."""
    return process_photo(_read_limited(upload))


def process_photo(data: bytes) -> tuple[ContentFile, ContentFile, tuple[int, int]]:
    image = _open_verified(data, draft_side=PHOTO_MAX_SIDE)
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_MAX_SIDE, THUMB_MAX_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(image), _jpeg(thumb, quality=80), image.size


def portrait_from_upload(upload) -> ContentFile:
    data = _read_limited(upload)
    image = _open_verified(data)
    image = ImageOps.exif_transpose(image)
    image = ImageOps.fit(image.convert("RGB"), PORTRAIT_SIZE, Image.Resampling.LANCZOS)
    return _jpeg(image)
