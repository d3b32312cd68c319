"""Preparing the room in the app: the group's places (werkplekken) for the logbook and
the corners and activities of the planbord."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from classroom import actions
from classroom.models import Group, Place
from classroom.permissions import get_changeable_or_404, get_readable_or_404, require_create
from planboard import actions as planboard_actions
from planboard.api import picture_url
from planboard.models import Activity

from ..access import staff_required
from ..forms import school_day
from ..place_forms import ActivityForm, PlaceForm


def _group(request, group_id: int, model) -> Group:
    group = get_readable_or_404(request.user, Group, pk=group_id)
    require_create(request.user, model, group)
    return group


def _iso_day(value: str) -> str:
    """The planbord day to go back to, when it is a real date."""
    day = school_day(value)
    return day.isoformat() if day else ""


def _places_page(request, group: Group, form: PlaceForm, status=200):
    return render(
        request,
        "teacher/places.html",
        {"group": group, "places": group.places.all(), "form": form},
        status=status,
    )


@staff_required
def places(request, group_id: int):
    """The group's places, and a new one."""
    group = _group(request, group_id, Place)
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                place = actions.create_place(group=group, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Place %(name)s added.") % {"name": place.name})
                return redirect("frontend:places", group_id=group.pk)
        return _places_page(request, group, form, status=400)
    return _places_page(request, group, PlaceForm())


@staff_required
def edit_place(request, place_id: int):
    place = get_changeable_or_404(request.user, Place.objects.select_related("group"), pk=place_id)
    if request.method == "POST":
        form = PlaceForm(request.POST, place=place)
        if form.is_valid():
            try:
                actions.update_place(place, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved"))
                return redirect("frontend:places", group_id=place.group_id)
    else:
        form = PlaceForm(place=place)
    return render(
        request,
        "teacher/place_form.html",
        {"group": place.group, "place": place, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _activity_page(request, group: Group, activity: Activity | None):
    back = reverse("frontend:teacher-planboard", args=[group.pk])
    day = _iso_day(request.GET.get("datum") or request.POST.get("datum") or "")
    if day:
        back += f"?datum={day}"
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, group=group, activity=activity)
        if form.is_valid():
            data = dict(form.cleaned_data)
            photo = data.pop("photo", None)
            try:
                with transaction.atomic():
                    if activity is None:
                        saved = planboard_actions.create_activity(group=group, **data)
                    else:
                        saved = planboard_actions.update_activity(activity, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if photo:
                    # Cleaned outside any transaction, like every photo: a bad photo
                    # keeps the saved activity and says why on its own page.
                    try:
                        planboard_actions.set_activity_photo(saved, photo)
                    except ValidationError as exc:
                        messages.error(request, " ".join(exc.messages))
                        edit = reverse("frontend:activity-edit", args=[saved.pk])
                        return redirect(edit + (f"?datum={day}" if day else ""))
                messages.success(request, _("Saved: %(name)s.") % {"name": saved.name})
                return redirect(back)
    else:
        form = ActivityForm(group=group, activity=activity)
    return render(
        request,
        "teacher/activity_form.html",
        {
            "group": group,
            "activity": activity,
            "form": form,
            "back": back,
            "day": day,
            "picture": picture_url(activity) if activity is not None else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def new_activity(request, group_id: int):
    group = _group(request, group_id, Activity)
    return _activity_page(request, group, None)


@staff_required
def edit_activity(request, activity_id: int):
    activity = get_changeable_or_404(
        request.user, Activity.objects.select_related("group"), pk=activity_id
    )
    return _activity_page(request, activity.group, activity)
