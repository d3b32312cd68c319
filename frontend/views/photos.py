"""Photos (served only after a permission check) and rekengesprek notes."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Pupil
from classroom.permissions import get_readable_or_404, readable, require_create
from goals.models import Goal
from logbook import actions
from logbook.models import ConversationNote, Photo

from ..access import pupil_required, staff_required
from ..forms import positive_int


def _file(request, photo_id: int, field: str) -> FileResponse:
    photo = get_readable_or_404(request.user, Photo, pk=photo_id)
    response = FileResponse(getattr(photo, field).open("rb"), content_type="image/jpeg")
    # Children's photos: never in a shared cache.
    response["Cache-Control"] = "private, max-age=86400"
    return response


def photo(request, photo_id: int):
    return _file(request, photo_id, "image")


def photo_thumbnail(request, photo_id: int):
    return _file(request, photo_id, "thumbnail")


@pupil_required
def pupil_photos(request):
    """The pupil's own photo timeline, per goal (newest first)."""
    photos = readable(request.user, Photo.objects.select_related("goal")).order_by(
        "goal__code", "-created_at"
    )
    by_goal = [(goal, list(items)) for goal, items in groupby(photos, key=lambda p: p.goal)]
    return render(request, "pupil/photos.html", {"by_goal": by_goal})


@require_POST
@staff_required
def add_note(request, pupil_id: int):
    pupil = get_readable_or_404(request.user, Pupil.objects.select_related("group"), pk=pupil_id)
    require_create(request.user, ConversationNote, pupil)
    back = reverse("frontend:teacher-pupil-booklet", args=[pupil.pk]) + "#notes"
    goal_ids = {positive_int(g) for g in request.POST.getlist("goals")}
    goals = list(readable(request.user, Goal.objects.filter(pk__in=goal_ids - {None})))
    try:
        if len(goals) != len(goal_ids):
            # "²", an id too large, or a goal this teacher cannot see: nothing is saved.
            raise ValidationError(_("This goal is not in this pupil's booklet."))
        actions.add_conversation_note(
            acting_user=request.user, pupil=pupil, text=request.POST.get("text", ""), goals=goals
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Note saved."))
    return redirect(back)


def notes_for(user, pupil: Pupil):
    return readable(user, ConversationNote.objects.filter(pupil=pupil)).prefetch_related("goals")
