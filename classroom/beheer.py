"""Beheer, the Django admin of the installation: who may open it (decision 0016).

Teachers do their daily work in the app; Beheer is for the installation's and the
schools' administration. A school admin decides whether the school's teachers may open
it at all (`School.teachers_use_beheer`). A teacher whose every school keeps it closed is
sent to the app's home with a word why, instead of to the admin's login page, which
would only ask them to log in again as someone else.

This module is the admin app's config (`INSTALLED_APPS`), so it is imported before the
models are ready: they are imported inside the functions.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def may_open_beheer(user) -> bool:
    """False only for a teacher (not a school admin, not the superuser) whose schools
    all keep Beheer for their admins. Anyone else is asked what Django always asks."""
    from .models import School
    from .permissions import actor_for

    if user is None or not user.is_authenticated:
        return True
    actor = actor_for(user)
    if actor.is_superuser or actor.admin_school_ids or not actor.staff_school_ids:
        return True
    cached = getattr(user, "_leerregie_beheer", None)
    if cached is None:
        cached = School.objects.filter(
            pk__in=actor.staff_school_ids, teachers_use_beheer=True
        ).exists()
        user._leerregie_beheer = cached
    return cached


class BeheerSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and may_open_beheer(request.user)

    def login(self, request, extra_context=None):
        # A logged-in teacher kept out by the school's setting: to the app, not to a
        # login form that could only let them in as somebody else.
        user = request.user
        if user.is_authenticated and user.is_active and not may_open_beheer(user):
            messages.info(
                request,
                _(
                    "Your school keeps Beheer for its school admins: you prepare lessons, "
                    "goals, places and the planbord here, in Leerregie."
                ),
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
        if not user.is_authenticated or request.method == "POST":
            from django.contrib.auth.views import redirect_to_login  # needs the apps loaded

            # One login for everyone, with its second factor: the app's.
            return redirect_to_login(request.GET.get("next", reverse("admin:index")))
        return super().login(request, extra_context)


class BeheerAdminConfig(AdminConfig):
    """`django.contrib.admin` with `BeheerSite` as its default site."""

    default_site = "classroom.beheer.BeheerSite"
