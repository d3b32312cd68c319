"""A school admin imports pupils from the school's administration (classroom/roster.py):
upload, a preview of who is added, moved, renamed or has left, then apply, all or nothing."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom import actions, roster
from classroom.models import School
from classroom.permissions import get_permitted_or_404

from ..access import staff_required

# A school of a thousand pupils exports well under 100 kB.
MAX_ROSTER_BYTES = 1024 * 1024


class RosterFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Pupils file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.txt"}),
    )
    names = forms.ChoiceField(
        label=gettext_lazy("Names as pupils see them"),
        choices=list(roster.NAME_FORMATS.items()),
        initial=roster.DEFAULT_NAME_FORMAT,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(
                _("This file is too big for a pupils file (at most %(kb)s kB).")
                % {"kb": MAX_ROSTER_BYTES // 1024}
            )
        return upload.read()


def _school(request, school_id: int) -> School:
    return get_permitted_or_404(request.user, "import_roster", School.objects.all(), pk=school_id)


def _page(request, school, *, form=None, errors=None, plan=None, text="", names="", status=200):
    sections = []
    if plan is not None:
        for kind, label in roster.KIND_LABELS.items():
            changes = plan.of(kind)
            if changes:
                sections.append(
                    {"kind": kind, "label": label, "lines": [roster.describe(c) for c in changes]}
                )
    return render(
        request,
        "teacher/roster_import.html",
        {
            "school": school,
            "form": form or RosterFileForm(),
            "errors": errors or [],
            "plan": plan,
            "sections": sections,
            "text": text,
            "names": names,
            "groups": school.groups.current().order_by("year_from", "name"),
        },
        status=status,
    )


@staff_required
def import_pupils(request, school_id: int):
    school = _school(request, school_id)
    if request.method != "POST":
        return _page(request, school)
    names = request.POST.get("names", roster.DEFAULT_NAME_FORMAT)
    if request.POST.get("confirm") == "1":
        data = request.POST.get("text", "").encode("utf-8")
        if len(data) > MAX_ROSTER_BYTES:
            return _page(request, school, errors=[_("The file is too big.")], status=400)
        try:
            plan = actions.import_roster(
                school=school, data=data, name_format=names, acting_user=request.user
            )
        except roster.RosterRefused as refused:
            return _page(request, school, errors=refused.errors, status=400)
        if plan.empty:
            messages.info(request, _("Nothing to change: the pupils are as in the file."))
        else:
            counts = plan.counts
            messages.success(
                request,
                _(
                    "Applied: %(add)s new, %(move)s to another group, %(rename)s renamed, "
                    "%(back)s back, %(leave)s left the school."
                )
                % counts,
            )
        return redirect("frontend:import-pupils", school_id=school.pk)
    form = RosterFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, school, form=form, status=400)
    data, names = form.cleaned_data["file"], form.cleaned_data["names"]
    try:
        plan = roster.plan(school, roster.parse(school, data, names))
    except roster.RosterRefused as refused:
        return _page(request, school, form=form, errors=refused.errors, status=400)
    return _page(request, school, form=form, plan=plan, text=data.decode("utf-8-sig"), names=names)
