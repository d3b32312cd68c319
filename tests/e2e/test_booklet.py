"""The doelenboekje in a real browser: a pupil marks goals, the teacher sees them."""

import pytest
from playwright.sync_api import expect

from goals.models import SelfAssessment
from tests.e2e.test_login_flows import _small_targets, log_in_as_noor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def goal_card(page, statement):
    return page.get_by_test_id("goal").filter(has_text=statement)


def test_a_pupil_marks_two_goals_and_the_teacher_sees_them_beside_their_own(world, new_context):
    page = new_context(touch=True).new_page()
    log_in_as_noor(page, world)
    page.get_by_test_id("open-booklet").tap()
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    assert _small_targets(page) == []

    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    percentages = goal_card(page, "Ik kan procenten uitrekenen.")
    # Noor marked breuken at level 2 earlier; now "het lukt alleen".
    expect(fractions.get_by_test_id("level-2")).to_have_attribute("aria-pressed", "true")
    fractions.get_by_test_id("level-3").tap()
    expect(fractions.get_by_test_id("save-state")).to_have_text("Bewaard")
    percentages.get_by_test_id("level-1").tap()
    expect(percentages.get_by_test_id("save-state")).to_have_text("Bewaard")
    percentages.get_by_test_id("star").tap()
    expect(percentages.get_by_test_id("star")).to_have_attribute("aria-pressed", "true")
    # The star shows at once; "Bewaard" says the server has it too.
    expect(percentages.get_by_test_id("save-state")).to_have_text("Bewaard")

    page.reload()
    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    percentages = goal_card(page, "Ik kan procenten uitrekenen.")
    expect(fractions.get_by_test_id("level-3")).to_have_attribute("aria-pressed", "true")
    expect(fractions.get_by_test_id("level-2")).to_have_attribute("aria-pressed", "false")
    expect(percentages.get_by_test_id("level-1")).to_have_attribute("aria-pressed", "true")
    expect(percentages.get_by_test_id("star")).to_have_attribute("aria-pressed", "true")
    # The history keeps both of Noor's marks on breuken, and shows the teacher's beside them.
    expect(fractions.locator("[data-history] li")).to_have_count(2)
    expect(fractions.get_by_test_id("teacher-mark")).to_contain_text("Ik ben begonnen")
    assert SelfAssessment.objects.filter(pupil=world.pupil).count() == 3

    teacher = new_context().new_page()
    teacher.goto("/login/")
    teacher.get_by_label("Gebruikersnaam").fill("juf.mirjam")
    teacher.get_by_label("Wachtwoord").fill("correct horse 42")
    teacher.get_by_role("button", name="Inloggen").click()
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/")
    teacher.get_by_test_id("open-blocks").click()
    teacher.get_by_role("link", name="Rekenen blok 3").click()
    row = teacher.get_by_test_id("overview-row").filter(has_text="Noor")
    cells = row.get_by_test_id("cell")
    # Breuken: Noor says 3, the teacher said 1. Procenten: Noor says 1, no teacher mark.
    expect(cells.nth(0).locator(".mark-self")).to_have_text("3")
    expect(cells.nth(0).locator(".mark-teacher")).to_have_text("1")
    expect(cells.nth(1).locator(".mark-self")).to_have_text("1")
    expect(cells.nth(1).locator(".mark-teacher")).to_have_text("–")


def test_every_statement_and_level_can_be_read_aloud(world, new_context):
    context = new_context(touch=True)
    context.add_init_script(
        """window.__spoken = [];
           window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);"""
    )
    page = context.new_page()
    log_in_as_noor(page, world)
    page.goto("/leerling/doelenboekje/")
    card = goal_card(page, "Ik kan breuken vergelijken.")
    card.get_by_role("button", name="Voorlezen: Ik kan breuken vergelijken.").tap()
    card.get_by_role("button", name="Voorlezen: Het lukt met hulp").tap()
    assert page.evaluate("window.__spoken") == ["Ik kan breuken vergelijken.", "Het lukt met hulp"]


# Records, in the page, how long each tap on a level or star takes to show as pressed:
# from the finger lifting (pointerup: the tap, answered by the click that follows) to the
# tile's aria-pressed changing (see TAP_TIMER in test_logbook_steps.py).
TAP_TIMER = """() => {
  window.__pressed = [];
  document.addEventListener("pointerup", (event) => {
    const tile = event.target.closest("button.level, button[data-star]");
    if (!tile) return;
    const start = performance.now();
    const before = tile.getAttribute("aria-pressed");
    const watch = new MutationObserver(() => {
      if (tile.getAttribute("aria-pressed") === before) return;
      window.__pressed.push(performance.now() - start);
      watch.disconnect();
    });
    watch.observe(tile, { attributes: true, attributeFilter: ["aria-pressed"] });
  }, true);
}"""


