"""Forms for a group's places (werkplekken) and planbord activities. They parse and
validate; classroom.actions and planboard.actions do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.models import Group, Place
from classroom.pictograms import ACTIVITY_PICTURE_CHOICES, PLACE_ICON_CHOICES
from goals.models import Goal
from planboard.models import Activity

from .forms import SafeModelMultipleChoiceField, goal_blocks


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    icon = forms.ChoiceField(
        label=_("Picture"), choices=PLACE_ICON_CHOICES, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label=_("How many pupils at the same time"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Leave empty when there is no limit."),
    )

    def __init__(self, *args, place: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if place is not None:
            self.initial.update(name=place.name, icon=place.icon, capacity=place.capacity)
        else:
            self.initial.setdefault("icon", "table")


class ActivityForm(forms.Form):
    """A corner or activity of the planbord: its picture (or the teacher's photo of it),
    how many children at the same time, and the goals children practise there."""

    name = forms.CharField(label=_("Name"), max_length=80)
    pictogram = forms.ChoiceField(
        label=_("Picture"), choices=ACTIVITY_PICTURE_CHOICES, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label=_("How many children at the same time"), min_value=1, max_value=40
    )
    photo = forms.FileField(
        label=_("Own photo of the corner"),
        required=False,
        help_text=_("Shown to the children instead of the picture."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}
        ),
    )
    goals = SafeModelMultipleChoiceField(
        label=_("Goals practised here"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("On the planbord"), required=False, initial=True)

    def __init__(self, *args, group: Group, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["goals"].queryset = (
            Goal.objects.filter(block__group=group)
            .select_related("block")
            .order_by("-block__start_date", "block__name", "position", "code")
        )
        if activity is not None:
            self.initial.update(
                name=activity.name,
                pictogram=activity.pictogram,
                capacity=activity.capacity,
                active=activity.active,
                goals=[goal.pk for goal in activity.goals.all()],
            )
        else:
            self.initial.setdefault("capacity", 4)
            self.fields.pop("active")

    def goal_blocks(self) -> list[dict]:
        if self.is_bound:
            chosen = set(self.data.getlist("goals"))
        else:
            chosen = {str(pk) for pk in self.initial.get("goals", [])}
        return goal_blocks(self.group, self.fields["goals"].queryset, chosen)
