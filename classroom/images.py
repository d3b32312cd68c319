"""Turn an uploaded picture of a child into a safe, small JPEG.

The upload is verified by Pillow (not by its name or content type), rotated according
to its EXIF orientation, and re-encoded without any metadata, so no GPS position,
camera serial or timestamp leaves the device's photo.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# 40 megapixels is more than any tablet camera; more is a decompression bomb.
MAX_PIXELS = 40_000_000
PORTRAIT_SIZE = (512, 512)


def _open_verified(data: bytes) -> Image.Image:
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
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This photo has too many pixels.")) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(_("This file is not a photo.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This photo is damaged or incomplete.")) from exc
    return image


def portrait_from_upload(upload) -> ContentFile:
    if upload.size > settings.PUPIL_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("This photo is too large (at most %(mb)s MB).")
            % {"mb": settings.PUPIL_PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    image = _open_verified(data)
    image = ImageOps.exif_transpose(image)
    image = ImageOps.fit(image.convert("RGB"), PORTRAIT_SIZE, Image.Resampling.LANCZOS)
    # Pillow copies the info dict (EXIF, XMP, ICC) into derived images; drop it so that
    # nothing but pixels is written.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue())
