"""Photo pipeline cost against a bare Pillow pipeline, on the same 12 MP JPEG, same run.

    .venv/bin/python bench/photo.py            # writes bench/results/photo.json

"bare" is what anyone would write: open, apply the EXIF orientation, resize to 1600 px,
save as JPEG. Ours also verifies the file first, checks format and pixel count, strips
all metadata and makes a 320 px thumbnail, and decodes JPEGs in libjpeg's draft mode. So
that the draft trick is not hidden in the ratio, the bench also reports the ratio against
a bare pipeline that uses draft mode too.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

import PIL  # noqa: E402
from PIL import Image, ImageDraw, ImageOps  # noqa: E402

from classroom.images import process_photo  # noqa: E402
from tests.images import GPS_IFD, ORIENTATION  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
SIZE = (4000, 3000)  # 12 MP, a tablet camera


def twelve_megapixel_jpeg() -> bytes:
    """A photo-like 12 MP JPEG (smooth colour, edges and sensor noise) with camera EXIF,
    a GPS position and orientation 6 (the tablet was held upright)."""
    noise = Image.effect_noise(SIZE, 24)
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(SIZE),
            noise,
            Image.radial_gradient("L").resize(SIZE),
        ),
    )
    draw = ImageDraw.Draw(base)
    for i in range(40):
        x, y = (i * 97) % SIZE[0], (i * 61) % SIZE[1]
        draw.rectangle((x, y, x + 300, y + 200), outline=(250, 250, 250), width=8)
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)}
    out = io.BytesIO()
    base.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def bare(data: bytes, draft: bool = False) -> bytes:
    image = Image.open(io.BytesIO(data))
    if draft:
        factor = 1600 / max(image.size)
        image.draft("RGB", (round(image.width * factor), round(image.height * factor)))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def ours(data: bytes) -> bytes:
    return process_photo(data).photo.read()


def timed(func, data) -> float:
    start = time.perf_counter()
    func(data)
    return (time.perf_counter() - start) * 1000


def main() -> dict:
    data = twelve_megapixel_jpeg()
    candidates = {
        "bare": lambda d: bare(d),
        "bare_draft": lambda d: bare(d, draft=True),
        "ours": ours,
    }
    for func in candidates.values():  # warm up caches and imports
        func(data)
    samples = {name: [] for name in candidates}
    for _ in range(RUNS):  # interleaved, so machine noise hits all three alike
        for name, func in candidates.items():
            samples[name].append(timed(func, data))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    output = Image.open(io.BytesIO(ours(data)))
    result = {
        "bench": "photo",
        "machine": {
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "versions": {
            "python": platform.python_version(),
            "pillow": PIL.__version__,
            "django": django.get_version(),
        },
        "input": {
            "width": SIZE[0],
            "height": SIZE[1],
            "bytes": len(data),
            "exif_tags_before": len(Image.open(io.BytesIO(data)).getexif()),
        },
        "runs": RUNS,
        "bare_ms_median": round(medians["bare"], 1),
        "bare_draft_ms_median": round(medians["bare_draft"], 1),
        "ours_ms_median": round(medians["ours"], 1),
        "ratio_vs_bare": round(medians["ours"] / medians["bare"], 3),
        "ratio_vs_bare_with_draft": round(medians["ours"] / medians["bare_draft"], 3),
        "exif_tags_after": len(output.getexif()),
        "output_size": list(output.size),
        "target": "ratio_vs_bare <= 1.2 and exif_tags_after == 0",
    }
    result["met"] = result["ratio_vs_bare"] <= 1.2 and result["exif_tags_after"] == 0
    return result


if __name__ == "__main__":
    result = main()
    path = ROOT / "bench" / "results" / "photo.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
