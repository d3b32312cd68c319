"""Staff sign in with the school's own account (issue 21, item 3): OpenID Connect against
a provider the tests start (tests/oidc_provider.py). An existing account is matched by
the claim the school admin linked (its e-mail address), never created; a token for
another client or issuer, a pupil, the superuser or an unknown address signs nobody
in; the second step still follows for those who need it; and a school may switch
local passwords off."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from classroom import actions
from classroom.models import School
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

User = get_user_model()


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture(scope="module")
def provider():
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def configured(settings, provider):
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    provider.extra_claims = {}
    return provider


@pytest.fixture
def addresses(world):
    User.objects.filter(pk=world.teacher.pk).update(email="mirjam@delinde.nl")
    User.objects.filter(pk=world.school_admin.pk).update(email="karin@delinde.nl")
    User.objects.filter(pk=world.pupil.user.pk).update(email="noor@delinde.nl")
    User.objects.create_superuser("beheer", email="beheer@delinde.nl", password="x" * 20)


def sign_in(client, provider, email):
    """The browser's way: our start page, the provider's sign-in, back to the callback."""
    start = client.get("/login/schoolaccount/")
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert location.netloc == urlparse(provider.issuer).netloc
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert params["code_challenge_method"] == "S256" and params["nonce"]
    back = urlparse(provider.sign_in(params | {"email": email}))
    return client.get(f"{back.path}?{back.query}")


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_teacher_signs_in_with_the_school_account(world, configured, addresses):
    client = Client()
    login_page = client.get("/login/").content.decode()
    assert "Inloggen met je schoolaccount" in login_page
    response = sign_in(client, configured, "Mirjam@DeLinde.nl")
    assert response.status_code == 302
    assert logged_in_as(client) == str(world.teacher.pk)
    assert client.get("/leerkracht/").status_code == 200


@pytest.mark.parametrize(
    "email", ["onbekend@delinde.nl", "noor@delinde.nl", "beheer@delinde.nl", ""]
)
def test_nobody_else_is_signed_in_and_no_account_is_made(world, configured, addresses, email):
    accounts = User.objects.count()
    client = Client()
    response = sign_in(client, configured, email)
    assert response.status_code == 302 and response["Location"] == "/login/schoolaccount/mislukt/"
    assert logged_in_as(client) is None
    page = client.get("/login/schoolaccount/mislukt/", follow=True).content.decode()
    assert "niet gekoppeld" in page
    assert User.objects.count() == accounts


@pytest.mark.parametrize(
    "claims", [{"aud": "another-client"}, {"iss": "http://127.0.0.1:1"}, {"nonce": "replayed"}]
)
def test_a_token_for_another_client_issuer_or_sign_in_is_refused(
    world, configured, addresses, claims
):
    configured.extra_claims = claims
    client = Client()
    response = sign_in(client, configured, "mirjam@delinde.nl")
    assert response["Location"] == "/login/schoolaccount/mislukt/"
    assert logged_in_as(client) is None


def test_the_second_step_follows_the_school_account(world, configured, addresses):
    client = Client()
    response = sign_in(client, configured, "karin@delinde.nl")  # a school admin
    assert response["Location"] == "/login/tweede-stap/"
    assert logged_in_as(client) is None  # not before the code


def test_a_school_switches_local_passwords_off(world, settings, provider, addresses):
    settings.OIDC_ISSUER = ""
    with pytest.raises(ValidationError):
        actions.update_school(world.school, local_passwords=False)
    client = Client()
    assert "schoolaccount" not in client.get("/login/").content.decode()
    assert client.get("/login/schoolaccount/").status_code == 404

    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    provider.extra_claims = {}
    admin = Client()
    admin.force_login(world.school_admin)
    page = admin.get(f"/leerkracht/school/{world.school.pk}/tweestaps/").content.decode()
    assert "Alleen het schoolaccount, geen wachtwoorden" in page
    admin.post(f"/leerkracht/school/{world.school.pk}/tweestaps/", {"local_passwords": "0"})
    assert not School.objects.get(pk=world.school.pk).local_passwords
    response = client.post("/login/", {"username": "juf.mirjam", "password": "correct horse 42"})
    assert response.status_code == 200 and logged_in_as(client) is None
    assert "Je school laat je inloggen met je schoolaccount" in response.content.decode()
    sign_in(client, provider, "mirjam@delinde.nl")
    assert logged_in_as(client) == str(world.teacher.pk)
