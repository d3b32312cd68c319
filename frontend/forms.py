"""Forms for the teacher's pages. They parse and validate; actions do the writing."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from classroom import actions

# Also imported from here by the views and the other forms (classroom.inputs has them).
from classroom.inputs import (  # noqa: F401
    FIRST_SCHOOL_DAY,
    LAST_SCHOOL_DAY,
    SafeModelMultipleChoiceField,
    in_school_calendar,
    positive_int,
)
from classroom.models import ASPECTS, Differentiation, Lesson, Openness, Subject
from classroom.quadrant import OPENNESS_WEIGHT
from goals.booklet import current_block
from goals.models import Goal

from .quadrant_svg import pct


def school_day(value) -> date | None:
    """An ISO date from a query parameter or form field, or None when it is missing,
    impossible (2026-02-30) or outside the years a school plans for."""
    try:
        day = parse_date(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
    if day is None or not FIRST_SCHOOL_DAY <= day <= LAST_SCHOOL_DAY:
        return None
    return day


class SchoolDateField(forms.DateField):
    default_validators = [in_school_calendar]


def goal_blocks(group, goals, chosen: set[str]) -> list[dict]:
    """A group's goals by block for checkbox tiles: the current block first and open, then
    the others newest first; a block with a chosen goal opens too."""
    current = current_block(group)
    current_id = current.pk if current is not None else None
    blocks: dict[int, dict] = {}
    for goal in goals:
        block = blocks.setdefault(
            goal.block_id,
            {"block": goal.block, "goals": [], "current": goal.block_id == current_id},
        )
        block["goals"].append({"goal": goal, "checked": str(goal.pk) in chosen})
    result = sorted(blocks.values(), key=lambda b: not b["current"])
    for block in result:
        block["open"] = block["current"] or any(g["checked"] for g in block["goals"])
    return result


class DateInput(forms.DateInput):
    """A date control that shows the saved date: a `type=date` input reads ISO only
    (a localised "02-10-2026" would show empty and be lost on saving unchanged)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
    goal_options = SafeModelMultipleChoiceField(
        label=_("Goals to choose from"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place_options = SafeModelMultipleChoiceField(
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

    def settings(self) -> dict:
        """The cleaned form as the actions take it: fields and options."""
        data = self.cleaned_data
        fields = {f"{aspect}_openness": data[f"{aspect}_openness"] for aspect in ASPECTS}
        fields["differentiation"] = data["differentiation"]
        fields["fixed_instruction"] = {"yes": True, "no": False}.get(data["fixed_instruction"])
        return fields | {"goals": data["goal_options"], "places": data["place_options"]}

    def save(self) -> Lesson:
        return actions.configure_lesson(self.lesson, **self.settings())


# Per aspect, the question a teacher asks herself, and what each openness means for it.
OPENNESS_QUESTIONS = {
    "goal": _("Which goal do the pupils work on?"),
    "instruction": _("Who joins the instruction?"),
    "place": _("Where do they work?"),
    "partner": _("Who do they work with?"),
    "order": _("In which order do they do their tasks?"),
}
OPENNESS_WORDS = [
    (Openness.FIXED, _("I decide")),
    (Openness.CHOICE, _("They choose from my options")),
    (Openness.FREE, _("They decide themselves")),
]
# The presets a teacher starts from (the form's buttons fill in the openness; "zoals
# vorige les" comes from the group's previous lesson).
PRESETS = {
    "whole_class": {aspect: Openness.FIXED.value for aspect in ASPECTS},
    "options": {aspect: Openness.CHOICE.value for aspect in ASPECTS},
    "free": {aspect: Openness.FREE.value for aspect in ASPECTS},
}


class LessonForm(LessonSettingsForm):
    """A whole lesson, new or not yet started: what, when, how open, with which options.
    The goals are every block of the group's (grouped by block, the current one first);
    the places the group's own."""

    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    date = SchoolDateField(label=_("Date"), widget=DateInput)

    def __init__(self, *args, lesson: Lesson, options: dict | None = None, **kwargs):
        super().__init__(*args, lesson=lesson, **kwargs)
        self.initial.update(title=lesson.title, subject=lesson.subject, date=lesson.date)
        if options is not None:
            self.initial["goal_options"] = [goal.pk for goal in options.get("goals", [])]
            self.initial["place_options"] = [place.pk for place in options.get("places", [])]
        for aspect in ASPECTS:
            field = self.fields[f"{aspect}_openness"]
            field.label = OPENNESS_QUESTIONS[aspect]
            field.choices = OPENNESS_WORDS
            field.widget = forms.RadioSelect(choices=OPENNESS_WORDS)
            field.aspect_label = ASPECT_LABELS[aspect]
        self.fields["differentiation"].widget = forms.RadioSelect(
            choices=self.fields["differentiation"].choices
        )
        self.fields["fixed_instruction"].widget = forms.RadioSelect(choices=INSTRUCTION_CHOICES)
        self.fields["goal_options"].queryset = (
            Goal.objects.filter(block__group=lesson.group)
            .select_related("block")
            .order_by("-block__start_date", "block__name", "position", "code")
        )
        self.order_fields(["title", "subject", "date"])

    def intended_regie(self) -> int:
        """The percentage the chosen openness means (the form's script keeps it live)."""
        values = [self[f"{aspect}_openness"].value() for aspect in ASPECTS]
        return pct(sum(OPENNESS_WEIGHT.get(value, 0.0) for value in values) / len(ASPECTS))

    def _selected(self, name: str) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name))
        return {str(pk) for pk in self.initial.get(name, [])}

    def goal_blocks(self) -> list[dict]:
        return goal_blocks(
            self.lesson.group, self.fields["goal_options"].queryset, self._selected("goal_options")
        )

    def place_choices(self) -> list[dict]:
        chosen = self._selected("place_options")
        return [
            {"place": place, "checked": str(place.pk) in chosen}
            for place in self.fields["place_options"].queryset
        ]

    def save(self) -> Lesson:
        data = self.cleaned_data
        settings = self.settings() | {
            "title": data["title"],
            "subject": data["subject"],
            "date": data["date"],
        }
        if self.lesson.pk is None:
            return actions.create_lesson(group=self.lesson.group, **settings)
        # Only what changed: saving unchanged writes nothing and tells no screen.
        current = actions.lesson_settings(self.lesson)
        changed = {}
        for name, value in settings.items():
            if name in ("goals", "places"):
                if {o.pk for o in value} != {o.pk for o in current[name]}:
                    changed[name] = value
            elif value != current[name]:
                changed[name] = value
        return actions.configure_lesson(self.lesson, **changed)
