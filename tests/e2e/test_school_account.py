"""A teacher signs in with the school's own account in the browser (issue 21): the login
page's button, the school's provider (tests/oidc_provider.py, started here), back to
her groups; an address the school never linked is told so and signed in nowhere. A
server of its own, configured by environment as an installation would be."""

import os

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import Daphne
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider():
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def configured_server(provider, tmp_path, server_media):
    daphne = Daphne(
        tmp_path,
        server_media,
        env={
            "OIDC_ISSUER": provider.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "de testschool",
        },
    ).start()
    yield daphne.url
    daphne.stop()


def test_a_teacher_signs_in_through_the_schools_provider(world, new_context, configured_server):
    get_user_model().objects.filter(pk=world.teacher.pk).update(email="mirjam@delinde.nl")
    page = new_context(base_url=configured_server).new_page()
    page.set_viewport_size({"width": 1366, "height": 657})
    page.goto("/login/")
    expect(page.get_by_test_id("school-account")).to_have_text("Inloggen met de testschool")
    if os.environ.get("LEERREGIE_SHOTS"):
        page.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/school-account-login.png")
    page.get_by_test_id("school-account").click()
    expect(page.get_by_role("heading", name="Testschool")).to_be_visible()
    page.get_by_label("E-mailadres").fill("onbekend@delinde.nl")
    page.get_by_role("button", name="Inloggen bij de testschool").click()
    expect(page.get_by_text("niet gekoppeld aan een Leerregie-account")).to_be_visible()
    assert page.url.endswith("/login/")

    page.get_by_test_id("school-account").click()
    page.get_by_label("E-mailadres").fill("Mirjam@DeLinde.nl")
    page.get_by_role("button", name="Inloggen bij de testschool").click()
    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
    expect(page.get_by_test_id("group-list")).to_contain_text("Groep 6")
