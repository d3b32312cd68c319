""" "Nieuw van de klas": the class's reflections and photos, and the teacher's answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.inputs import positive_int
from classroom.models import Group
from classroom.permissions import get_permitted_or_404, get_readable_or_404, require_create
from logbook import actions
from logbook.models import LogbookEntry, Photo, Reaction
from logbook.voice import DAYS, class_voice

from ..access import staff_required


@staff_required
def class_voice_page(request, group_id: int):
    group = get_permitted_or_404(
        request.user, "follow_class_voice", Group.objects.select_related("school"), pk=group_id
    )
    return render(
        request,
        "teacher/class_voice.html",
        {
            "group": group,
            "items": class_voice(group),
            "days": DAYS,
            "comment_length": Reaction.COMMENT_LENGTH,
        },
    )


@require_POST
@staff_required
def react(request, group_id: int):
    group = get_permitted_or_404(request.user, "follow_class_voice", Group, pk=group_id)
    back = reverse("frontend:class-voice", args=[group.pk])
    kind, pk = request.POST.get("on", ""), positive_int(request.POST.get("id"))
    if kind not in ("entry", "photo") or pk is None:
        raise Http404
    model = LogbookEntry if kind == "entry" else Photo
    target = get_readable_or_404(
        request.user,
        model.objects.select_related("pupil__group", "lesson"),
        pk=pk,
        pupil__group=group,
        pupil__active=True,
    )
    require_create(request.user, Reaction, target.pupil)
    try:
        actions.react(
            acting_user=request.user,
            **{kind: target},
            thumb=request.POST.get("thumb") == "1",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s sees your answer.") % {"name": target.pupil.display_name}
        )
    return redirect(f"{back}#{kind}-{target.pk}")
