"""Classroom wifi drops: the pupil works on, reloads the page while still offline, and
when the connection returns exactly what she did is stored, once each.

"Offline" is Playwright's offline mode for the page, and the pupil's own server stopped,
so the service worker's requests fail too (Playwright's offline mode does not reach a
service worker's own fetches)."""

import pytest
from playwright.sync_api import expect

from goals.models import SelfAssessment
from logbook.models import Photo
from tests.e2e.test_login_flows import log_in_as_noor
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_offline(page):
    """Wait for the service worker to control the page, then load it once more so the
    worker keeps it."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    page.wait_for_function("caches.has('leerregie-pages')")


def goal_card(page, statement):
    return page.get_by_test_id("goal").filter(has_text=statement)


def test_three_marks_and_a_photo_made_offline_are_stored_once_each(
    world, new_context, second_server, tmp_path
):
    school = second_server.start()
    context = new_context(touch=True, base_url=school.url)
    page = context.new_page()
    log_in_as_noor(page, world)
    page.get_by_test_id("open-booklet").tap()
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    # The service worker has taken this page and its files for offline use.
    take_offline(page)
    expect(page.locator("body[data-outbox-ready]")).to_have_count(1)
    marks_before = SelfAssessment.objects.filter(pupil=world.pupil).count()
    photos_before = Photo.objects.filter(pupil=world.pupil).count()

    # The wifi drops.
    context.set_offline(True)
    school.stop()
    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    percentages = goal_card(page, "Ik kan procenten uitrekenen.")
    fractions.get_by_test_id("level-3").tap()
    expect(fractions.get_by_test_id("save-state")).to_have_text("Wordt bewaard …")
    percentages.get_by_test_id("level-1").tap()
    expect(percentages.get_by_test_id("save-state")).to_have_text("Wordt bewaard …")
    fractions.get_by_test_id("level-4").tap()
    expect(fractions.get_by_test_id("level-4")).to_have_attribute("aria-pressed", "true")
    photo = tmp_path / "werk.jpg"
    photo.write_bytes(jpeg_bytes(size=(1200, 900)))
    fractions.locator("[data-photo-input]").set_input_files(str(photo))
    expect(fractions.get_by_test_id("photo-state")).to_have_text("Foto wordt bewaard …")
    expect(page.get_by_test_id("outbox")).to_have_text("4 wachten om bewaard te worden …")

    # Still offline, the page is reloaded: it opens from the cache, with the work waiting.
    page.reload()
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    expect(page.get_by_test_id("outbox")).to_have_text("4 wachten om bewaard te worden …")
    assert SelfAssessment.objects.filter(pupil=world.pupil).count() == marks_before

    # The connection returns: everything goes, once.
    school.start()
    context.set_offline(False)
    expect(page.get_by_test_id("outbox")).to_have_text("Alles is bewaard.", timeout=30_000)
    marks = SelfAssessment.objects.filter(pupil=world.pupil).order_by("pk")
    assert marks.count() == marks_before + 3
    assert [(m.goal.code, m.level) for m in marks][-3:] == [
        ("G6-3.1", 3),
        ("G6-3.2", 1),
        ("G6-3.1", 4),
    ]
    assert Photo.objects.filter(pupil=world.pupil).count() == photos_before + 1
    assert Photo.objects.filter(pupil=world.pupil).latest("pk").goal == world.goal

    # Nothing is sent twice, also not after another reload.
    page.reload()
    expect(page.locator("body[data-outbox-ready]")).to_have_count(1)
    expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
    assert SelfAssessment.objects.filter(pupil=world.pupil).count() == marks_before + 3
    assert Photo.objects.filter(pupil=world.pupil).count() == photos_before + 1


def test_switching_pupils_forgets_the_offline_pages(world, new_context, second_server):
    school = second_server.start()
    context = new_context(touch=True, base_url=school.url)
    page = context.new_page()
    log_in_as_noor(page, world)
    page.get_by_test_id("open-booklet").tap()
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    take_offline(page)
    assert page.evaluate("caches.has('leerregie-pages')") is True
    page.get_by_test_id("switch-pupil").tap()
    page.wait_for_url("**/klas/**")
    assert page.evaluate("caches.has('leerregie-pages')") is False
