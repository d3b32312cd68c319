"""Fill nothing, guess nothing: compile frontend/locale/*/LC_MESSAGES/django.po to .mo
with polib, so that no GNU gettext is needed to run or test Leerregie.

    python -m frontend.compile_messages
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
