"""Page guards. They only sort users into roles; what a role may see is
classroom.permissions' business."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from classroom.permissions import is_active_pupil, is_pupil, is_staff_member


def _forbidden(request, message_key: str):
    return render(request, "403.html", {"reason": message_key}, status=403)


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            return _forbidden(request, "teachers-only")
        return view(request, *args, **kwargs)

    return wrapper


def pupil_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_active_pupil(request.user):
            if request.user.is_authenticated:
                return _forbidden(request, "pupils-only")
            return redirect_to_login(request.get_full_path(), login_url="frontend:class-code")
        return view(request, *args, **kwargs)

    return wrapper


def adult_required(view):
    """Any signed-in grown-up: teachers, school admins, researchers. Never a pupil."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_pupil(request.user):
            return _forbidden(request, "teachers-only")
        return view(request, *args, **kwargs)

    return wrapper
