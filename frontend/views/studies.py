"""Research pages: the research home, studies with their consent table and exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Membership, Pupil, School
from classroom.permissions import (
    can,
    can_change,
    creatable_in,
    get_changeable_or_404,
    get_permitted_or_404,
    get_readable_or_404,
    may_create_somewhere,
    readable,
    require_create,
)
from research import actions
from research.exports import FORMATS, Export, filename, zip_stream
from research.models import (
    Consent,
    ConsentStatus,
    Intervention,
    Study,
)

from ..access import adult_required
from ..research_forms import StudyForm
from .feedback import show_errors


@adult_required
def home(request):
    schools = School.objects.all()
    return render(
        request,
        "research/home.html",
        {
            "studies": readable(request.user, Study.objects.select_related("school")),
            "interventions": readable(request.user, Intervention.objects.all()),
            "may_add_study": may_create_somewhere(request.user, Study, schools),
            "may_add_intervention": may_create_somewhere(request.user, Intervention, schools),
        },
    )


# --- Studies --------------------------------------------------------------------------


def _study_form_schools(request):
    return creatable_in(request.user, Study, School.objects.all())


def _save_study(request, study, form):
    data = form.cleaned_data
    require_create(request.user, Study, data["school"])
    return actions.save_study(
        study,
        school=data["school"],
        title=data["title"],
        description=data["description"],
        groups=data["groups"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        datasets=data["datasets"],
        include_free_text=data["include_free_text"],
        coarsen_to_day=data["coarsen_to_day"],
        min_cell_size=data["min_cell_size"],
        researchers=actions.researchers_by_username(data["researchers"]),
    )


@adult_required
def study_form(request, study_id: int | None = None):
    study = None
    if study_id is not None:
        study = get_changeable_or_404(request.user, Study, pk=study_id)
    schools = _study_form_schools(request)
    if not schools.exists():
        raise PermissionDenied
    initial = {}
    if study is not None:
        initial = {
            "school": study.school,
            "title": study.title,
            "description": study.description,
            "groups": study.groups.all(),
            "start_date": study.start_date,
            "end_date": study.end_date,
            "datasets": study.datasets,
            "include_free_text": study.include_free_text,
            "coarsen_to_day": study.coarsen_to_day,
            "min_cell_size": study.min_cell_size,
            "researchers": ", ".join(u.username for u in study.researchers.all()),
        }
    form = StudyForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                study = _save_study(request, study, form)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The study is saved."))
                return redirect("frontend:study", study_id=study.pk)
        else:
            show_errors(request, form.errors)
    return render(request, "research/study_form.html", {"form": form, "study": study})


def _consent_rows(request, study):
    """The pupils of the study whose consent this user may set, with their status."""
    pupils = readable(request.user, Pupil.objects.filter(group__in=study.groups.all()))
    pupils = [p for p in pupils.select_related("group").order_by("group__name", "display_name")]
    # Staff read exactly the pupils they manage, so one pupil answers for them all.
    if not pupils or not can(request.user, "set_consent", pupils[0], model=Consent):
        return []
    current = {
        c.pupil_id: c
        for c in Consent.objects.filter(study=study, pupil__in=pupils).select_related("set_by")
    }
    return [(pupil, current.get(pupil.pk)) for pupil in pupils]


@adult_required
def study_page(request, study_id: int):
    study = get_readable_or_404(request.user, Study.objects.select_related("school"), pk=study_id)
    consents = Consent.objects.filter(study=study, pupil__group__in=study.groups.all())
    counts = {
        label: consents.filter(status=status).count() for status, label in ConsentStatus.choices
    }
    given = dict(
        consents.filter(status=ConsentStatus.GIVEN)
        .values("pupil__group_id")
        .annotate(n=Count("pk"))
        .values_list("pupil__group_id", "n")
    )
    groups = list(study.groups.all())
    left_out = [g for g in groups if given.get(g.pk, 0) < study.min_cell_size]
    return render(
        request,
        "research/study.html",
        {
            "study": study,
            "groups": groups,
            "left_out": left_out,
            # A researcher outside the school sees no typed group names (they can hold a
            # teacher's name): the years only, as in the exports' README.
            "of_school": Membership.objects.filter(
                user=request.user, school=study.school_id
            ).exists(),
            "counts": counts,
            "may_export": can(request.user, "export", study),
            "may_change": can_change(request.user, study),
            "consent_rows": _consent_rows(request, study),
            "statuses": ConsentStatus.choices,
            "formats": FORMATS,
        },
    )


@require_POST
@adult_required
def study_consent(request, study_id: int):
    study = get_readable_or_404(request.user, Study, pk=study_id)
    rows = _consent_rows(request, study)
    if not rows:
        raise PermissionDenied  # only the pupils' teachers and the school's admins
    statuses = {
        pupil: request.POST[f"consent-{pupil.pk}"]
        for pupil, _consent in rows
        if f"consent-{pupil.pk}" in request.POST
    }
    try:
        changed = actions.set_consents(study=study, statuses=statuses, acting_user=request.user)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("frontend:study", study_id=study.pk)
    messages.success(request, _("Consent saved for %(count)s pupils.") % {"count": changed})
    return redirect(reverse("frontend:study", args=[study.pk]) + "#consent")


@adult_required
def study_export(request, study_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    study = get_permitted_or_404(request.user, "export", Study, pk=study_id)
    actions.record_export(study, fmt=fmt, acting_user=request.user)
    response = StreamingHttpResponse(zip_stream(Export(study), fmt), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename(study, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Interventions --------------------------------------------------------------------
