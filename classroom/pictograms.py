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

# Colours in the order a picture's second, third … pupil gets them: each next one far
# from the ones before, so two "suns" in a class never look alike.
_CONTRASTING_COLOURS = ("red", "blue", "green", "orange", "purple", "teal", "pink", "brown")


def distinct_avatar(taken) -> tuple[str, str]:
    """The picture and colour for the next pupil of a class that already has the
    (picture, colour) pairs in `taken`: never a pair in use, the least used picture
    first, then the least used colour. With 12 pictures and 8 colours there are 96
    pairs; only a class that uses them all gets a repeat."""
    taken = list(taken)
    pictures = [p for p, _c in taken]
    colours = [c for _p, c in taken]
    pairs = set(taken)
    best = None
    for index, picture in enumerate(PICTOGRAMS):
        for rank, colour in enumerate(_CONTRASTING_COLOURS):
            if (picture, colour) in pairs:
                continue
            # Fewest pupils with this picture, then the colour the class uses least, then
            # the order above.
            score = (pictures.count(picture), colours.count(colour), rank, index)
            if best is None or score < best[0]:
                best = (score, picture, colour)
    if best is None:  # every pair is in use: repeat the least used picture
        picture = min(PICTOGRAMS, key=pictures.count)
        return picture, _CONTRASTING_COLOURS[pictures.count(picture) % len(_CONTRASTING_COLOURS)]
    return best[1], best[2]


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


# The planbord's activity pictures: a set of their own (never an avatar or a picture
# code), each drawn to show the activity itself to a child who cannot read yet:
# frontend/static/pictograms/activities/<key>.svg.
ACTIVITY_PICTURES: dict[str, str] = {
    "building": _("building corner"),
    "home_corner": _("home corner"),
    "reading": _("reading corner"),
    "sand": _("sand table"),
    "water": _("water table"),
    "painting": _("painting corner"),
    "drawing": _("drawing table"),
    "clay": _("clay"),
    "puzzle": _("puzzles"),
    "games": _("games"),
    "counting": _("counting game"),
    "computer": _("computer"),
    "music": _("music"),
    "outside": _("outside"),
    "crafts": _("crafts"),
    "circle": _("circle time"),
    "instruction": _("instruction"),
    "quiet": _("quiet corner"),
}
ACTIVITY_PICTURE_CHOICES = [(key, name) for key, name in ACTIVITY_PICTURES.items()]


def activity_static_path(key: str) -> str:
    return f"pictograms/activities/{key}.svg"
