"""Design-team pages: interventions with their phases, linked lessons and observations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Membership, School
from classroom.permissions import (
    can_change,
    creatable_in,
    get_changeable_or_404,
    get_readable_or_404,
    require_create,
)
from logbook import dashboard
from research import actions, names
from research.models import (
    Intervention,
    InterventionLesson,
    Observation,
    Phase,
)

from ..access import adult_required
from ..quadrant_svg import trajectory_dots
from ..research_forms import InterventionForm, LessonLinkForm, ObservationForm
from .feedback import show_errors


def _intervention_schools(request):
    return creatable_in(request.user, Intervention, School.objects.all())


@adult_required
def intervention_form(request, intervention_id: int | None = None):
    intervention = None
    if intervention_id is not None:
        intervention = get_changeable_or_404(request.user, Intervention, pk=intervention_id)
    schools = _intervention_schools(request)
    if not schools.exists():
        raise PermissionDenied
    initial = {"members": [request.user]}
    if intervention is not None:
        initial = {
            field: getattr(intervention, field)
            for field in (
                "school",
                "title",
                "practice_question",
                "working_hypothesis",
                "design_requirements",
                "start_date",
                "end_date",
            )
        } | {"groups": intervention.groups.all(), "members": intervention.members.all()}
    form = InterventionForm(
        request.POST or None,
        schools=schools,
        initial=initial,
        user=request.user,
        current_members=list(intervention.members.all()) if intervention else (),
        current_groups=list(intervention.groups.all()) if intervention else (),
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                require_create(request.user, Intervention, data["school"])
                intervention = actions.save_intervention(intervention, **data)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The intervention is saved."))
                return redirect("frontend:intervention", intervention_id=intervention.pk)
        else:
            show_errors(request, form.errors)
    return render(
        request, "research/intervention_form.html", {"form": form, "intervention": intervention}
    )


@adult_required
def intervention_page(request, intervention_id: int):
    intervention = get_readable_or_404(request.user, Intervention, pk=intervention_id)
    links = list(
        intervention.lesson_links.select_related("lesson__group").order_by(
            "lesson__date", "lesson__started_at"
        )
    )
    placed = dict(dashboard.positions([link.lesson for link in links]))
    phases = []
    for phase, label in Phase.choices:
        items = [(link.lesson, placed[link.lesson]) for link in links if link.phase == phase]
        phases.append(
            {
                "key": phase,
                "label": label,
                "links": [link for link in links if link.phase == phase],
                "trajectory": trajectory_dots(items),
            }
        )
    may_change = can_change(request.user, intervention)
    observations = list(intervention.observations.select_related("author"))
    if not Membership.objects.filter(user=request.user, school=intervention.school_id).exists():
        # A researcher outside the school reads the log as an export would give it: every
        # name the school holds replaced ([leerling], [leerkracht], ...).
        scrub = names.for_schools([intervention.school_id])
        for observation in observations:
            observation.text = scrub(observation.text)
    return render(
        request,
        "research/intervention.html",
        {
            "intervention": intervention,
            "phases": phases,
            "members": intervention.members.all(),
            "groups": intervention.groups.all(),
            "observations": observations,
            "may_change": may_change,
            "observation_form": ObservationForm(initial={"date": timezone.localdate()}),
            "link_form": (
                LessonLinkForm(intervention=intervention, user=request.user) if may_change else None
            ),
        },
    )


def _intervention_to_add(request, intervention_id: int, part) -> Intervention:
    """The intervention, when the user may add a `part` to it (a lesson link, an
    observation): 404 when it is not readable, 403 when it is read-only."""
    intervention = get_readable_or_404(request.user, Intervention, pk=intervention_id)
    require_create(request.user, part, intervention)
    return intervention


@require_POST
@adult_required
def intervention_observation(request, intervention_id: int):
    intervention = _intervention_to_add(request, intervention_id, Observation)
    form = ObservationForm(request.POST)
    if form.is_valid():
        try:
            actions.add_observation(
                intervention=intervention, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The observation is saved."))
    else:
        show_errors(request, form.errors)
    return redirect(reverse("frontend:intervention", args=[intervention.pk]) + "#log")


@require_POST
@adult_required
def intervention_link(request, intervention_id: int):
    intervention = _intervention_to_add(request, intervention_id, InterventionLesson)
    form = LessonLinkForm(request.POST, intervention=intervention, user=request.user)
    if form.is_valid():
        try:
            actions.link_lesson(intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The lesson is linked."))
    else:
        show_errors(request, form.errors)
    return redirect(reverse("frontend:intervention", args=[intervention.pk]) + "#phases")


@require_POST
@adult_required
def intervention_unlink(request, link_id: int):
    link = get_changeable_or_404(request.user, InterventionLesson, pk=link_id)
    actions.unlink_lesson(link)
    messages.success(request, _("The lesson is no longer linked."))
    return redirect(reverse("frontend:intervention", args=[link.intervention_id]) + "#phases")


# --- A pupil's data rights ------------------------------------------------------------
