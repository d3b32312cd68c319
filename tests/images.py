"""Real images made with Pillow for the upload tests."""

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_bytes(size=(800, 600), orientation: int | None = None, gps: bool = True) -> bytes:
    """A JPEG with EXIF: a GPS position (a school's address, in effect) and an orientation."""
    image = Image.new("RGB", size, (200, 40, 40))
    # The left half is white, so one can tell after rotating where "left" went.
    image.paste((255, 255, 255), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"  # camera make
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(300, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 255)).save(out, "PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (50, 50)).save(out, "GIF")
    return out.getvalue()


def pixel_bomb_png() -> bytes:
    """A tiny file that claims 20,000 x 20,000 pixels (400 MP)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def with_garbage_exif(fmt: str, size=(400, 300)) -> bytes:
    """A PNG or WebP whose EXIF block is not EXIF at all (some editors and screenshot
    tools write such blocks): Pillow's EXIF reader raises on it."""
    out = io.BytesIO()
    Image.new("RGB", size, (30, 160, 60)).save(out, fmt, exif=b"Exif\x00\x00garbage, not TIFF")
    return out.getvalue()


def damaged_jpeg(size=(800, 600)) -> bytes:
    """A JPEG whose picture data stops halfway with an end marker (a broken copy from a
    card): libjpeg decodes it with only a warning, the lower half mid-grey."""
    data = jpeg_bytes(size=size)
    return data[: len(data) * 2 // 3] + b"\xff\xd9"


def mpo_bytes(size=(800, 600)) -> bytes:
    """A multi-picture JPEG (MPO) as phones and 3D cameras write it: the first picture
    has a white left half, the second is all blue."""
    first = Image.new("RGB", size, (200, 40, 40))
    first.paste((255, 255, 255), (0, 0, size[0] // 2, size[1]))
    second = Image.new("RGB", size, (0, 0, 255))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def heic_bytes(size=(800, 600)) -> bytes:
    """A HEIC photo as an iPad saves it, made with pillow-heif."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((255, 255, 255), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, "HEIF", quality=90)
    return out.getvalue()
