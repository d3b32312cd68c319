from django import template

from classroom.pictograms import label

from ..quadrant_svg import geometry

register = template.Library()


@register.filter
def pictogram_label(key: str) -> str:
    """The translated name of a pictogram, for alt texts and read-aloud."""
    return label(key)


@register.filter
def needs_attention(overview, goal) -> bool:
    return overview.needs_attention(goal)


@register.inclusion_tag("includes/quadrant_frame.html")
def quadrant_frame():
    """The quadrant's square, middle lines and the four names, from the one geometry."""
    return {"q": geometry()}


@register.simple_tag
def quadrant_geometry() -> str:
    """ "x0 top size" for the live figure's data-q-geometry (dashboard.js)."""
    return geometry()["data"]


@register.filter
def thumbed(item, user) -> bool:
    """Has this teacher given the item of "nieuw van de klas" a thumb already?"""
    return item.thumbed_by(user)


@register.filter
def descriptor(page, position) -> str:
    """A booklet mark with its level's words: "3 · Ik kan het zelf"."""
    return page.descriptor(position)


@register.filter
def staff_name(user) -> str:
    """How a teacher is named to a pupil: the full name, else the username without any
    e-mail domain (a child does not need the address)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username().split("@")[0]


@register.filter
def needs_check(moves) -> bool:
    """A school year's turn: some pupil of this group needs the admin's choice."""
    return any(move.check for move in moves)
