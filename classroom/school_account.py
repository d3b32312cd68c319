"""Staff sign in with the school's own account: OpenID Connect (Entree Federatie,
Microsoft, Google), through mozilla-django-oidc.

Configured by environment (docs/deploy.md): the provider's issuer, the client id and
secret. The provider's endpoints are read from its discovery document
(`<issuer>/.well-known/openid-configuration`), once per process. An account is never
created here, and never given a right: the provider's claim `OIDC_CLAIM` (default
`email`) must equal the e-mail address of exactly one existing staff account with a
place at a school, which the school admin gave it (the teachers' file or Beheer). The
superuser and pupils never sign in this way. The id token's issuer, audience and nonce
are checked, and the code exchange uses PKCE.

A school admin may switch off local passwords for the school (`School.local_passwords`):
its staff then sign in only with the school account (`passwords_allowed`).
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

# mozilla-django-oidc's settings that the discovery document answers.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery: dict[str, dict] = {}


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def discovery() -> dict:
    """The provider's discovery document, fetched once per process and issuer."""
    issuer = settings.OIDC_ISSUER
    if issuer not in _discovery:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured("the provider's discovery names another issuer")
        _discovery[issuer] = document
    return _discovery[issuer]


def setting(attr: str, *default):
    """A mozilla-django-oidc setting, the endpoints from the discovery document."""
    if attr in DISCOVERED and configured():
        return discovery()[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def passwords_allowed(user) -> bool:
    """Whether the user may log in with a password: not when a school they work at has
    switched local passwords off (the installation's superuser always may)."""
    if user.is_superuser:
        return True
    return not user.memberships.filter(school__local_passwords=False).exists()


class SchoolAccountBackend(OIDCAuthenticationBackend):
    """Signs in an existing staff account whose e-mail address the provider's claim
    names; answers None for every other way of logging in."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.configured = configured()
        if self.configured:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.configured or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is not None:  # the id token (userinfo as JWT has none)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
                raise SuspiciousOperation("the id token is of another issuer")
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("the id token is for another client")
        return payload

    def verify_claims(self, claims) -> bool:
        value = claims.get(settings.OIDC_MATCH_CLAIM)
        return isinstance(value, str) and bool(value.strip())

    def filter_users_by_claims(self, claims):
        value = claims.get(settings.OIDC_MATCH_CLAIM)
        if not isinstance(value, str) or not value.strip():
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            email__iexact=value.strip(),
            is_active=True,
            is_superuser=False,
            pupil__isnull=True,
            memberships__isnull=False,
        ).distinct()

    def describe_user_by_claims(self, claims) -> str:
        return f"claim {settings.OIDC_MATCH_CLAIM}"

    def update_user(self, user, claims):
        return user  # nothing of the provider's is copied onto the account

    def create_user(self, claims):
        raise SuspiciousOperation("accounts are never created by a sign-in")
