"""Doelenboekje pages: the pupil's booklet, the teacher's overview and assessments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom.models import Group, Pupil
from classroom.permissions import (
    get_changeable_or_404,
    get_readable_or_404,
    pupil_of,
    readable,
    require_create,
)
from goals import actions
from goals.booklet import block_overview, booklet_group_ids, current_block, pupil_booklet
from goals.models import Block, Goal, TeacherAssessment
from logbook.timeline import attach_photos, attach_words

from ..access import pupil_required, staff_required
from ..forms import positive_int
from .goal_editing import blocks_page
from .photos import notes_for


def _blocks(user, pupil) -> tuple[list[int], list[Block], list[Block]]:
    """The pupil's booklet: the groups it spans, this year's blocks (newest first) and
    those of earlier school years (newest year first)."""
    group_ids = booklet_group_ids(pupil)
    blocks = readable(user, Block.objects.filter(group_id__in=group_ids).select_related("group"))
    by_group = sorted(
        blocks, key=lambda b: (group_ids.index(b.group_id), -b.start_date.toordinal())
    )
    return (
        group_ids,
        [b for b in by_group if b.group_id == pupil.group_id],
        [b for b in by_group if b.group_id != pupil.group_id],
    )


@pupil_required
def pupil_booklet_page(request, block_id: int | None = None):
    pupil = pupil_of(request.user)
    group_ids, blocks, earlier = _blocks(request.user, pupil)
    if block_id is None:
        block = current_block(pupil.group)
    else:
        block = get_readable_or_404(request.user, Block, pk=block_id, group_id__in=group_ids)
    return render(
        request,
        "pupil/booklet.html",
        {
            "pupil": pupil,
            "the_block": block,
            "blocks": blocks,
            "earlier_blocks": earlier,
            # An earlier year's block is kept to look back on, not marked again.
            "past": block is not None and block.group_id != pupil.group_id,
            "pages": attach_photos(pupil_booklet(pupil, block), pupil, block) if block else [],
        },
    )


@staff_required
def group_blocks(request, group_id: int):
    group = get_changeable_or_404(request.user, Group.objects.select_related("school"), pk=group_id)
    return blocks_page(request, group)


@staff_required
def block_overview_page(request, block_id: int):
    block = get_changeable_or_404(request.user, Block.objects.select_related("group"), pk=block_id)
    attention = request.GET.get("filter") == "level1"
    return render(
        request,
        "teacher/block_overview.html",
        {"the_block": block, "overview": block_overview(block, attention), "attention": attention},
    )


@staff_required
def pupil_booklet_for_teacher(request, pupil_id: int):
    pupil = get_changeable_or_404(request.user, Pupil.objects.select_related("group"), pk=pupil_id)
    group_ids, blocks, earlier = _blocks(request.user, pupil)
    if request.GET.get("blok"):
        block_id = positive_int(request.GET["blok"])
        if block_id is None:  # "²" or an id too large for the database
            raise Http404
        block = get_readable_or_404(request.user, Block, pk=block_id, group_id__in=group_ids)
    else:
        block = current_block(pupil.group)
    return render(
        request,
        "teacher/pupil_booklet.html",
        {
            "pupil": pupil,
            "the_block": block,
            "blocks": blocks,
            "earlier_blocks": earlier,
            "past": block is not None and block.group_id != pupil.group_id,
            "pages": (
                attach_words(attach_photos(pupil_booklet(pupil, block), pupil, block), pupil, block)
                if block
                else []
            ),
            "notes": notes_for(request.user, pupil),
        },
    )


@require_POST
@staff_required
def assess(request, pupil_id: int, goal_id: int):
    pupil = get_readable_or_404(request.user, Pupil.objects.select_related("group"), pk=pupil_id)
    goal = get_readable_or_404(request.user, Goal.objects.select_related("block"), pk=goal_id)
    require_create(request.user, TeacherAssessment, pupil)
    back = (
        reverse("frontend:teacher-pupil-booklet", args=[pupil.pk])
        + f"?blok={goal.block_id}#goal-{goal.pk}"
    )
    level = positive_int(request.POST.get("level"))
    if level is None:
        messages.error(request, _("Choose a level first."))
        return redirect(back)
    try:
        actions.assess_as_teacher(
            acting_user=request.user,
            pupil=pupil,
            goal=goal,
            level=level,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Saved: %(name)s, %(code)s, level %(level)s.")
            % {"name": pupil.display_name, "code": goal.code, "level": level},
        )
    return redirect(back)