def chromebook(new_context):
    """An old Chromebook: 1366x657 usable, CPU throttled 4x."""
    context = new_context()
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 657})
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page


def log_in_with_clicks_as_noor(page, world):
    page.goto(f"/klas/{world.group.class_code}/")
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").click()
    expect(page.locator("form.picture-code[data-ready]")).to_have_count(1)
    for key in ["sun", "fish", "star"]:
        page.get_by_test_id(f"code-{key}").click()
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")


def test_each_tap_shows_at_once_and_the_page_never_reloads(world, new_context):
    page = chromebook(new_context)
    log_in_with_clicks_as_noor(page, world)
    page.get_by_test_id("open-booklet").click()
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    loads = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    page.evaluate(TAP_TIMER)

    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    percentages = goal_card(page, "Ik kan procenten uitrekenen.")
    taps = [
        (fractions, "level-3"),
        (percentages, "star"),
        (percentages, "level-1"),
        (fractions, "level-4"),
        (percentages, "star"),
    ]
    for card, tile in taps:
        card.get_by_test_id(tile).click()
        expect(card.get_by_test_id("save-state")).to_have_text("Bewaard")
        expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
        page.wait_for_timeout(300)  # a child looks before the next tap

    pressed = page.evaluate("window.__pressed")
    assert len(pressed) == len(taps)
    assert max(pressed) < 100, pressed
    assert loads == []
    expect(fractions.get_by_test_id("level-4")).to_have_attribute("aria-pressed", "true")
    expect(fractions.get_by_test_id("level-3")).to_have_attribute("aria-pressed", "false")
    expect(percentages.get_by_test_id("star")).to_have_attribute("aria-pressed", "false")
    assert list(
        SelfAssessment.objects.filter(pupil=world.pupil)
        .order_by("pk")
        .values_list("level", flat=True)
    ) == [2, 3, 1, 4]


def test_a_refused_tap_is_put_back_with_a_friendly_word(world, new_context):
    page = chromebook(new_context)
    log_in_with_clicks_as_noor(page, world)
    page.goto("/leerling/doelenboekje/")
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    refusal = {"status": 400, "content_type": "application/json", "body": '{"detail": ["Nee."]}'}
    page.route("**/api/self-assessments/", lambda route: route.fulfill(**refusal))
    page.route("**/api/goals/*/star/", lambda route: route.fulfill(**refusal))
    fractions = goal_card(page, "Ik kan breuken vergelijken.")

    fractions.get_by_test_id("level-4").click()
    expect(fractions.get_by_test_id("save-state")).to_contain_text("Dat lukte niet")
    expect(fractions.get_by_test_id("level-2")).to_have_attribute("aria-pressed", "true")
    expect(fractions.get_by_test_id("level-4")).to_have_attribute("aria-pressed", "false")
    expect(fractions.locator("[data-history] li")).to_have_count(1)

    fractions.get_by_test_id("star").click()
    expect(fractions.get_by_test_id("save-state")).to_contain_text("weer zoals het was")
    expect(fractions.get_by_test_id("star")).to_have_attribute("aria-pressed", "false")
    assert SelfAssessment.objects.filter(pupil=world.pupil).count() == 1
    # Refused is final: nothing waits in the outbox to be sent again.
    expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)


def test_a_tap_without_a_connection_stays_after_a_reload(world, new_context):
    page = new_context(touch=True).new_page()
    log_in_as_noor(page, world)
    page.goto("/leerling/doelenboekje/")
    expect(page.locator("[data-booklet][data-ready]")).to_have_count(1)
    page.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    fractions.get_by_test_id("level-4").tap()
    expect(fractions.get_by_test_id("save-state")).to_have_text("Wordt bewaard …")
    page.reload()
    expect(page.locator("[data-booklet][data-waiting-shown]")).to_have_count(1)
    fractions = goal_card(page, "Ik kan breuken vergelijken.")
    # The page shows the pupil's tap that waits, not the level the server last had.
    expect(fractions.get_by_test_id("level-4")).to_have_attribute("aria-pressed", "true")
    expect(fractions.get_by_test_id("level-2")).to_have_attribute("aria-pressed", "false")
    expect(fractions.get_by_test_id("save-state")).to_have_text("Wordt bewaard …")
    page.unroute("**/api/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("body[data-outbox-pending='0']")).to_have_count(1)
    levels = SelfAssessment.objects.filter(pupil=world.pupil).values_list("level", flat=True)
    assert sorted(levels) == [2, 4]
