"""Signing in with the school's own account (classroom/school_account.py): the button on
the login page, the provider's way back, and what a refused sign-in says."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from classroom import school_account

from . import second_factor


class Start(OIDCAuthenticationRequestView):
    """To the provider, with state, nonce and a PKCE challenge kept on the session."""

    get_settings = staticmethod(school_account.setting)

    def __init__(self, **kwargs):
        if school_account.configured():  # it reads the provider's endpoints
            super().__init__(**kwargs)
        else:
            View.__init__(self, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not school_account.configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class Callback(OIDCAuthenticationCallbackView):
    """Back from the provider: the account the claim names, then the second step for
    those who need one, as after a right password."""

    get_settings = staticmethod(school_account.setting)

    def dispatch(self, request, *args, **kwargs):
        if not school_account.configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def failure_url(self):
        return reverse("frontend:school-account-failed")

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A token for another client or issuer, a replayed or unknown sign-in.
            return self.login_failure()

    def login_success(self):
        user = self.user
        if second_factor.needs_second_factor(user):
            return second_factor.start(self.request, user, self.success_url)
        login(self.request, user)
        return redirect(self.success_url)


def failed(request):
    messages.error(
        request,
        _(
            "Signing in with your school account did not work: this school account is not "
            "linked to a Leerregie account. Ask your school admin to enter your school "
            "e-mail address on your account."
        ),
    )
    return redirect("frontend:teacher-login")
