from django import template

from classroom.pictograms import label

register = template.Library()


@register.filter
def pictogram_label(key: str) -> str:
    """The translated name of a pictogram, for alt texts and read-aloud."""
    return label(key)


@register.filter
def needs_attention(overview, goal) -> bool:
    return overview.needs_attention(goal)
