"""The pictograms pupils recognise without reading.

One registry serves the picture codes, the avatars and the places. Each pictogram is a
small SVG in frontend/static/pictograms/<key>.svg with a translated name, which screen
readers announce and read-aloud speaks.
"""

from django.utils.translation import gettext_lazy as _

PICTOGRAMS: dict[str, str] = {
    "sun": _("sun"),
    "moon": _("moon"),
    "star": _("star"),
    "heart": _("heart"),
    "house": _("house"),
    "tree": _("tree"),
    "fish": _("fish"),
    "car": _("car"),
    "ball": _("ball"),
    "flower": _("flower"),
    "apple": _("apple"),
    "cloud": _("cloud"),
}

# Picture codes are typed on this grid, always in this order so that children can
# remember where "their" pictures are.
CODE_GRID: tuple[str, ...] = tuple(PICTOGRAMS)

AVATAR_COLOURS: dict[str, str] = {
    "red": "#d64545",
    "orange": "#e07b00",
    "green": "#2f8f46",
    "blue": "#2f6fd6",
    "purple": "#7b4ad6",
    "pink": "#c8458f",
    "teal": "#16867f",
    "brown": "#8a5a2b",
}

PLACE_ICONS: dict[str, str] = {
    **PICTOGRAMS,
    "table": _("table"),
    "quiet": _("quiet corner"),
    "door": _("corridor"),
    "blocks": _("building corner"),
    "book": _("reading corner"),
}


def label(key: str) -> str:
    return str(PLACE_ICONS.get(key, key))


def static_path(key: str) -> str:
    return f"pictograms/{key}.svg"


PICTOGRAM_CHOICES = [(key, name) for key, name in PICTOGRAMS.items()]
PLACE_ICON_CHOICES = [(key, name) for key, name in PLACE_ICONS.items()]
