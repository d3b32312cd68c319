"""A photo that does not work never traps what the pupil does next: the outbox shows
"Deze foto lukte niet" (pictured, read aloud, with Opnieuw and Weggooien) and the
evaluation typed afterwards is stored. On the devices pupils have: an old Chromebook
(1366x657, CPU 4x slower) and a touch tablet (800x1280)."""

import time

import pytest
from playwright.sync_api import expect

from classroom import actions
from logbook import entries
from logbook.models import LogbookEntry, Photo
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_accessibility import violations
from tests.e2e.test_logbook import add_fractions
from tests.e2e.test_login_flows import _small_targets, log_in_as_noor
from tests.images import damaged_jpeg, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ARTIFACTS / "screens"
SPEECH_STUB = """window.__spoken = [];
   window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);"""
DEVICES = {
    "chromebook": {"viewport": {"width": 1366, "height": 657}, "has_touch": True},
    "tablet": {"viewport": {"width": 800, "height": 1280}, "has_touch": True},
}


@pytest.fixture
def world(transactional_world):
    """Noor chose a goal in "Breuken oefenen"; the teacher ended the lesson, so the
    evaluation is open."""
    world = add_fractions(transactional_world)
    lesson = world.fractions
    actions.start_lesson(lesson, acting_user=world.teacher)
    goal = world.block.goals.get(code="G6-3.2")
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="goal", value=[goal.pk])
    actions.end_lesson(lesson, acting_user=world.teacher)
    return world


def device(browser, server, kind):
    spec = DEVICES[kind]
    context = browser.new_context(
        base_url=server, locale="nl-NL", viewport=spec["viewport"], has_touch=spec["has_touch"]
    )
    context.set_default_timeout(15_000)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return context, page


def open_evaluation(page, world):
    log_in_as_noor(page, world)
    page.goto(f"/leerling/logboek/{world.fractions.pk}/")
    expect(page.locator("[data-logbook][data-ready]")).to_have_count(1)
    expect(page.locator("body[data-outbox-ready]")).to_have_count(1)
    page.get_by_test_id("strip-evaluation").click()  # the logbook shows one step per screen


def choose_photo(page, path, data: bytes):
    path.write_bytes(data)
    page.locator("[data-photo-input]").set_input_files(str(path))


def evaluate(page, words):
    evaluation = page.get_by_test_id("section-evaluation")
    evaluation.get_by_test_id("eval-G6-3.2-3").click()
    evaluation.get_by_test_id("mood-great").click()
    evaluation.get_by_test_id("evaluation-text").fill(words)
    evaluation.get_by_test_id("evaluate").click()


def stored_words(world):
    entry = LogbookEntry.objects.filter(pupil=world.pupil, lesson=world.fractions).first()
    return entry.evaluation_text if entry else None


def wait_for_words(world, words, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stored_words(world) == words:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("kind", DEVICES)
def test_a_refused_photo_does_not_trap_the_evaluation_typed_next(
    world, browser, server, kind, tmp_path
):
    context, page = device(browser, server, kind)
    try:
        open_evaluation(page, world)
        photos_before = Photo.objects.filter(pupil=world.pupil).count()

        # A broken copy from a card: the server refuses it (not stored grey).
        choose_photo(page, tmp_path / "werk.jpg", damaged_jpeg(size=(1200, 900)))
        failed = page.get_by_test_id("outbox-failed")
        expect(failed).to_contain_text("Deze foto lukte niet", timeout=15_000)
        expect(failed).to_contain_text("Deze foto is beschadigd of onvolledig.")
        expect(failed.get_by_role("button", name="Opnieuw")).to_be_visible()
        expect(failed.get_by_role("button", name="Weggooien")).to_be_visible()
        expect(failed.locator("img.failed-picture")).to_be_visible()
        assert _small_targets(page) == []
        assert violations(page) == []
        failed.get_by_role("button", name="Voorlezen: Deze foto lukte niet").click()
        spoken = page.evaluate("window.__spoken")
        assert spoken and spoken[-1].startswith("Deze foto lukte niet. Tik op Opnieuw")
        page.screenshot(path=str(SCREENS / f"photo-refused-{kind}.png"))

        # Then the evaluation: it is stored, and nothing is left waiting.
        evaluate(page, "Ik heb breuken vergeleken")
        assert wait_for_words(world, "Ik heb breuken vergeleken")
        expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
        assert Photo.objects.filter(pupil=world.pupil).count() == photos_before

        # Still there after a reload, until Noor throws it away.
        page.reload()
        expect(page.get_by_test_id("outbox-failed")).to_contain_text(
            "Deze foto lukte niet", timeout=15_000
        )
        page.get_by_test_id("outbox-failed").get_by_role("button", name="Weggooien").click()
        expect(page.get_by_test_id("outbox-failed")).to_be_hidden()
        page.reload()
        expect(page.locator("body[data-outbox-failed-count='0']")).to_have_count(1, timeout=15_000)
        assert Photo.objects.filter(pupil=world.pupil).count() == photos_before
    finally:
        context.close()


def test_a_photo_that_meets_a_server_error_three_times_lets_the_rest_through(
    world, browser, server, tmp_path
):
    context, page = device(browser, server, "chromebook")
    try:
        open_evaluation(page, world)
        photos_before = Photo.objects.filter(pupil=world.pupil).count()
        calls = []

        def broken_server(route):
            calls.append(route.request.url)
            route.fulfill(status=500, content_type="application/json", body="{}")

        page.route("**/api/photos/", broken_server)
        choose_photo(page, tmp_path / "werk.jpg", jpeg_bytes(size=(1200, 900)))
        expect(page.get_by_test_id("photo-state")).to_have_text("Foto wordt bewaard …")
        # Typed while the photo still waits for its retries: it is stored all the same.
        evaluate(page, "Eerst de foto, dan dit")
        failed = page.get_by_test_id("outbox-failed")
        expect(failed).to_contain_text("Deze foto lukte niet", timeout=20_000)
        assert wait_for_words(world, "Eerst de foto, dan dit")
        assert len(calls) == 3, "three tries, then it stops"
        expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
        page.screenshot(path=str(SCREENS / "photo-server-error-chromebook.png"))

        # The server works again: Opnieuw sends the same photo, stored once.
        page.unroute("**/api/photos/")
        failed.get_by_role("button", name="Opnieuw").click()
        expect(failed).to_be_hidden()
        expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
        deadline = time.monotonic() + 15
        while Photo.objects.filter(pupil=world.pupil).count() == photos_before:
            assert time.monotonic() < deadline, "the retried photo is stored"
            time.sleep(0.2)
        assert Photo.objects.filter(pupil=world.pupil).count() == photos_before + 1
    finally:
        context.close()
