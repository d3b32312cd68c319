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
