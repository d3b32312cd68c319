"""A school admin turns the school year ("nieuw schooljaar", classroom/school_year.py):
a preview of where every pupil goes, changes per pupil, then the turn in one go."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from classroom import actions, school_year
from classroom.models import School
from classroom.permissions import get_permitted_or_404

from ..access import staff_required


@staff_required
def turn(request, school_id: int):
    school = get_permitted_or_404(
        request.user, "turn_school_year", School.objects.all(), pk=school_id
    )
    choices = school_year.choices_from(request.POST) if request.method == "POST" else {}
    errors: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            done = actions.turn_school_year(
                school=school, choices=choices, acting_user=request.user
            )
        except ValidationError as refused:
            errors, status = refused.messages, 400
        else:
            messages.success(
                request,
                _(
                    "The school year %(year)s has begun: %(groups)s groups, %(moving)s "
                    "pupils went up a year, %(leaving)s left the school. Print the new "
                    "login cards."
                )
                % {"year": done.to_label, **done.counts},
            )
            return redirect("frontend:teacher-home")
    plan = school_year.plan(school, choices)
    return render(
        request,
        "teacher/school_year.html",
        {
            "school": school,
            "plan": plan,
            "errors": errors or plan.errors,
            "leaves": school_year.LEAVES,
        },
        status=status,
    )
