"""Preparing goals in the app: a new block (or one reused from this school), its goals
with their rubrics, and a goals CSV checked in a preview before anything is written."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from classroom.models import Group
from classroom.permissions import (
    can,
    get_changeable_or_404,
    get_readable_or_404,
    readable,
    require,
    require_create,
)
from goals import actions, importer
from goals.booklet import current_block
from goals.models import Block, Goal, Strand
from goals.permissions import reusable_blocks

from ..access import staff_required
from ..forms import positive_int
from ..goal_forms import MAX_CSV_BYTES, BlockForm, GoalForm, GoalsFileForm


def _reuse_sources(request, group: Group):
    """Blocks of the school the teacher may reuse, this group's own earlier ones first."""
    blocks = (
        reusable_blocks(request.user)
        .filter(group__school_id=group.school_id)
        .select_related("group")
        .order_by("-start_date", "group__name", "name")
    )
    return sorted(blocks, key=lambda b: b.group_id != group.pk)


def blocks_page(request, group: Group, *, status=200, **forms):
    """The group's blocks, with the forms for a new block, a reused block and a file."""
    context = {
        "group": group,
        "blocks": readable(request.user, Block.objects.filter(group=group))
        .prefetch_related("goals")
        .order_by("-start_date"),
        "current": current_block(group),
        "may_create": _may_create(request, group),
        "block_form": forms.get("block_form") or BlockForm(),
        "reuse_form": forms.get("reuse_form") or BlockForm(),
        "reuse_sources": _reuse_sources(request, group),
        "reuse_chosen": forms.get("reuse_chosen", ""),
        "file_form": forms.get("file_form") or GoalsFileForm(),
    }
    context["reuse_form"].fields["name"].required = False
    return render(request, "teacher/blocks.html", context, status=status)


def _may_create(request, group: Group) -> bool:
    return can(request.user, "create", group, model=Block)


def _group_for_writing(request, group_id: int) -> Group:
    group = get_readable_or_404(request.user, Group.objects.select_related("school"), pk=group_id)
    require_create(request.user, Block, group)
    return group


@require_POST
@staff_required
def new_block(request, group_id: int):
    group = _group_for_writing(request, group_id)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            block = actions.create_block(group=group, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Block %(name)s added.") % {"name": block.name})
            return redirect("frontend:block-goals", block_id=block.pk)
    return blocks_page(request, group, block_form=form, status=400)


@require_POST
@staff_required
def reuse_block(request, group_id: int):
    """A copy of one of the school's blocks for this group, under a new name and dates."""
    group = _group_for_writing(request, group_id)
    chosen = positive_int(request.POST.get("source"))
    form = BlockForm(request.POST)
    form.fields["name"].required = False
    source = None
    if chosen is not None:
        source = get_object_or_404(reusable_blocks(request.user), pk=chosen)
        require(request.user, "reuse", source)
    if form.is_valid():
        if source is None:
            form.add_error(None, _("Choose the block to reuse."))
        else:
            data = form.cleaned_data
            try:
                block = actions.copy_block(
                    source,
                    group=group,
                    name=data["name"] or source.name,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Block %(name)s added with %(count)s goal.",
                        "Block %(name)s added with %(count)s goals.",
                        block.goals.count(),
                    )
                    % {"name": block.name, "count": block.goals.count()},
                )
                return redirect("frontend:block-goals", block_id=block.pk)
    return blocks_page(request, group, reuse_form=form, reuse_chosen=chosen, status=400)


