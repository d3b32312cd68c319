"""The rekenlogboek on the devices pupils have: an old Chromebook (1366x657, CPU 4x
slower) and a kleuter's touch tablet (800x1280). One step per screen, each tap answered
at once (pressed within 100 ms, measured in the page), no page load after the first, the
teacher's override arriving live; the lesson's end opens the evaluation, and after Klaar!
the level, mood and photo stay on the page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom import actions
from classroom.models import Lesson
from logbook.models import LogbookEntry
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_logbook import add_fractions, log_in_teacher
from tests.e2e.test_login_flows import _small_targets, log_in_as_noor
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = {
    "chromebook": {"viewport": {"width": 1366, "height": 657}, "has_touch": True, "cpu": 4},
    "tablet": {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "cpu": 4},
}
# Many school Chromebooks have a touch screen too; on it the test clicks with the mouse.
SCREENS = ARTIFACTS / "screens"
SPEECH_STUB = """window.__spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
  window.speechSynthesis.cancel = () => {};
}"""

# Installed in the page: the time from the finger lifting off a tile (a tap is a tap only
# then, and the page answers the click that follows) to its aria-pressed turning "true",
# and to the next frame after that (the pupil sees it). Not from the finger going down:
# a real finger rests ~100 ms, and Playwright's down and up are two messages whose gap
# is the test harness's (on a shared CI core), not the page's.
TAP_TIMER = """
window.__taps = [];
let armed = null;
const down = (event) => {
  const el = event.target.closest && event.target.closest('[aria-pressed]');
  if (el && !armed) armed = { el, t0: performance.now() };
};
['pointerup', 'touchend', 'mouseup'].forEach((t) => document.addEventListener(t, down, true));
new MutationObserver((records) => {
  if (!armed) return;
  for (const r of records) {
    if (r.target === armed.el && armed.el.getAttribute('aria-pressed') === 'true') {
      const tap = armed; armed = null;
      const pressed = performance.now() - tap.t0;
      requestAnimationFrame(() => window.__taps.push({
        id: tap.el.dataset.testid, pressed, painted: performance.now() - tap.t0 }));
      return;
    }
  }
}).observe(document.body, { attributes: true, attributeFilter: ['aria-pressed'], subtree: true });
"""


@pytest.fixture
def world(transactional_world):
    world = add_fractions(transactional_world)
    actions.configure_lesson(world.fractions, places=[world.place])
    return world


def device(browser, server, kind):
    spec = DEVICES[kind]
    context = browser.new_context(
        base_url=server, locale="nl-NL", viewport=spec["viewport"], has_touch=spec["has_touch"]
    )
    context.set_default_timeout(15_000)
    # Read-aloud is heard through a stub: headless Chromium has no voices.
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": spec["cpu"]})
    return context, page


def tap(page, kind, testid):
    target = page.get_by_test_id(testid).locator("visible=true").first
    if kind == "tablet":
        target.tap()
    else:
        target.click()


def fits(page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollHeight <= window.innerHeight + 1 "
        "&& document.scrollingElement.scrollWidth <= window.innerWidth + 1"
    )


def open_logbook(page, world):
    """Log in as Noor and open the logbook; from here on every page load is counted."""
    log_in_as_noor(page, world)
    page.get_by_test_id("open-logbook").filter(has_text="Breuken oefenen").click()
    expect(page.locator("[data-logbook][data-ready][data-live='1']")).to_have_count(1)
    loads = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    page.evaluate(TAP_TIMER)
    return loads


@pytest.mark.parametrize("kind", DEVICES)
def test_a_whole_entry_in_few_taps_without_a_page_load(world, browser, server, kind, new_context):
    actions.start_lesson(world.fractions, acting_user=world.teacher)
    context, page = device(browser, server, kind)
    try:
        loads = open_logbook(page, world)
        SCREENS.mkdir(parents=True, exist_ok=True)
        taps = 0
        expected = [
            ("goal-G6-3.2", "goal"),
            ("step-next", None),
            ("reason-dont_understand", "instruction"),  # "yes, because ...": one tap, on
            ("partner-Daan", "partner"),
            ("place-Stiltehoek", "place"),
        ]
        for testid, step in expected:
            if step:
                expect(page.locator(f"[data-logbook][data-step='{step}']")).to_have_count(1)
                if not fits(page):
                    page.screenshot(
                        path=str(SCREENS / f"overflow-{kind}-{step}.png"), full_page=True
                    )
                assert fits(page), f"{kind}: step {step} needs scrolling"
                page.screenshot(path=str(SCREENS / f"logbook-{kind}-{step}.png"))
            tap(page, kind, testid)
            taps += 1
            if step:
                expect(page.get_by_test_id(testid)).to_have_attribute("aria-pressed", "true")
                expect(page.get_by_test_id("save-state")).to_have_text("Bewaard")
        expect(page.locator("[data-logbook][data-step='done']")).to_have_count(1)
        assert fits(page)
        page.screenshot(path=str(SCREENS / f"logbook-{kind}-done.png"))
        # The chosen answers stay in view on every step: the strip shows them.
        strip = page.get_by_test_id("step-strip")
        for answer in ("G6-3.2", "Ja", "Daan", "Stiltehoek"):
            expect(strip).to_contain_text(answer)

        # Each tap is read aloud too: the goal, the reason, the classmate, the place.
        spoken = page.evaluate("window.__spoken")
        for words in ("Ik kan procenten uitrekenen.", "Ik snap het nog niet", "Daan", "Stiltehoek"):
            assert words in spoken, spoken
        timings = page.evaluate("window.__taps")
        assert [t["id"] for t in timings] == [t for t, s in expected if s]
        for timing in timings:
            # The measure: the tile pressed within 100 ms of the tap. The next
            # painted frame also depends on the compositor of a 4x-slowed CPU shared with
            # the rest of CI (121 ms seen once on a loaded host): bounded, not at 100.
            assert timing["pressed"] < 100, timing
            assert timing["painted"] < 250, timing
        assert taps <= 7
        assert loads == []  # no page load after the first
        assert _small_targets(page) == []

        entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.fractions)
        assert entry.instruction is True and entry.instruction_reason == "dont_understand"
        assert [p.display_name for p in entry.partners.all()] == ["Daan"]
        assert entry.place == world.place

        # The teacher decides Noor works without instruction: her page follows, live.
        teacher = new_context().new_page()
        log_in_teacher(teacher)
        teacher.goto(f"/leerkracht/les/{world.fractions.pk}/")
        row = teacher.locator("[data-testid=entry-row][data-pupil='Noor']")
        # The dashboard first shows Noor's line as she left it and is live: a row drawn
        # anew after the click would close the panel under the teacher's finger.
        expect(teacher.locator("[data-live='1']")).to_have_count(1)
        expect(row).to_contain_text("Stiltehoek")
        row.get_by_text("Beslis voor Noor").click()
        row.get_by_role("button", name="Geen instructie").click()
        tap(page, kind, "strip-instruction")
        instruction = page.get_by_test_id("section-instruction")
        expect(instruction).to_contain_text("Dit heeft je juf of meester voor je gekozen.")
        expect(instruction.get_by_test_id("instruction-value")).to_have_text("Nee, ik werk zelf.")
        expect(instruction.get_by_test_id("instruction-yes")).to_have_count(0)
        expect(page.get_by_test_id("step-strip")).to_contain_text("Nee")
        assert loads == []
        page.screenshot(path=str(SCREENS / f"logbook-{kind}-override.png"))
    finally:
        context.close()


def test_a_refused_tap_puts_the_tile_back_with_a_friendly_message(world, browser, server):
    actions.start_lesson(world.fractions, acting_user=world.teacher)
    context, page = device(browser, server, "chromebook")
    try:
        loads = open_logbook(page, world)
        tap(page, "chromebook", "goal-G6-3.2")
        expect(page.get_by_test_id("save-state")).to_have_text("Bewaard")
        # The lesson ends behind the page's back (no message reaches it: a missed one).
        Lesson.objects.filter(pk=world.fractions.pk).update(ended_at=timezone.now())
        tap(page, "chromebook", "step-next")
        tap(page, "chromebook", "instruction-no")
        expect(page.get_by_test_id("save-state")).to_contain_text("Deze les is niet bezig")
        expect(page.get_by_test_id("instruction-no")).to_have_attribute("aria-pressed", "false")
        expect(page.locator("[data-logbook][data-step='instruction']")).to_have_count(1)
        assert loads == []
    finally:
        context.close()


@pytest.mark.parametrize("kind", DEVICES)
def test_the_lessons_end_opens_the_evaluation_and_klaar_keeps_what_was_said(
    world, browser, server, kind, new_context, tmp_path
):
    actions.start_lesson(world.fractions, acting_user=world.teacher)
    context, page = device(browser, server, kind)
    try:
        loads = open_logbook(page, world)
        tap(page, kind, "goal-G6-3.2")
        expect(page.get_by_test_id("save-state")).to_have_text("Bewaard")
        tap(page, kind, "home")
        expect(page.locator("[data-class-live][data-live='1']")).to_have_count(1)
        home_loads = []
        page.on(
            "framenavigated",
            lambda frame: home_loads.append(frame.url) if frame == page.main_frame else None,
        )
        expect(page.get_by_test_id("evaluate-lesson")).to_have_count(0)

        # The teacher ends the lesson: Noor's home shows "Hoe ging het?", live.
        teacher = new_context().new_page()
        log_in_teacher(teacher)
        teacher.goto(f"/leerkracht/les/{world.fractions.pk}/")
        expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
        # Ending asks first, and says how many have not evaluated yet.
        asked = []

        def answer(dialog):
            asked.append(dialog.message)
            dialog.accept()

        teacher.once("dialog", answer)
        teacher.get_by_test_id("end-lesson").click()
        expect(teacher.get_by_test_id("close-evaluation")).to_be_visible()
        pupils = world.group.pupils.filter(active=True).count()
        assert asked == [
            "Les beëindigen? Daarna zeggen de leerlingen hoe het ging. "
            f"Nog niet geëvalueerd: {pupils} van {pupils}."
        ]
        count = teacher.get_by_test_id("evaluated-count")
        expect(count).to_have_text(f"Geëvalueerd: 0 van {pupils}.")
        evaluate_tile = page.get_by_test_id("evaluate-lesson")
        expect(evaluate_tile).to_contain_text("Hoe ging het? Breuken oefenen")
        logbook_tile = page.get_by_test_id("open-logbook").filter(has_text="Breuken oefenen")
        expect(logbook_tile).to_have_count(0)
        assert home_loads == []
        page.screenshot(path=str(SCREENS / f"home-{kind}-evaluate.png"))

        evaluate_tile.click()
        expect(page.locator("[data-logbook][data-ready][data-step='evaluation']")).to_have_count(1)
        loads.clear()
        evaluation = page.get_by_test_id("section-evaluation")
        expect(evaluation.get_by_test_id("locked-choices")).to_contain_text(
            "De les is klaar; dit heb je gekozen."
        )
        expect(evaluation.get_by_test_id("locked-choices")).to_contain_text("G6-3.2")
        expect(page.locator("[data-aspect]")).to_have_count(0)  # the choices are locked
        tap(page, kind, "evaluate")
        expect(evaluation.get_by_test_id("evaluation-message")).to_have_text(
            "Tik eerst aan hoe het ging."
        )
        tap(page, kind, "eval-G6-3.2-3")
        tap(page, kind, "mood-great")
        expect(evaluation.get_by_test_id("evaluation-message")).to_have_text("")
        photo_file = tmp_path / "werk.jpg"
        photo_file.write_bytes(jpeg_bytes(size=(1200, 900)))
        page.locator("[data-photo-input]").set_input_files(str(photo_file))
        expect(page.get_by_test_id("photo-state")).to_have_text("Foto bewaard")
        page.get_by_test_id("evaluation-text").fill("Breuken gingen goed")
        page.screenshot(path=str(SCREENS / f"logbook-{kind}-evaluation.png"))
        tap(page, kind, "evaluate")

        saved = page.get_by_test_id("saved-evaluation")
        expect(saved.get_by_test_id("evaluation-state")).to_have_text("Evaluatie bewaard")
        expect(saved.get_by_test_id("saved-level")).to_contain_text("Het lukt alleen")
        expect(saved.get_by_test_id("saved-mood")).to_contain_text("Het ging goed")
        expect(saved.get_by_test_id("saved-words")).to_contain_text("Breuken gingen goed")
        expect(saved.get_by_test_id("saved-photos").locator("img")).to_have_count(1)
        assert loads == []
        page.screenshot(path=str(SCREENS / f"logbook-{kind}-saved.png"))
        entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.fractions)
        assert entry.mood == "great" and entry.evaluation_text == "Breuken gingen goed"

        # The evaluation comes in on the teacher's page as it is given.
        expect(count).to_have_text(f"Geëvalueerd: 1 van {pupils}.")

        # The teacher closes the evaluation: the page says so, live.
        teacher.get_by_test_id("close-evaluation").click()
        expect(teacher.get_by_test_id("evaluation-closed")).to_be_visible()
        expect(page.get_by_test_id("evaluation-closed")).to_be_visible()
        expect(page.get_by_test_id("edit-evaluation")).to_have_count(0)
        assert loads == []
    finally:
        context.close()
