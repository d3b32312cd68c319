"""Research and design-team pages: studies with consent and exports, interventions with
their phases, and a pupil's data rights (download, erase) for school admins."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Pupil, School
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
from logbook import dashboard
from research import actions
from research.exports import FORMATS, Export, filename, zip_stream
from research.models import (
    Consent,
    ConsentStatus,
    Intervention,
    InterventionLesson,
    Observation,
    Phase,
    Study,
)
from research.rights import pupil_data

from ..access import adult_required, staff_required
from ..quadrant_svg import trajectory_dots
from ..research_forms import InterventionForm, LessonLinkForm, ObservationForm, StudyForm


def _errors(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in error.values() for e in errors))


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
            "researchers": ", ".join(u.username for u in study.researchers.all()),
        }
    form = StudyForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                study = _save_study(request, study, form)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The study is saved."))
                return redirect("frontend:study", study_id=study.pk)
        else:
            _errors(request, form.errors)
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
    return render(
        request,
        "research/study.html",
        {
            "study": study,
            "groups": study.groups.all(),
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
        changed = actions.set_consents(study=study, statuses=statuses, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("frontend:study", study_id=study.pk)
    messages.success(request, _("Consent saved for %(count)s pupils.") % {"count": changed})
    return redirect(reverse("frontend:study", args=[study.pk]) + "#consent")


@adult_required
def study_export(request, study_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    study = get_permitted_or_404(request.user, "export", Study, pk=study_id)
    response = StreamingHttpResponse(zip_stream(Export(study), fmt), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename(study, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Interventions --------------------------------------------------------------------


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
    form = InterventionForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                require_create(request.user, Intervention, data["school"])
                intervention = actions.save_intervention(intervention, **data)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The intervention is saved."))
                return redirect("frontend:intervention", intervention_id=intervention.pk)
        else:
            _errors(request, form.errors)
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
    return render(
        request,
        "research/intervention.html",
        {
            "intervention": intervention,
            "phases": phases,
            "members": intervention.members.all(),
            "groups": intervention.groups.all(),
            "observations": intervention.observations.select_related("author"),
            "may_change": may_change,
            "observation_form": ObservationForm(initial={"date": timezone.localdate()}),
            "link_form": LessonLinkForm(intervention=intervention) if may_change else None,
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
                intervention=intervention, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The observation is saved."))
    else:
        _errors(request, form.errors)
    return redirect(reverse("frontend:intervention", args=[intervention.pk]) + "#log")


@require_POST
@adult_required
def intervention_link(request, intervention_id: int):
    intervention = _intervention_to_add(request, intervention_id, InterventionLesson)
    form = LessonLinkForm(request.POST, intervention=intervention)
    if form.is_valid():
        try:
            actions.link_lesson(intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The lesson is linked."))
    else:
        _errors(request, form.errors)
    return redirect(reverse("frontend:intervention", args=[intervention.pk]) + "#phases")


@require_POST
@adult_required
def intervention_unlink(request, link_id: int):
    link = get_changeable_or_404(request.user, InterventionLesson, pk=link_id)
    actions.unlink_lesson(link)
    messages.success(request, _("The lesson is no longer linked."))
    return redirect(reverse("frontend:intervention", args=[link.intervention_id]) + "#phases")


# --- A pupil's data rights ------------------------------------------------------------


def _pupil_for_admin(request, pupil_id: int) -> Pupil:
    return get_permitted_or_404(
        request.user, "manage_data", Pupil.objects.select_related("group__school"), pk=pupil_id
    )


@staff_required
def pupil_data_page(request, pupil_id: int):
    pupil = _pupil_for_admin(request, pupil_id)
    return render(request, "research/pupil_data.html", {"pupil": pupil})


@staff_required
def pupil_data_download(request, pupil_id: int):
    pupil = _pupil_for_admin(request, pupil_id)
    response = HttpResponse(pupil_data(pupil), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="leerling-{pupil.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def pupil_erase(request, pupil_id: int):
    pupil = _pupil_for_admin(request, pupil_id)
    if request.POST.get("confirm", "").strip() != pupil.display_name:
        messages.error(
            request,
            _("Type the pupil's name exactly as shown to confirm: %(name)s")
            % {"name": pupil.display_name},
        )
        return redirect("frontend:pupil-data", pupil_id=pupil.pk)
    group_id, name = pupil.group_id, pupil.display_name
    actions.erase_pupil(pupil, by=request.user)
    messages.success(request, _("%(name)s and all their data are erased.") % {"name": name})
    return redirect("frontend:group", group_id=group_id)
