"""A pupil's data rights for school admins: everything stored about them, and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import audit
from classroom.models import Pupil
from classroom.permissions import (
    get_permitted_or_404,
)
from research import actions
from research.rights import pupil_data

from ..access import staff_required


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
    data = pupil_data(pupil)
    # Who took the child's data, and when; the record names no pupil.
    audit.record(
        "data_downloaded",
        actor=request.user,
        school=pupil.group.school,
        group=pupil.group,
        size=len(data),
    )
    response = HttpResponse(data, content_type="application/zip")
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
    actions.erase_pupil(pupil, acting_user=request.user)
    messages.success(request, _("%(name)s and all their data are erased.") % {"name": name})
    return redirect("frontend:group", group_id=group_id)
