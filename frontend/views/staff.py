"""A school admin imports the teachers (classroom/staff_roster.py): upload, a preview of
who gets an account, a place, other groups or leaves, then apply, all or nothing. New
teachers choose their password on a link the school admin hands them."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom import actions, staff_roster
from classroom.models import School
from classroom.permissions import get_permitted_or_404

from ..access import staff_required
from .roster import MAX_ROSTER_BYTES


class StaffFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Teachers file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(
                _("This file is too big for a teachers file (at most %(kb)s kB).")
                % {"kb": MAX_ROSTER_BYTES // 1024}
            )
        return upload.read()


def password_link(request, user) -> str:
    """The address on which a staff member without a password chooses one: Django's
    password-reset token, which stops working once a password is set and after
    settings.PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "frontend:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def _page(request, school, *, form=None, errors=None, plan=None, text="", status=200):
    sections = []
    if plan is not None:
        for kind, label in staff_roster.KIND_LABELS.items():
            changes = plan.of(kind)
            if changes:
                sections.append(
                    {
                        "kind": kind,
                        "label": label,
                        "lines": [staff_roster.describe(c) for c in changes],
                    }
                )
    waiting = [
        {"user": u, "link": password_link(request, u)}
        for u in staff_roster.without_password(school)
    ]
    return render(
        request,
        "teacher/staff_import.html",
        {
            "school": school,
            "form": form or StaffFileForm(),
            "errors": errors or [],
            "plan": plan,
            "sections": sections,
            "text": text,
            "groups": school.groups.current().order_by("year_from", "name"),
            "waiting": waiting,
        },
        status=status,
    )


@staff_required
def import_teachers(request, school_id: int):
    school = get_permitted_or_404(request.user, "import_roster", School.objects.all(), pk=school_id)
    if request.method != "POST":
        return _page(request, school)
    if request.POST.get("confirm") == "1":
        data = request.POST.get("text", "").encode("utf-8")
        if len(data) > MAX_ROSTER_BYTES:
            return _page(request, school, errors=[_("The file is too big.")], status=400)
        try:
            plan = actions.import_teachers(school=school, data=data, acting_user=request.user)
        except staff_roster.RosterRefused as refused:
            return _page(request, school, errors=refused.errors, status=400)
        if plan.empty:
            messages.info(request, _("Nothing to change: the teachers are as in the file."))
        else:
            messages.success(
                request,
                _(
                    "Applied: %(add)s new accounts, %(join)s from another school, "
                    "%(groups)s with other groups, %(leave)s left the school."
                )
                % plan.counts,
            )
        return redirect("frontend:import-teachers", school_id=school.pk)
    form = StaffFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, school, form=form, status=400)
    data = form.cleaned_data["file"]
    try:
        plan = staff_roster.plan(school, staff_roster.parse(school, data))
    except staff_roster.RosterRefused as refused:
        return _page(request, school, form=form, errors=refused.errors, status=400)
    return _page(request, school, form=form, plan=plan, text=data.decode("utf-8-sig"))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new teacher chooses their password (the link from the staff import page)."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("frontend:teacher-login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. Log in with your e-mail address."))
        return super().form_valid(form)
