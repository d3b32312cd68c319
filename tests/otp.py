"""Codes from an authenticator app, as a phone would compute them (RFC 6238), for tests
that log staff in with their second factor (frontend/views/second_factor.py)."""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for_key(key: bytes, *, after_step: int = -1) -> str:
    """The code an app shows now, or for the next step when now's was used already
    (django-otp accepts one step ahead and never the same step twice)."""
    totp = TOTP(key)
    totp.time = time.time()
    if totp.t() <= after_step:
        totp.time = (after_step + 1) * totp.step + totp.t0
    return f"{totp.token():06d}"


def code_for_setup(key_shown: str) -> str:
    """The code for the key the set-up page shows in groups of four."""
    text = key_shown.replace(" ", "")
    return code_for_key(b32decode(text + "=" * (-len(text) % 8)))


def phone_of(user) -> TOTPDevice:
    """The user's authenticator, set up (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Leerregie", confirmed=True)


def code_of(user) -> str:
    device = phone_of(user)
    device.refresh_from_db()
    return code_for_key(device.bin_key, after_step=device.last_t)
