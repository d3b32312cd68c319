"""Logging in as people do it: a teacher with a password, a pupil by tapping."""

import pytest
from playwright.sync_api import expect

from classroom.pictograms import CODE_GRID

# Transactional: `world` is committed (tests/conftest.py), so the server process sees it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tap_code(page, keys):
    # The pad's module script runs after the page is shown; a child is slower than that.
    expect(page.locator("form.picture-code[data-ready]")).to_have_count(1)
    for key in keys:
        page.get_by_test_id(f"code-{key}").tap()


def open_class_as_pupil(page, world):
    page.goto("/")
    page.get_by_test_id("pupil-start").tap()
    page.get_by_role("textbox", name="Klascode").fill(world.group.class_code.lower())
    page.get_by_role("button", name="Ga").tap()
    expect(page.get_by_role("heading", name="Groep 6")).to_be_visible()


def log_in_as_noor(page, world):
    open_class_as_pupil(page, world)
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")


def test_a_teacher_logs_in_and_sees_their_groups(world, new_context):
    page = new_context().new_page()
    page.goto("/")
    page.get_by_test_id("teacher-start").click()
    page.get_by_label("Gebruikersnaam").fill("juf.mirjam")
    page.get_by_label("Wachtwoord").fill("correct horse 42")
    page.get_by_role("button", name="Inloggen").click()
    groups = page.get_by_test_id("group-list")
    expect(groups).to_contain_text("Groep 6")
    expect(groups).to_contain_text("2 leerlingen")
    expect(groups).not_to_contain_text("Groep 3")
    groups.get_by_role("link").first.click()
    expect(page.get_by_test_id("class-code")).to_have_text(world.group.class_code)
    expect(page.get_by_test_id("pupil-row")).to_have_count(2)


def test_a_pupil_logs_in_by_class_code_picture_and_picture_code(world, new_context):
    page = new_context(touch=True).new_page()
    open_class_as_pupil(page, world)
    tiles = page.get_by_test_id("pupil-tile")
    expect(tiles).to_have_count(2)
    tiles.filter(has_text="Noor").tap()
    expect(page.get_by_role("heading", name="Noor")).to_be_visible()
    # Every picture of the grid is a big enough target for a small finger.
    keys = page.locator(".code-key")
    expect(keys).to_have_count(len(CODE_GRID))
    box = keys.first.bounding_box()
    assert box["width"] >= 72 and box["height"] >= 72
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")
    assert page.url.endswith("/leerling/")


def test_a_wrong_picture_code_shows_a_friendly_message(world, new_context):
    page = new_context(touch=True).new_page()
    open_class_as_pupil(page, world)
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    tap_code(page, ["star", "fish", "sun"])
    message = page.get_by_test_id("wrong-code")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Oeps, dat was niet jouw code")
    # And then the right code still works.
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_be_visible()


def test_start_again_clears_the_tapped_pictures(world, new_context):
    page = new_context(touch=True).new_page()
    open_class_as_pupil(page, world)
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    tap_code(page, ["moon", "tree"])
    expect(page.locator(".slot.filled")).to_have_count(2)
    page.get_by_test_id("code-clear").tap()
    expect(page.locator(".slot.filled")).to_have_count(0)
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_be_visible()


def test_switch_pupil_is_one_tap_back_to_the_class(world, new_context):
    page = new_context(touch=True).new_page()
    log_in_as_noor(page, world)
    page.get_by_test_id("switch-pupil").tap()
    expect(page.get_by_test_id("pupil-tile")).to_have_count(2)
    page.get_by_test_id("pupil-tile").filter(has_text="Daan").tap()
    tap_code(page, ["moon", "tree", "car"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Daan!")
    # The next morning the Chromebook remembers the class.
    page.goto("/leerling/")
    page.get_by_test_id("switch-pupil").tap()
    expect(page.get_by_test_id("pupil-tile")).to_have_count(2)
    page.goto("/")
    expect(page.get_by_test_id("remembered-class")).to_contain_text("Groep 6")


def test_a_pupil_cannot_reach_a_teacher_page(world, new_context):
    page = new_context(touch=True).new_page()
    log_in_as_noor(page, world)
    expect(page.get_by_test_id("pupil-hello")).to_be_visible()
    for url in ["/leerkracht/", f"/leerkracht/groep/{world.group.pk}/"]:
        response = page.goto(url)
        assert response.status == 403
        expect(page.get_by_test_id("forbidden")).to_contain_text("Deze pagina is voor leerkrachten")
    response = page.goto(f"/api/pupils/{world.classmate.pk}/")
    assert response.status == 404


def test_the_teacher_sees_a_locked_pupil_and_unlocks_them(world, new_context):
    pupil_page = new_context(touch=True).new_page()
    open_class_as_pupil(pupil_page, world)
    pupil_page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    for _ in range(5):
        tap_code(pupil_page, ["moon", "heart", "car"])
    expect(pupil_page.get_by_test_id("locked")).to_contain_text("Vraag je juf of meester om hulp")

    teacher = new_context().new_page()
    teacher.goto("/login/")
    teacher.get_by_label("Gebruikersnaam").fill("juf.mirjam")
    teacher.get_by_label("Wachtwoord").fill("correct horse 42")
    teacher.get_by_role("button", name="Inloggen").click()
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/")
    noor = teacher.get_by_test_id("pupil-row").filter(has_text="Noor")
    expect(noor).to_contain_text("Op slot")
    noor.get_by_test_id("unlock").click()
    expect(teacher.get_by_role("status")).to_contain_text("Noor kan weer inloggen")

    pupil_page.reload()
    tap_code(pupil_page, ["sun", "fish", "star"])
    expect(pupil_page.get_by_test_id("pupil-hello")).to_be_visible()


def test_english_is_available(world, new_context):
    page = new_context(locale="en-GB").new_page()
    page.goto("/")
    expect(page.get_by_test_id("pupil-start")).to_contain_text("I am a pupil")
    page.get_by_role("button", name="NL").click()
    expect(page.get_by_test_id("pupil-start")).to_contain_text("Ik ben een leerling")


def _small_targets(page) -> list[str]:
    """Visible links, buttons and fields smaller than 48 x 48 CSS pixels. A visually
    hidden file input is not a target: its label (a big button) is."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a, button, label.button, input:not([type=hidden])')]
          .filter((el) => !el.closest('.skip-link, .visually-hidden') && el.offsetParent !== null)
          .filter((el) => { const r = el.getBoundingClientRect();
                            return r.width < 48 || r.height < 48; })
          .map((el) => el.outerHTML.slice(0, 80))"""
    )


def test_every_target_on_the_pupil_pages_is_big_enough_for_a_small_finger(world, new_context):
    page = new_context(touch=True).new_page()
    page.goto("/")
    assert _small_targets(page) == []
    open_class_as_pupil(page, world)
    assert _small_targets(page) == []
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    expect(page.locator("form.picture-code[data-ready]")).to_have_count(1)
    assert _small_targets(page) == []
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_be_visible()
    assert _small_targets(page) == []


def test_read_aloud_speaks_the_sentence_in_dutch(world, new_context):
    context = new_context(touch=True)
    # Record what the page asks the speech engine to say (headless Chromium has no voices).
    context.add_init_script(
        """window.__spoken = [];
           window.speechSynthesis.speak = (u) => window.__spoken.push([u.text, u.lang]);"""
    )
    page = context.new_page()
    open_class_as_pupil(page, world)
    page.get_by_role("button", name="Voorlezen: Tik op je eigen plaatje.").tap()
    assert page.evaluate("window.__spoken") == [["Tik op je eigen plaatje.", "nl-NL"]]
