"""Logging in: teachers by password, pupils by class code, picture and picture code."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from classroom import actions, throttle
from classroom.models import Group, Pupil, installation_language
from classroom.permissions import is_pupil, is_staff_member
from classroom.pictograms import CODE_GRID, label

# A shared Chromebook remembers its class, so tomorrow's first pupil taps straight in.
CLASS_COOKIE = "leerregie_klas"
CLASS_COOKIE_AGE = 365 * 24 * 60 * 60


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def _group_for_code(code: str) -> Group | None:
    return Group.objects.filter(class_code=normalise_code(code)).select_related("school").first()


def start(request):
    if is_pupil(request.user):
        return redirect("frontend:pupil-home")
    if is_staff_member(request.user):
        return redirect("frontend:teacher-home")
    if request.user.is_authenticated:  # a researcher: an account without a school
        return redirect("frontend:research-home")
    remembered, missed = None, False
    code = normalise_code(request.COOKIES.get(CLASS_COOKIE, ""))
    # The cookie is the client's word, so a lookup through it counts like a typed code.
    if code and not _class_code_wait(request, code):
        remembered = _group_for_code(code)
        missed = remembered is None
    response = render(request, "start.html", {"remembered_group": remembered})
    if missed:  # a class code that changed since: forget it, and count it once
        throttle.class_code_missed(request)
        response.delete_cookie(CLASS_COOKIE)
    return response


def home(request):
    """Where LOGIN_REDIRECT_URL lands: each role's own home."""
    return start(request) if request.user.is_authenticated else redirect("frontend:start")


class TeacherLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def wait_page(request, seconds: int, *, language: str | None = None):
    """429 "Even wachten …": a picture, one spoken sentence, and a way back. In the
    installation's language for a class-code lookup, which must not tell by its language
    whether the code was a class's."""
    with translation.override(language or translation.get_language()):
        response = render(request, "pupil/wait.html", {"again_url": request.path}, status=429)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(max(1, seconds))
    return response


def _class_code_wait(request, code: str) -> int:
    """Seconds this client waits before looking up `code`: a device that opened that
    class before never waits for it (classroom/throttle.py)."""
    if throttle.Device.of(request).opened(code):
        return 0
    return throttle.class_code_wait(request)


@require_http_methods(["GET", "POST"])
def class_code(request):
    error = None
    if request.method == "POST":
        code = normalise_code(request.POST.get("code", ""))
        if wait := _class_code_wait(request, code):
            return wait_page(request, wait, language=installation_language())
        group = _group_for_code(code)
        if group is not None:
            return redirect("frontend:class-grid", code=group.class_code)
        throttle.class_code_missed(request)
        error = "unknown-code"
    return render(request, "pupil/class_code.html", {"error": error}, status=400 if error else 200)


@never_cache
def class_grid(request, code: str):
    if wait := _class_code_wait(request, normalise_code(code)):
        return wait_page(request, wait, language=installation_language())
    group = _group_for_code(code)
    if group is None:
        throttle.class_code_missed(request)
        return render(request, "pupil/class_code.html", {"error": "unknown-code"}, status=404)
    if code != group.class_code:
        return redirect("frontend:class-grid", code=group.class_code)
    pupils = group.pupils.filter(active=True).order_by("display_name")
    response = render(request, "pupil/class_grid.html", {"group": group, "pupils": pupils})
    response.set_cookie(
        CLASS_COOKIE,
        group.class_code,
        max_age=CLASS_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    # The device's own id, so that wrong picture codes lock a pupil on this device only.
    throttle.remember_device(request, response, group.class_code)
    return response


def _pupil_for(code: str, token: str) -> Pupil:
    group = _group_for_code(code)
    if group is None:
        raise Http404
    return get_object_or_404(
        Pupil.objects.select_related("group", "user"), group=group, login_token=token, active=True
    )


@never_cache
@require_http_methods(["GET", "POST"])
def picture_code(request, code: str, token: str):
    pupil = _pupil_for(code, token)
    device = throttle.Device.of(request)
    context = {
        "pupil": pupil,
        "group": pupil.group,
        "grid": [(key, label(key)) for key in CODE_GRID],
        "code_length": len(pupil.code_sequence),
    }
    status = 200
    if locked_until := actions.picture_code_locked_until(pupil, device):
        context["locked_until"] = locked_until
    elif request.method == "POST":
        attempt = [part for part in request.POST.get("code", "").split(",") if part]
        result = actions.check_picture_code(pupil, attempt, device)
        if result.ok:
            login(request, pupil.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("frontend:pupil-home")
        if result.wait_seconds:
            return wait_page(request, result.wait_seconds)
        status = 403
        if result.locked:
            context["locked_until"] = result.locked_until
        else:
            context["wrong_code"] = True
            context["attempts_left"] = result.attempts_left
    if "locked_until" in context:
        context["locked_until_text"] = formats.time_format(
            timezone.localtime(context["locked_until"]), "H:i"
        )
    return render(request, "pupil/picture_code.html", context, status=status)


def class_photo(request, code: str, token: str):
    """A pupil's photo in the class grid: visible to whoever has the class open."""
    pupil = _pupil_for(code, token)
    if not pupil.photo:
        raise Http404
    return photo_response(pupil)


def photo_response(pupil: Pupil) -> FileResponse:
    response = FileResponse(pupil.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def picture_code_url(request, pupil: Pupil) -> str:
    """Where a pupil's login card QR leads: their own picture-code page (the code is
    still asked; the card only saves finding the class and the picture)."""
    return request.build_absolute_uri(
        reverse("frontend:picture-code", args=[pupil.group.class_code, pupil.login_token])
    )


def qr_svg(url: str) -> str:
    """The inline SVG of a QR code for `url`, as printed on login cards."""
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def class_grid_url(pupil: Pupil) -> str:
    return reverse("frontend:class-grid", kwargs={"code": pupil.group.class_code})
