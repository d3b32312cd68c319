"""Forms for the teacher's pages. They parse and validate; actions do the writing."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from classroom import actions
from classroom.models import ASPECTS, Differentiation, Lesson, Openness
from goals.booklet import current_block
from goals.models import Goal

ASPECT_LABELS = {
    "goal": _("Goal"),
    "instruction": _("Instruction"),
    "place": _("Place"),
    "partner": _("Partner"),
    "order": _("Order"),
}
INSTRUCTION_CHOICES = [
    ("", _("decide per pupil")),
    ("yes", _("everyone joins")),
    ("no", _("nobody joins")),
]


class LessonSettingsForm(forms.Form):
    """How open each aspect is, the options for `choice`, and differentiation."""

    differentiation = forms.ChoiceField(label=_("Differentiation"), choices=Differentiation.choices)
    fixed_instruction = forms.ChoiceField(
        label=_("Instruction when the teacher decides"),
        choices=INSTRUCTION_CHOICES,
        required=False,
    )
    goal_options = forms.ModelMultipleChoiceField(
        label=_("Goals to choose from"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place_options = forms.ModelMultipleChoiceField(
        label=_("Places to choose from"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        self.lesson = lesson
        initial = {f"{aspect}_openness": lesson.openness(aspect) for aspect in ASPECTS} | {
            "differentiation": lesson.differentiation,
            "fixed_instruction": {True: "yes", False: "no", None: ""}[lesson.fixed_instruction],
        }
        if lesson.pk:
            initial["goal_options"] = list(lesson.goal_options.values_list("pk", flat=True))
            initial["place_options"] = list(lesson.place_options.values_list("pk", flat=True))
        super().__init__(*args, initial=initial, **kwargs)
        for aspect in reversed(ASPECTS):
            self.fields = {
                f"{aspect}_openness": forms.ChoiceField(
                    label=ASPECT_LABELS[aspect], choices=Openness.choices
                ),
                **self.fields,
            }
        block = current_block(lesson.group)
        goals = Q(pk__in=initial.get("goal_options", []))
        if block is not None:
            goals |= Q(block=block)
        self.fields["goal_options"].queryset = Goal.objects.filter(
            goals, block__group=lesson.group
        ).order_by("position", "code")
        self.fields["goal_options"].label_from_instance = lambda g: f"{g.code} {g.statement}"
        self.fields["place_options"].queryset = lesson.group.places.all()

    def openness_fields(self):
        return [self[f"{aspect}_openness"] for aspect in ASPECTS]

    def save(self) -> Lesson:
        data = self.cleaned_data
        fields = {f"{aspect}_openness": data[f"{aspect}_openness"] for aspect in ASPECTS}
        fields["differentiation"] = data["differentiation"]
        fields["fixed_instruction"] = {"yes": True, "no": False}.get(data["fixed_instruction"])
        return actions.configure_lesson(
            self.lesson, goals=data["goal_options"], places=data["place_options"], **fields
        )