@staff_required
def block_goals(request, block_id: int):
    """A block's goals to edit, and its name and dates."""
    block = get_changeable_or_404(
        request.user, Block.objects.select_related("group__school"), pk=block_id
    )
    if request.method == "POST":
        form = BlockForm(request.POST, block=block)
        if form.is_valid():
            try:
                actions.update_block(block, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved"))
                return redirect("frontend:block-goals", block_id=block.pk)
    else:
        form = BlockForm(block=block)
    return render(
        request,
        "teacher/block_goals.html",
        {
            "the_block": block,
            "group": block.group,
            "form": form,
            "goals": block.goals.select_related("strand").prefetch_related("levels"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _goal_page(request, block: Block, goal: Goal | None):
    school = block.group.school
    if request.method == "POST":
        form = GoalForm(request.POST, goal=goal, school=school)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "code": data["code"],
                "statement": data["statement"],
                "description": data["description"],
                "pictogram": data["pictogram"],
                "levels": data["levels"],
            }
            if actions.new_strands(school, [data["strand"]]):
                require_create(request.user, Strand, school)
            try:
                strand = actions.strand_for(school, data["strand"])
                if goal is None:
                    saved = actions.create_goal(block=block, strand=strand, **fields)
                else:
                    saved = actions.update_goal(goal, strand=strand, **fields)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved: %(code)s.") % {"code": saved.code})
                if request.POST.get("next") == "another":
                    return redirect("frontend:goal-new", block_id=block.pk)
                return redirect("frontend:block-goals", block_id=block.pk)
    else:
        form = GoalForm(goal=goal, school=school)
    return render(
        request,
        "teacher/goal_form.html",
        {"form": form, "the_block": block, "group": block.group, "goal": goal},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
def new_goal(request, block_id: int):
    block = get_readable_or_404(
        request.user, Block.objects.select_related("group__school"), pk=block_id
    )
    require_create(request.user, Goal, block.group)
    return _goal_page(request, block, None)


@staff_required
def edit_goal(request, goal_id: int):
    goal = get_changeable_or_404(
        request.user,
        Goal.objects.select_related("block__group__school", "strand"),
        pk=goal_id,
    )
    return _goal_page(request, goal.block, goal)


@require_POST
@staff_required
def import_goals(request, group_id: int):
    """First a preview of the file (or every bad row named); `confirm` imports the text
    the preview showed, checked again, all rows or none."""
    group = _group_for_writing(request, group_id)
    require_create(request.user, Goal, group)
    if request.POST.get("confirm") == "1":
        data = request.POST.get("text", "").encode("utf-8", errors="replace")
        if len(data) > MAX_CSV_BYTES:
            return _preview(request, group, b"", errors=[str(GoalsFileForm.too_big())])
        try:
            rows = importer.parse(group, data)
        except importer.ImportFailed as exc:
            return _preview(request, group, data, errors=exc.errors)
        if actions.new_strands(group.school, [row.strand for row in rows]):
            require_create(request.user, Strand, group.school)
        try:
            goals = importer.import_goals(group, data)
        except importer.ImportFailed as exc:
            return _preview(request, group, data, errors=exc.errors)
        messages.success(
            request,
            ngettext("%(count)s goal imported.", "%(count)s goals imported.", len(goals))
            % {"count": len(goals)},
        )
        return redirect("frontend:group-blocks", group_id=group.pk)
    form = GoalsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return blocks_page(request, group, file_form=form, status=400)
    return _preview(request, group, form.cleaned_data["file"])


def _preview(request, group: Group, data: bytes, errors=None):
    rows = []
    if errors is None:
        try:
            rows = importer.parse(group, data)
        except importer.ImportFailed as exc:
            errors = exc.errors
    by_block: dict[int, dict] = {}
    for row in rows:
        entry = by_block.setdefault(row.block.pk, {"block": row.block, "rows": []})
        entry["rows"].append(row)
    new_strands = actions.new_strands(group.school, [row.strand for row in rows])
    return render(
        request,
        "teacher/goals_import.html",
        {
            "group": group,
            "errors": errors or [],
            "blocks": list(by_block.values()),
            "count": len(rows),
            "new_strands": new_strands,
            "text": data.decode("utf-8-sig", errors="replace") if not errors else "",
        },
        status=400 if errors else 200,
    )
