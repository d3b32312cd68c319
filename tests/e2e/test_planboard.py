"""The planbord live on several screens: two children and the teacher."""

import pytest
from playwright.sync_api import expect

from classroom import actions as classroom_actions
from planboard import actions
from planboard.models import Plan, PlanPhoto
from tests.e2e.test_logbook import log_in_teacher
from tests.e2e.test_login_flows import _small_targets, open_class_as_pupil, tap_code
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_world):
    world = transactional_world
    telspel = actions.create_activity(
        group=world.group, name="Telspel", pictogram="counting", capacity=1
    )
    actions.set_slot(world.board, telspel, on=True)
    return world


def child_on_board(new_context, world, name, code):
    page = new_context(touch=True).new_page()
    open_class_as_pupil(page, world)
    page.get_by_test_id("pupil-tile").filter(has_text=name).tap()
    tap_code(page, code)
    page.get_by_test_id("open-planboard").tap()
    expect(page.locator("[data-planboard][data-live='1']")).to_have_count(1)
    return page


def tile(page, name):
    return page.locator(f"[data-testid='slot-{name}']")


def test_the_last_place_goes_to_one_child_and_every_screen_shows_it(world, new_context):
    # Noor starts the day with nothing planned: her first tap is where she goes now.
    actions.unplan(plan_obj=world.plan, acting_user=world.pupil.user)
    noor = child_on_board(new_context, world, "Noor", ["sun", "fish", "star"])
    daan = child_on_board(new_context, world, "Daan", ["moon", "tree", "car"])
    assert _small_targets(noor) == []
    expect(tile(daan, "Telspel")).to_have_attribute("data-full", "false")

    # Noor takes the only place at the Telspel.
    tile(noor, "Telspel").tap()
    expect(noor.get_by_test_id("plan-Telspel")).to_contain_text("Telspel")

    # Daan's screen shows it full without reloading, and his tap is refused.
    expect(tile(daan, "Telspel")).to_have_attribute("data-full", "true")
    expect(tile(daan, "Telspel")).to_contain_text("Vol!")
    # A full tile is marked disabled for screen readers; a child taps it anyway.
    tile(daan, "Telspel").tap(force=True)
    expect(daan.get_by_test_id("board-state")).to_have_text("Vol, kies een andere hoek.")
    assert not Plan.objects.filter(pupil=world.classmate, slot__activity__name="Telspel").exists()

    # The teacher moves Noor to the Leeshoek; both children's screens follow.
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/planbord/")
    row = teacher.get_by_test_id("child-row").filter(has_text="Noor")
    # The form of Noor's Telspel plan (the other form offers Telspel as a target).
    telspel_form = row.locator("form.move-form").filter(
        has=teacher.locator("span", has_text="Telspel")
    )
    telspel_form.get_by_test_id("move-select").select_option(label="Leeshoek")
    telspel_form.get_by_test_id("move").click()
    expect(teacher.get_by_role("status")).to_contain_text("Noor gaat nu naar Leeshoek")

    expect(tile(daan, "Telspel")).to_have_attribute("data-full", "false")
    expect(noor.get_by_test_id("plan-Leeshoek")).to_be_visible()
    expect(noor.get_by_test_id("plan-Telspel")).to_have_count(0)
    plan = Plan.objects.get(pupil=world.pupil, slot__activity__name="Leeshoek")
    assert plan.decided_by == "teacher"

    # Now Daan can have the Telspel.
    tile(daan, "Telspel").tap()
    expect(daan.get_by_test_id("plan-Telspel")).to_be_visible()
    expect(tile(noor, "Telspel")).to_have_attribute("data-full", "true")


def test_a_child_ticks_off_what_they_did_and_takes_a_photo(world, new_context, tmp_path):
    noor = child_on_board(new_context, world, "Noor", ["sun", "fish", "star"])
    photo = tmp_path / "toren.jpg"
    photo.write_bytes(jpeg_bytes())
    noor.locator("[data-photo-input]").set_input_files(str(photo))
    expect(noor.get_by_test_id("photo-state")).to_have_text("Foto bewaard")
    # The planbord's own photo, of the Bouwhoek where she is now.
    assert [p.activity.name for p in PlanPhoto.objects.filter(pupil=world.pupil)] == ["Bouwhoek"]
    check = noor.get_by_test_id("plan-Bouwhoek").locator("[data-tick]")
    check.tap()
    expect(noor.get_by_test_id("plan-Bouwhoek").locator("[data-tick]")).to_have_attribute(
        "aria-pressed", "true"
    )
    world.plan.refresh_from_db()
    assert world.plan.done is True


