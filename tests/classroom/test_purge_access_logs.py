"""`manage.py purge_access_logs`: django-axes' login rows and expired sessions go after
ACCESS_LOG_RETENTION_DAYS (default 7); a lock still running stays."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _row(model, username, age, **fields):
    row = model.objects.create(
        username=username, ip_address="198.51.100.10", user_agent="x", http_accept="*/*",
        path_info="/login/", **fields,
    )  # fmt: skip
    # attempt_time is auto_now_add: set afterwards.
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return row


def _attempt(username, age):
    return _row(AccessAttempt, username, age, get_data="", post_data="", failures_since_start=1)


def _session(expires_in):
    store = SessionStore()
    store["leerregie_gekozen_leerling"] = [1, "x"]
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def purge(**options) -> str:
    out = StringIO()
    call_command("purge_access_logs", stdout=out, **options)
    return out.getvalue()


def test_rows_older_than_the_retention_and_expired_sessions_are_removed():
    old, recent = timedelta(days=8), timedelta(days=6)
    _attempt("juf.oud", old)
    _attempt("juf.nieuw", recent)
    _row(AccessLog, "juf.oud", old)
    _row(AccessLog, "juf.nieuw", recent)
    _row(AccessFailureLog, "juf.oud", old)
    expired, alive = _session(timedelta(hours=-1)), _session(timedelta(hours=5))

    said = purge()

    assert said.strip() == (
        "Removed, older than 7 days: access attempts: 1, access logs: 1, "
        "access failure logs: 1; expired sessions: 1."
    )
    for model in (AccessAttempt, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["juf.nieuw"]
    assert not AccessFailureLog.objects.exists()
    assert list(Session.objects.values_list("pk", flat=True)) == [alive]
    assert expired != alive
    assert "access attempts: 0, access logs: 0" in purge()  # nothing left to remove


def test_the_retention_is_a_setting_and_an_option(settings):
    _row(AccessLog, "juf.a", timedelta(days=3))
    _row(AccessLog, "juf.b", timedelta(days=1, hours=1))
    settings.ACCESS_LOG_RETENTION_DAYS = 2
    assert "older than 2 days: access attempts: 0, access logs: 1," in purge()
    assert "older than 1 days: access attempts: 0, access logs: 1," in purge(days=1)
    assert not AccessLog.objects.exists()


def test_the_default_retention_is_seven_days():
    assert settings.ACCESS_LOG_RETENTION_DAYS == 7


def test_a_lock_inside_its_cool_off_is_kept_whatever_the_retention(settings):
    _attempt("juf.gisteren", timedelta(days=1, hours=12))
    settings.AXES_COOLOFF_TIME = timedelta(days=2)  # longer than the retention
    assert "access attempts: 0" in purge(days=1)
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    assert "access attempts: 1" in purge(days=1)
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_retention_below_one_day_is_refused(days):
    with pytest.raises(CommandError):
        purge(days=days)
