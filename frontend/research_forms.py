"""Forms for studies, consent and design teams. They parse; research.actions writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from classroom.models import Group, Lesson, School
from classroom.permissions import can
from research.models import Dataset, Phase

from .forms import DateInput, SafeModelMultipleChoiceField


class _SchoolScoped(forms.Form):
    """A form for one school, chosen from the schools the user may use."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    groups = SafeModelMultipleChoiceField(
        label=_("Groups"), queryset=Group.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        # This school year's groups, and those already chosen (of an earlier year).
        chosen = [getattr(g, "pk", g) for g in self.initial.get("groups") or ()]
        self.fields["groups"].queryset = (
            Group.objects.filter(school__in=schools)
            .filter(Q(archived_at__isnull=True) | Q(pk__in=chosen))
            .order_by("-school_year", "year_from", "name")
        )
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        school, groups = data.get("school"), data.get("groups") or []
        if school and any(group.school_id != school.pk for group in groups):
            raise forms.ValidationError(_("Every group must belong to this school."))
        return data


class StudyForm(_SchoolScoped):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    datasets = forms.MultipleChoiceField(
        label=_("Data the study needs"),
        choices=Dataset.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    include_free_text = forms.BooleanField(
        label=_("Include free text (pupils' own words, teachers' notes)"), required=False
    )
    coarsen_to_day = forms.BooleanField(
        label=_("Dates only (no times)"), required=False, initial=True
    )
    min_cell_size = forms.IntegerField(
        label=_("Minimum group size"),
        min_value=1,
        max_value=50,
        initial=5,
        help_text=_(
            "A group with fewer pupils with consent than this is left out of the export, "
            "its rows and its counts. 5 or more is advised."
        ),
    )
    researchers = forms.CharField(
        label=_("Researchers (usernames, separated by commas)"), required=False
    )

    field_order = ["school", "title", "description", "groups", "start_date", "end_date"]

    def clean_researchers(self):
        return [
            name.strip() for name in self.cleaned_data["researchers"].split(",") if name.strip()
        ]


class InterventionForm(_SchoolScoped):
    title = forms.CharField(label=_("Title"), max_length=200)
    practice_question = forms.CharField(
        label=_("Practice question (praktijkvraag)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    working_hypothesis = forms.CharField(
        label=_("Working hypothesis (werkhypothese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    design_requirements = forms.CharField(
        label=_("Design requirements (ontwerpeisen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    members = SafeModelMultipleChoiceField(
        label=_("Design team"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["school", "title", "practice_question", "working_hypothesis"]

    def __init__(self, *args, schools, user, current_members=(), current_groups=(), **kwargs):
        super().__init__(*args, schools=schools, **kwargs)
        # Only groups the user teaches (or, as the school's admin, runs) can be put in;
        # the ones already in stay when the form is saved unchanged.
        keep = {g.pk for g in current_groups}
        self.fields["groups"].queryset = self.fields["groups"].queryset.filter(
            pk__in=[
                g.pk
                for g in self.fields["groups"].queryset
                if g.pk in keep or can(user, "put_in_intervention", g)
            ]
        )
        members = self.fields["members"]
        # The school's staff, and whoever is on the team already (a researcher from
        # outside the school stays on it when the form is saved unchanged).
        members.queryset = (
            get_user_model()
            .objects.filter(
                Q(memberships__school__in=schools) | Q(pk__in=[u.pk for u in current_members])
            )
            .distinct()
            .order_by("username")
        )
        members.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ObservationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    text = forms.CharField(label=_("Observation"), widget=forms.Textarea(attrs={"rows": 3}))


class LessonLinkForm(forms.Form):
    lesson = forms.ModelChoiceField(label=_("Lesson"), queryset=Lesson.objects.none())
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)

    def __init__(self, *args, intervention, user, **kwargs):
        super().__init__(*args, **kwargs)
        lessons = self.fields["lesson"]
        # The lessons of the intervention's groups the user teaches (or runs as admin).
        groups = [g for g in intervention.groups.all() if can(user, "put_in_intervention", g)]
        lessons.queryset = (
            Lesson.objects.filter(
                group__in=groups,
                date__gte=intervention.start_date,
                date__lte=intervention.end_date,
            )
            .select_related("group")
            .order_by("-date", "title")
        )
        lessons.label_from_instance = lambda x: f"{x.date:%d-%m} {x.title} ({x.group.name})"