def test_the_digibord_shows_the_board_without_names(world, new_context):
    teacher = new_context().new_page()
    teacher.set_viewport_size({"width": 1920, "height": 1080})
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/planbord/{world.board.pk}/digibord/")
    expect(teacher.locator("[data-planboard][data-live='1']")).to_have_count(1)
    expect(tile(teacher, "Bouwhoek")).to_contain_text("1/2")
    content = teacher.locator("main").inner_text()
    assert "Noor" not in content and "Daan" not in content
    # The corners fill the board, without scrolling; the children's avatars are big
    # enough to find from across the room.
    tiles = teacher.evaluate(
        """() => [...document.querySelectorAll('.slot-tile')].map((t) => {
          const r = t.getBoundingClientRect(); return { w: r.width, h: r.height, bottom: r.bottom };
        })"""
    )
    assert sum(t["w"] * t["h"] for t in tiles) >= 0.6 * 1920 * 1080, tiles
    assert all(t["bottom"] <= 1080 for t in tiles), tiles
    assert teacher.evaluate("document.documentElement.scrollHeight") <= 1080
    seat = tile(teacher, "Bouwhoek").locator(".seat.avatar").bounding_box()
    assert seat and seat["width"] >= 64, seat


SPEECH_STUB = """window.__spoken = [];
window.addEventListener("DOMContentLoaded", () => {
  if (window.speechSynthesis) window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
});"""

# Measured in the page: from the finger lifting (the tap; see TAP_TIMER in
# test_logbook_steps.py) to the tile pressed (aria-pressed="true").
# The promise is kept on window, not returned: Playwright's evaluate would wait for it,
# and it resolves only after the tap, which has not happened yet.
WATCH_PRESS = """(name) => { window.__pressed = new Promise((resolve) => {
  setTimeout(() => resolve(Infinity), 10000);  // never pressed: fail, don't hang
  let down = null;
  const start = () => { down = performance.now(); };
  // The finger lifting: a tap ends with touchend (and pointerup); the click follows.
  for (const kind of ["touchend", "pointerup"]) {
    document.addEventListener(kind, () => { if (down === null) start(); }, { capture: true });
  }
  // Whether the page sets the attribute or draws the tile anew, what counts is the tile
  // a child sees showing "pressed".
  const root = document.querySelector("[data-slots]");
  new MutationObserver((changes, observer) => {
    const tile = root.querySelector(`[data-testid="slot-${name}"]`);
    if (down !== null && tile && tile.getAttribute("aria-pressed") === "true") {
      observer.disconnect();
      resolve(performance.now() - down);
    }
  }).observe(root, {
    attributes: true, childList: true, subtree: true, attributeFilter: ["aria-pressed"],
  });
}); }"""


def kleuter_on_tablet(new_context, world, name, code):
    """A kleuter's tablet: 800 x 1280, touch, CPU slowed down 4x, speech recorded."""
    context = new_context(touch=True)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.set_viewport_size({"width": 800, "height": 1280})
    open_class_as_pupil(page, world)
    page.get_by_test_id("pupil-tile").filter(has_text=name).tap()
    tap_code(page, code)
    page.get_by_test_id("open-planboard").tap()
    expect(page.locator("[data-planboard][data-live='1']")).to_have_count(1, timeout=20_000)
    # Slowed down for the taps that are measured (the login is not).
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page


def free_seats(page, name):
    return tile(page, name).locator(".seat.free")


