"""The teacher's pages: their groups, pupils' login help, login cards."""

import io

import segno
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import actions
from classroom.models import Group, Pupil, School
from classroom.permissions import (
    can,
    get_permitted_or_404,
    get_readable_or_404,
    readable,
    require,
)
from classroom.quadrant import intended_regie

from ..access import staff_required
from .auth import photo_response, picture_code_url, qr_svg


@staff_required
def home(request):
    groups = (
        readable(request.user, Group.objects.current().select_related("school"))
        .annotate(pupil_count=Count("pupils", filter=Q(pupils__active=True), distinct=True))
        .order_by("year_from", "name")
    )
    # Groups of earlier school years: read-only, below.
    past = readable(
        request.user, Group.objects.filter(archived_at__isnull=False).select_related("school")
    ).order_by("-school_year", "year_from", "name")
    # A school admin brings the pupils in from the school's administration.
    schools = [
        s
        for s in readable(request.user, School.objects.all())
        if can(request.user, "import_roster", s)
    ]
    return render(
        request,
        "teacher/home.html",
        {"groups": groups, "past_groups": past, "admin_schools": schools},
    )


def _managed_group(request, group_id: int, operation: str = "change") -> Group:
    return get_permitted_or_404(
        request.user, operation, Group.objects.select_related("school"), pk=group_id
    )


def _class_url(request, group: Group) -> str:
    return request.build_absolute_uri(reverse("frontend:class-grid", args=[group.class_code]))


def _archived_group(request, group: Group):
    """A group of an earlier school year: what it did, read-only."""
    return render(
        request,
        "teacher/group_archived.html",
        {
            "group": group,
            "lessons": group.lessons.order_by("-date", "title"),
            "blocks": group.blocks.order_by("start_date"),
            "pupil_count": group.former_pupils.count() + group.pupils.count(),
        },
    )


@staff_required
def group(request, group_id: int):
    group = get_readable_or_404(request.user, Group.objects.select_related("school"), pk=group_id)
    if group.archived:
        return _archived_group(request, group)
    require(request.user, "change", group)
    pupils = group.pupils.order_by("-active", "display_name")
    today = timezone.localdate()
    lessons = group.lessons.order_by("date", "title")

    def with_regie(rows):
        return [(lesson, intended_regie(lesson)) for lesson in rows]

    return render(
        request,
        "teacher/group.html",
        {
            "group": group,
            "pupils": pupils,
            "places": group.places.all(),
            # The teacher's day first: today's lessons with Start, then what is coming;
            # earlier lessons stay reachable below the pupils.
            "today_lessons": with_regie(lessons.filter(date=today)),
            "upcoming_lessons": with_regie(lessons.filter(date__gt=today)[:10]),
            "earlier_lessons": with_regie(
                group.lessons.filter(date__lt=today).order_by("-date", "title")[:20]
            ),
            "class_url": _class_url(request, group),
            "may_manage_data": can(request.user, "manage_pupil_data", group),
        },
    )


@staff_required
def group_qr(request, group_id: int):
    group = _managed_group(request, group_id)
    qr = segno.make(_class_url(request, group), error="m")
    out = io.BytesIO()
    # A standalone file (with the SVG namespace) so that <img> and scanners can read it.
    qr.save(out, kind="svg", scale=4, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


@staff_required
def login_cards(request, group_id: int):
    group = _managed_group(request, group_id)
    cards = []
    for pupil in group.pupils.filter(active=True).select_related("group").order_by("display_name"):
        url = picture_code_url(request, pupil)
        cards.append({"pupil": pupil, "url": url, "qr_svg": qr_svg(url)})
    return render(
        request,
        "teacher/login_cards.html",
        {"group": group, "cards": cards, "class_url": _class_url(request, group)},
    )


@require_POST
@staff_required
def new_class_code(request, group_id: int):
    group = _managed_group(request, group_id, "new_class_code")
    actions.regenerate_class_code(group)
    messages.success(
        request,
        _("New class code: %(code)s. The old code and QR code no longer work.")
        % {"code": group.class_code},
    )
    return redirect("frontend:group", group_id=group.pk)


def _managed_pupil(request, pupil_id: int, operation: str) -> Pupil:
    return get_permitted_or_404(
        request.user, operation, Pupil.objects.select_related("group"), pk=pupil_id
    )


@require_POST
@staff_required
def unlock_pupil(request, pupil_id: int):
    pupil = _managed_pupil(request, pupil_id, "unlock")
    actions.unlock_pupil(pupil)
    messages.success(request, _("%(name)s can log in again.") % {"name": pupil.display_name})
    return redirect("frontend:group", group_id=pupil.group_id)


@require_POST
@staff_required
def new_picture_code(request, pupil_id: int):
    pupil = _managed_pupil(request, pupil_id, "new_picture_code")
    actions.reset_picture_code(pupil)
    messages.success(
        request,
        _("%(name)s has a new picture code. Print a new login card.")
        % {"name": pupil.display_name},
    )
    return redirect("frontend:group", group_id=pupil.group_id)


@staff_required
def pupil_photo(request, pupil_id: int):
    pupil = get_readable_or_404(request.user, Pupil, pk=pupil_id)
    if not pupil.photo:
        raise Http404
    return photo_response(pupil)
