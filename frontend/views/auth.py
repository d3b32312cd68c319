"""Logging in: teachers by password, pupils by class code, picture and picture code.

A pupil's login token never travels in a URL (URLs end up in access logs, where the
time of each login would name the pupil): the class grid posts it, the session keeps the
choice, and the picture-code page has the same URL for every pupil of a class."""

from __future__ import annotations

import base64
import secrets

import segno
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from classroom import actions, throttle
from classroom.models import Group, Pupil, installation_language
from classroom.permissions import is_pupil, is_staff_member
from classroom.pictograms import CODE_GRID, label

# A shared Chromebook remembers its class, so tomorrow's first pupil taps straight in.
CLASS_COOKIE = "leerregie_klas"
CLASS_COOKIE_AGE = 365 * 24 * 60 * 60
# The pupil tapped in the class grid, until their picture code logs them in.
CHOSEN_PUPIL = "leerregie_gekozen_leerling"


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def _group_for_code(code: str) -> Group | None:
    return (
        Group.objects.current()
        .filter(class_code=normalise_code(code))
        .select_related("school")
        .first()
    )


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

    def get_context_data(self, **kwargs):
        from classroom import school_account

        return super().get_context_data(
            **kwargs,
            school_account=school_account.configured(),
            provider_name=settings.OIDC_PROVIDER_NAME,
        )

    def form_valid(self, form):
        from classroom import school_account

        from . import second_factor

        user = form.get_user()
        if not school_account.passwords_allowed(user):
            # The school signs its staff in with the school account only.
            form.add_error(
                None,
                _("Your school signs you in with your school account: use the button below."),
            )
            return self.form_invalid(form)
        if second_factor.needs_second_factor(user):
            # The password alone logs them in nowhere: the second step does.
            return second_factor.start(self.request, user, self.get_success_url())
        return super().form_valid(form)


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
    pupils = list(group.pupils.filter(active=True).order_by("display_name"))
    for pupil in pupils:
        pupil.grid_photo_url = class_photo_url(pupil)
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
    if group is None or not token:
        raise Http404
    return get_object_or_404(
        Pupil.objects.select_related("group", "user"), group=group, login_token=token, active=True
    )


@require_POST
def choose_pupil(request, code: str):
    """A tap on a pupil's tile in the class grid (or their login card's QR, which
    class-grid.js turns into the same tap). The login token comes in the body and the
    choice is kept in the session: no URL the browser asks for, and so no access log,
    tells who is logging in. Opening the picture-code page counts nothing, as before."""
    pupil = _pupil_for(code, request.POST.get("pupil", ""))
    request.session[CHOSEN_PUPIL] = [pupil.pk, secrets.token_urlsafe(8)]
    return redirect("frontend:picture-code", code=pupil.group.class_code)


def _chosen_pupil(request, group: Group) -> tuple[Pupil, str] | None:
    """The pupil this session chose in `group`'s grid (and the choice's own id), if they
    are still an active pupil of it."""
    chosen = request.session.get(CHOSEN_PUPIL)
    if not isinstance(chosen, list) or len(chosen) != 2:
        return None
    pk, choice = chosen
    pupil = (
        Pupil.objects.select_related("group", "user")
        .filter(pk=pk, group=group, active=True)
        .first()
    )
    return (pupil, choice) if pupil is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
def picture_code(request, code: str):
    """The picture-code pad of the pupil chosen in the grid (`choose_pupil`): the same
    URL for every pupil. Without a choice (another device, an ended session) the grid
    is shown again."""
    group = _group_for_code(code)
    if group is None:
        raise Http404
    chosen = _chosen_pupil(request, group)
    if chosen is None:
        return redirect("frontend:class-grid", code=group.class_code)
    pupil, choice = chosen
    if request.method == "POST" and request.POST.get("choice", choice) != choice:
        # This pad was shown for another choice (a tile tapped since, in another tab): the
        # code is not checked against somebody it was not typed for.
        return redirect("frontend:picture-code", code=group.class_code)
    device = throttle.Device.of(request)
    context = {
        "pupil": pupil,
        "group": pupil.group,
        "choice": choice,
        "photo_url": _inline_photo(pupil),
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
            login(request, pupil.user, backend="classroom.backends.AccountBackend")
            request.session.pop(CHOSEN_PUPIL, None)
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


def old_login_card(request, code: str, token: str):
    """A login card printed before the token left the URLs (/klas/<code>/<token>/): the
    class grid, where the pupil taps their picture. The token is not passed on."""
    return redirect("frontend:class-grid", code=normalise_code(code))


def class_photo_key(pupil: Pupil) -> str:
    """The name of a pupil's photo in the class grid's URL. Not the login token: the
    grid fetches every photo at once, and URLs end up in access logs. It changes with
    the photo, so that a browser never shows an old one from its cache."""
    return salted_hmac(
        "frontend.class-photo", f"{pupil.login_token}|{pupil.photo.name}"
    ).hexdigest()[:24]


def class_photo_url(pupil: Pupil) -> str | None:
    if not pupil.photo:
        return None
    return reverse("frontend:class-photo", args=[pupil.group.class_code, class_photo_key(pupil)])


def class_photo(request, code: str, key: str):
    """A pupil's photo in the class grid: visible to whoever has the class open."""
    group = _group_for_code(code)
    if group is None:
        raise Http404
    for pupil in group.pupils.filter(active=True).exclude(photo=""):
        if constant_time_compare(class_photo_key(pupil), key):
            return photo_response(pupil)
    raise Http404


def _inline_photo(pupil: Pupil) -> str | None:
    """The chosen pupil's photo on their picture-code page, inside the page (a data:
    URL): fetching it would tell the access log whose pad it is."""
    if not pupil.photo:
        return None
    with pupil.photo.open("rb") as photo:
        return "data:image/jpeg;base64," + base64.b64encode(photo.read()).decode("ascii")


def photo_response(pupil: Pupil) -> FileResponse:
    response = FileResponse(pupil.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def picture_code_url(request, pupil: Pupil) -> str:
    """Where a pupil's login card QR leads: their class grid, with their login token in
    the fragment (`#…`), which a browser never sends; class-grid.js taps their tile. The
    picture code is still asked: the card only saves finding the class and the picture."""
    return request.build_absolute_uri(class_grid_url(pupil)) + "#" + pupil.login_token


def qr_svg(url: str) -> str:
    """The inline SVG of a QR code for `url`, as printed on login cards."""
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def class_grid_url(pupil: Pupil) -> str:
    return reverse("frontend:class-grid", kwargs={"code": pupil.group.class_code})