def test_a_kleuter_plans_without_reading_and_the_teacher_sees_the_photo(
    world, new_context, tmp_path
):
    finn = classroom_actions.create_pupil(
        group=world.group, display_name="Finn", picture_code="tree,sun,moon"
    )
    telspel = world.board.slots.get(activity__name="Telspel")
    actions.plan(pupil=finn, slot=telspel, acting_user=finn.user)  # the only seat: full
    daan = kleuter_on_tablet(new_context, world, "Daan", ["moon", "tree", "car"])
    noor = child_on_board(new_context, world, "Noor", ["sun", "fish", "star"])
    navigations = []
    daan.on("framenavigated", lambda frame: navigations.append(frame.url))

    # The tiles are pictures, not only words: the drawn sand-table kind, not an avatar.
    assert (
        tile(daan, "Telspel")
        .locator("img.picture")
        .get_attribute("src")
        .endswith("pictograms/activities/counting.svg")
    )

    # A full corner: put back, pictured and spoken.
    tile(daan, "Telspel").tap(force=True)
    expect(daan.get_by_test_id("full-notice")).to_be_visible()
    expect(daan.get_by_test_id("full-notice").locator("img.stop")).to_be_visible()
    assert daan.evaluate("window.__spoken")[-1] == "Vol, kies een andere hoek."
    expect(tile(daan, "Telspel")).to_have_attribute("aria-pressed", "false")
    assert not Plan.objects.filter(pupil=world.classmate).exists()

    # Another corner: pressed at once (measured in the page), with Daan's own avatar.
    daan.evaluate(WATCH_PRESS, "Leeshoek")
    tile(daan, "Leeshoek").tap()
    ms = daan.evaluate("window.__pressed")
    assert ms < 100, f"the tile was pressed {ms:.0f} ms after the tap"
    expect(daan.get_by_test_id("board-state")).to_have_text("Bewaard")
    expect(tile(daan, "Leeshoek").get_by_test_id("my-seat")).to_have_count(1)
    expect(tile(daan, "Telspel").get_by_test_id("my-seat")).to_have_count(0)
    expect(daan.get_by_test_id("plan-Leeshoek")).to_have_attribute("data-state", "now")
    expect(daan.get_by_test_id("plan-Leeshoek").locator("img.plan-picture")).to_be_visible()

    # The full Telspel as his next one: "Then", no seat yet.
    tile(daan, "Telspel").tap(force=True)
    expect(daan.get_by_test_id("plan-Telspel")).to_have_attribute("data-state", "later")
    telspel.refresh_from_db()
    assert telspel.taken == 1

    # Finn is done (he ticks it on his own tablet): the Telspel seat is free on Noor's
    # screen, live.
    finn_page = child_on_board(new_context, world, "Finn", ["tree", "sun", "moon"])
    expect(free_seats(noor, "Telspel")).to_have_count(0)
    finn_page.get_by_test_id("plan-Telspel").locator("[data-tick]").tap()
    expect(finn_page.get_by_test_id("plan-Telspel").locator("[data-tick]")).to_have_text("✓")
    expect(free_seats(noor, "Telspel")).to_have_count(1)

    # Daan takes a photo of his reading, then ticks it done. The tick looks done only
    # once the server has it; then his seat moves on to the Telspel.
    photo = tmp_path / "boek.jpg"
    photo.write_bytes(jpeg_bytes())
    daan.locator("[data-photo-input]").set_input_files(str(photo))
    expect(daan.get_by_test_id("photo-state")).to_have_text("Foto bewaard")
    lees_seats_before = free_seats(noor, "Leeshoek").count()
    check = daan.get_by_test_id("plan-Leeshoek").locator("[data-tick]")
    assert check.inner_text() == ""  # no tick mark before it is done
    check.tap()
    expect(daan.get_by_test_id("plan-Leeshoek").locator("[data-tick]")).to_have_text("✓")
    expect(daan.get_by_test_id("plan-Telspel")).to_have_attribute("data-state", "now")
    expect(tile(daan, "Telspel").get_by_test_id("my-seat")).to_have_count(1)
    # Noor's screen follows: a Leeshoek seat is free again, the Telspel is full.
    expect(free_seats(noor, "Leeshoek")).to_have_count(lees_seats_before + 1)
    expect(tile(noor, "Telspel")).to_have_attribute("data-full", "true")
    assert navigations == [], "no page load after the first"

    # The teacher sees Daan's photo with the Leeshoek on the planbord page.
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/planbord/")
    row = teacher.get_by_test_id("child-row").filter(has_text="Daan")
    lees = row.locator("form.move-form").filter(has=teacher.locator("span", has_text="Leeshoek"))
    expect(lees.get_by_test_id("plan-photo")).to_have_count(1)
    expect(lees.get_by_test_id("plan-photo").locator("img")).to_have_attribute(
        "alt", "Foto van Daan bij Leeshoek"
    )
    size = lees.get_by_test_id("plan-photo").locator("img").evaluate("(i) => i.naturalWidth")
    assert size > 0  # served to the teacher


def test_the_teachers_planbord_page_follows_the_children_live(world, new_context):
    teacher = new_context().new_page()
    teacher.set_viewport_size({"width": 1366, "height": 657})
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/planbord/")
    expect(teacher.locator("body[data-live='1']")).to_have_count(1)
    teacher.evaluate("window.stillTheSamePage = true")
    expect(teacher.get_by_test_id("not-chosen")).to_contain_text("Daan")

    daan = child_on_board(new_context, world, "Daan", ["moon", "tree", "car"])
    tile(daan, "Leeshoek").tap()
    expect(daan.get_by_test_id("board-state")).to_have_text("Bewaard")

    # Daan has chosen: the teacher's lists follow without a reload.
    expect(teacher.get_by_test_id("not-chosen")).not_to_contain_text("Daan")
    row = teacher.locator("[data-testid=child-row][data-child='Daan']")
    expect(row).to_contain_text("Leeshoek")
    expect(teacher.get_by_test_id("activity-row").filter(has_text="Leeshoek")).to_contain_text(
        "1 van 3 tegelijk"
    )
    assert teacher.evaluate("window.stillTheSamePage") is True
