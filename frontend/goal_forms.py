"""Forms for preparing goals in the app: a block, a goal with its rubric, a goals CSV.
They parse and validate; goals.actions does the writing."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom.pictograms import PICTOGRAM_CHOICES
from goals.models import LEVEL_ICONS, MAX_LEVELS, MIN_LEVELS, Block, Goal, Strand

from .forms import DateInput, SchoolDateField

# A goals file is a few hundred rows at most; anything far bigger is a wrong file.
MAX_CSV_BYTES = 512 * 1024
# The length of a typical Dutch school block (about six weeks), for a new block's dates.
BLOCK_WEEKS = 6


class BlockForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    start_date = SchoolDateField(label=_("From"), widget=DateInput)
    end_date = SchoolDateField(label=_("To"), widget=DateInput)

    def __init__(self, *args, block: Block | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if block is not None:
            self.initial.update(
                name=block.name, start_date=block.start_date, end_date=block.end_date
            )
        else:
            today = timezone.localdate()
            self.initial.update(
                start_date=today, end_date=today + timedelta(weeks=BLOCK_WEEKS, days=-1)
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", _("A block cannot end before it starts."))
        return data


class GoalForm(forms.Form):
    """A goal as the pupil reads it ("Ik kan ..."), its leerlijn, picture and rubric.
    The rubric's icons are fixed per level, so every booklet speaks the same pictures."""

    code = forms.CharField(label=_("Code"), max_length=30)
    statement = forms.CharField(
        label=_("Goal for pupils"),
        max_length=300,
        help_text=_("In the pupil's words, starting with 'Ik kan ...'."),
    )
    strand = forms.CharField(label=_("Strand"), max_length=100)
    description = forms.CharField(
        label=_("Description for teachers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pictogram = forms.ChoiceField(
        label=_("Picture"),
        required=False,
        choices=[("", _("no picture")), *PICTOGRAM_CHOICES],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, goal: Goal | None = None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        for position in range(1, MAX_LEVELS + 1):
            self.fields[f"level_{position}"] = forms.CharField(
                label=_("Level %(level)s") % {"level": position},
                max_length=200,
                required=position <= MIN_LEVELS,
            )
        self.strands = list(
            Strand.objects.filter(school=school).values_list("name", flat=True) if school else []
        )
        if goal is not None:
            self.initial.update(
                code=goal.code,
                statement=goal.statement,
                strand=goal.strand.name,
                description=goal.description,
                pictogram=goal.pictogram,
            )
            for level in goal.levels.all():
                self.initial[f"level_{level.position}"] = level.descriptor
        elif len(self.strands) == 1:
            self.initial["strand"] = self.strands[0]

    def level_fields(self):
        return [
            (self[f"level_{position}"], f"icons/{LEVEL_ICONS[position - 1]}.svg")
            for position in range(1, MAX_LEVELS + 1)
        ]

    def clean(self):
        data = super().clean()
        levels = [data.get(f"level_{p}", "") for p in range(1, MAX_LEVELS + 1)]
        while levels and not levels[-1]:
            levels.pop()
        if any(not level for level in levels):
            gap = levels.index("") + 1
            self.add_error(f"level_{gap}", _("Every level needs a descriptor."))
        data["levels"] = levels
        return data


class GoalsFileForm(forms.Form):
    file = forms.FileField(
        label=_("Goals file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    @staticmethod
    def too_big() -> str:
        return _("This file is too big for a goals file (at most %(kb)s kB).") % {
            "kb": MAX_CSV_BYTES // 1024
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(self.too_big())
        return upload.read()
