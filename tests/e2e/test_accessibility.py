"""Every page of every role through axe-core (vendored, tests/e2e/vendor/axe-core): zero
serious or critical violations. Also: every page can be used by keyboard to its main
action, and focus is visible."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from classroom import actions
from research import actions as research_actions
from research.models import Dataset, Phase
from tests.conftest import block_study, choose_pupil, pages_by_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def world(transactional_world):
    world = transactional_world
    world.researcher = get_user_model().objects.create_user("dr.onderzoek", password="x" * 12)
    world.study = block_study(world, Dataset.values, researchers=[world.researcher])
    world.intervention = research_actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group],
        start_date=world.block.start_date,
        end_date=world.block.end_date,
        members=[world.teacher],
    )
    research_actions.link_lesson(
        intervention=world.intervention, lesson=world.lesson, phase=Phase.INTENDED
    )
    world.kleuters = actions.create_group(
        school=world.school, name="De Beren", year_from=1, year_to=2, teachers=[world.teacher]
    )
    return world


def signed_in(new_context, server, user, touch=False, chosen=None):
    """A browser context with the user's session (made here, on the same database), or
    an anonymous one in which the pupil `chosen` was tapped in the class grid."""
    context = new_context(touch=touch)
    if user is not None or chosen is not None:
        client = Client()
        if user is not None:
            client.force_login(user)
        if chosen is not None:
            choose_pupil(client, chosen)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "domain": urlparse(server).hostname,
                    "path": "/",
                }
            ]
        )
    return context


def violations(page) -> list[str]:
    # The page's Content-Security-Policy allows only its own site's scripts, and a route
    # does not see requests once the service worker controls the page: axe goes in
    # through the DevTools protocol, which the page's policy does not govern.
    if not page.evaluate("typeof axe !== 'undefined'"):
        session = page.context.new_cdp_session(page)
        try:
            loaded = session.send("Runtime.evaluate", {"expression": AXE.read_text()})
        finally:
            session.detach()
        assert "exceptionDetails" not in loaded, loaded
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.impact} ${v.id}: ${v.help} — ` +
                v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )
    return result


@pytest.mark.parametrize("role", ["anonymous", "pupil", "teacher", "school_admin", "researcher"])
def test_every_page_passes_axe(world, new_context, server, role):
    user = None if role == "anonymous" else world.user(role) if role != "researcher" else None
    if role == "researcher":
        user = world.researcher
    chosen = world.pupil if role == "anonymous" else None  # for the picture-code page
    context = signed_in(new_context, server, user, touch=role == "pupil", chosen=chosen)
    page = context.new_page()
    found = {}
    for url in pages_by_role(world)[role]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        problems = violations(page)
        if problems:
            found[url] = problems
    assert found == {}


def test_the_pupil_pages_work_by_keyboard_with_visible_focus(world, new_context, server):
    page = signed_in(new_context, server, world.pupil.user).new_page()
    page.goto("/leerling/")
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    # From the content, Tab reaches the logbook tile; its focus ring is visible.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "open-logbook":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "open-logbook"
    ring = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert ring and ring != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/leerling/logboek/{world.lesson.pk}/")


def test_the_axe_check_finds_what_it_should(browser):
    """The check above is real: a page with a nameless button and an image without alt
    text fails it."""
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="nl"><title>x</title><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></html>'
    )
    found = " ".join(violations(page))
    assert "image-alt" in found and "button-name" in found
    page.close()


def test_every_pupil_page_has_only_targets_for_a_small_finger(world, new_context, server):
    """The 48 px check of tests/e2e/test_login_flows.py, on every page a pupil sees
    (the login pages and a signed-in pupil's), on the tablet."""
    from tests.e2e.test_login_flows import _small_targets

    found = {}
    for role in ["anonymous", "pupil"]:
        user = world.pupil.user if role == "pupil" else None
        chosen = world.pupil if role == "anonymous" else None
        page = signed_in(new_context, server, user, touch=True, chosen=chosen).new_page()
        page.set_viewport_size({"width": 800, "height": 1280})
        urls = pages_by_role(world)[role]
        for url in urls if role == "pupil" else [u for u in urls if u.startswith("/klas/")]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            small = _small_targets(page)
            if small:
                found[url] = small
    assert found == {}
