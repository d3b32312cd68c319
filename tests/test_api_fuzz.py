"""Abuse: every operation of the OpenAPI schema, fuzzed by schemathesis as a teacher and
as a pupil (signed in, with a CSRF token, so the requests reach the views): no server
error, whatever arrives."""

import pytest
import schemathesis
from django.contrib.auth import SESSION_KEY
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's database
    connection (it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session(user) -> dict:
    """Cookies and headers of a signed-in browser: session, CSRF token, Dutch."""
    client = Client()
    client.force_login(user)
    assert client.session[SESSION_KEY]
    token = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token, "Accept-Language": "nl"},
    }


@pytest.fixture
def signed_in():
    """One signed-in browser per user for all of a test's generated requests, as a real
    one keeps its session (and the examples share the test's data too): a login per
    request made the login machinery most of this module's time."""
    sessions = {}

    def session(user) -> dict:
        if user.pk not in sessions:
            sessions[user.pk] = _session(user)
        return sessions[user.pk]

    return session


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_no_server_error_for_a_teacher(world, signed_in, case):
    case.call_and_validate(**signed_in(world.teacher), checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_no_server_error_for_a_pupil(world, signed_in, case):
    case.call_and_validate(**signed_in(world.pupil.user), checks=[not_a_server_error])
