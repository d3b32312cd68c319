"""Places to work."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Group,
    Place,
)
from ..pictograms import PLACE_ICONS


def _clean_place(name: str, icon: str, capacity: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("A place needs a name."))
    if icon not in PLACE_ICONS:
        raise ValidationError(_("Unknown icon: %(icon)s") % {"icon": icon})
    if capacity is not None and capacity < 1:
        raise ValidationError(_("A place holds at least one pupil."))
    return name


def create_place(*, group: Group, name: str, icon: str = "table", capacity=None) -> Place:
    name = _clean_place(name, icon, capacity)
    if group.places.filter(name__iexact=name).exists():
        raise ValidationError(_("This group already has a place called %(name)s.") % {"name": name})
    return Place.objects.create(group=group, name=name, icon=icon, capacity=capacity)


def update_place(place: Place, **fields) -> Place:
    name = fields.get("name", place.name)
    icon = fields.get("icon", place.icon)
    capacity = fields.get("capacity", place.capacity)
    name = _clean_place(name, icon, capacity)
    if place.group.places.exclude(pk=place.pk).filter(name__iexact=name).exists():
        raise ValidationError(_("This group already has a place called %(name)s.") % {"name": name})
    place.name, place.icon, place.capacity = name, icon, capacity
    place.save()
    return place


def delete_place(place: Place) -> None:
    place.delete()
