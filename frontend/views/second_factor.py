"""A second factor for staff (decision 0024): a code from an authenticator app (TOTP,
django-otp) after the password, with recovery codes for a lost phone.

Who needs one: the installation's superuser, every school admin, every researcher, the
teachers of a school that asks it (`School.teachers_second_factor`), and anyone who has
set one up. For them the password alone logs nobody in: it only opens the second step,
for five minutes, on the session. Only a right code (or an unused recovery code) logs in,
so no page, API call or WebSocket is ever open to a session that stopped half-way.

Someone who needs a second factor and has none sets it up in that same step: scan the
QR code (or type the key), type the code the app shows, and keep the ten recovery codes
shown once. A school admin resets a colleague who lost their phone
(`reset_second_factor`); they set up a new one at their next login.
"""

from __future__ import annotations

import time
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from classroom import actions, school_account
from classroom.models import Membership, Role, School
from classroom.permissions import get_permitted_or_404
from research.models import Study

from ..access import adult_required, staff_required

User = get_user_model()
PENDING = "second_factor_pending"
RECOVERY_SHOWN = "second_factor_recovery"
PENDING_SECONDS = 5 * 60
MAX_MISSES = 5


def needs_second_factor(user) -> bool:
    if user.is_superuser or user_has_device(user):
        return True
    if Study.objects.filter(researchers=user).exists():
        return True
    memberships = Membership.objects.filter(user=user)
    return (
        memberships.filter(role=Role.SCHOOL_ADMIN).exists()
        or memberships.filter(school__teachers_second_factor=True).exists()
    )


def start(request, user, next_url: str):
    """The password was right: remember who, for the second step, and go there."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
        "misses": 0,
    }
    return redirect("frontend:second-factor")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _pending(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return pending, user


def _grouped(key_b32: str) -> str:
    return " ".join(key_b32[i : i + 4] for i in range(0, len(key_b32), 4))


def _setup_device(user, key: str) -> TOTPDevice:
    """The authenticator being set up: its key lives on the session until a code is
    typed (opening the page writes nothing); a wrong code's throttle keeps it, unconfirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, key=key).first()
    return device or TOTPDevice(user=user, name="Leerregie", key=key, confirmed=False)


def _setup_context(device: TOTPDevice) -> dict:
    return {
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, border=2),
        "key": _grouped(b32encode(device.bin_key).decode().rstrip("=")),
    }


def _typed(form) -> str:
    return form.cleaned_data["code"].replace(" ", "").strip()


def _finish(request, pending, user, device):
    request.session.pop(PENDING, None)
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    next_url = pending["next"]
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    pending, user = _pending(request)
    if user is None:
        messages.info(request, _("Log in again: the second step waits five minutes."))
        return redirect("frontend:teacher-login")
    enrolled = user_has_device(user)
    device = None
    if not enrolled:
        pending.setdefault("setup_key", random_hex(20))
        request.session[PENDING] = pending
        device = _setup_device(user, pending["setup_key"])
    form = CodeForm(request.POST or None)
    if not enrolled:  # the instructions first, not the field
        form.fields["code"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and form.is_valid():
        code = _typed(form)
        if enrolled:
            matched = match_token(user, code)
        else:
            matched = device if device.verify_token(code) else None
        if matched is not None:
            if not enrolled:
                codes = actions.set_up_second_factor(device=device)
                onwards = _finish(request, pending, user, device)
                request.session[RECOVERY_SHOWN] = {"codes": codes, "next": onwards.url}
                return redirect("frontend:recovery-codes")
            return _finish(request, pending, user, matched)
        pending["misses"] += 1
        request.session[PENDING] = pending
        if pending["misses"] >= MAX_MISSES:
            request.session.pop(PENDING, None)
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("frontend:teacher-login")
        form.add_error("code", _("This code is not right. Type the code your app shows now."))
    context = {"form": form, "enrolled": enrolled, "user_name": user.get_username()}
    if device is not None:
        context |= _setup_context(device)
    return render(
        request,
        "registration/second_factor.html",
        context,
        status=400 if form.errors else 200,
    )


OWN_SETUP_KEY = "second_factor_own_key"


@adult_required
@never_cache
@require_http_methods(["GET", "POST"])
def own_setup(request):
    """A teacher whose school does not ask it sets up a second step of their own accord:
    from then on their login asks the code too."""
    user = request.user
    if user_has_device(user):
        return render(request, "registration/second_factor_own.html", {"enrolled": True})
    request.session.setdefault(OWN_SETUP_KEY, random_hex(20))
    device = _setup_device(user, request.session[OWN_SETUP_KEY])
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(_typed(form)):
            codes = actions.set_up_second_factor(device=device)
            otp_login(request, device)
            request.session.pop(OWN_SETUP_KEY, None)
            request.session[RECOVERY_SHOWN] = {"codes": codes, "next": "/home/"}
            return redirect("frontend:recovery-codes")
        form.add_error("code", _("This code is not right. Type the code your app shows now."))
    context = {"enrolled": False, "form": form} | _setup_context(device)
    return render(
        request,
        "registration/second_factor_own.html",
        context,
        status=400 if form.errors else 200,
    )


@adult_required  # researchers set up a second step too
@never_cache
def recovery_codes(request):
    """The recovery codes, shown once, right after setting up."""
    shown = request.session.pop(RECOVERY_SHOWN, None)
    if not shown:
        return redirect("frontend:home")
    return render(request, "registration/recovery_codes.html", shown)


# What each switch of the staff page says when turned off (False) or on (True).
SWITCHES = {
    "local_passwords": {
        False: gettext_lazy("Staff now sign in only with their school account."),
        True: gettext_lazy("Staff log in with a password or with their school account."),
    },
    "teachers_second_factor": {
        False: gettext_lazy("Teachers now log in with their password alone."),
        True: gettext_lazy("Teachers now log in with a second factor."),
    },
}


@staff_required
@require_http_methods(["GET", "POST"])
def school_staff(request, school_id: int):
    """The school admin's page: who has a second factor, reset a lost one, and whether
    the school's teachers need one."""
    school = get_permitted_or_404(
        request.user, "manage_second_factor", School.objects.all(), pk=school_id
    )
    if request.method == "POST":
        # The school's two switches: local passwords, a code for its teachers too.
        switch = next((name for name in SWITCHES if name in request.POST), None)
        if switch:
            wanted = request.POST[switch] == "1"
            try:
                actions.update_school(school, **{switch: wanted})
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
            else:
                messages.success(request, SWITCHES[switch][wanted])
        else:
            member = User.objects.filter(
                pk=request.POST.get("user"), memberships__school=school
            ).first()
            if member is None:
                messages.error(request, _("Only staff of this school."))
            else:
                try:
                    actions.reset_second_factor(
                        school=school, user=member, acting_user=request.user
                    )
                except ValidationError as refused:
                    messages.error(request, " ".join(refused.messages))
                else:
                    messages.success(
                        request,
                        _("%(name)s sets up a new second factor at their next login.")
                        % {"name": member.get_full_name() or member.get_username()},
                    )
        return redirect("frontend:second-factor-staff", school_id=school.pk)
    members = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    staff = [
        {
            "user": m.user,
            "role": m.get_role_display(),
            "enrolled": user_has_device(m.user),
            "needed": needs_second_factor(m.user),
            "self": m.user_id == request.user.pk,
        }
        for m in members
    ]
    return render(
        request,
        "teacher/second_factor_staff.html",
        {"school": school, "staff": staff, "school_account": school_account.configured()},
    )
