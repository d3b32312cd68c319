"""The teacher's live dashboard in real browsers: a pupil's choices appear without a
reload, and after the server was cut and came back, what happened meanwhile is there."""

import os

import pytest
from playwright.sync_api import expect

from classroom.models import UsageEvent
from classroom.realtime import publish
from logbook import entries
from logbook.models import LogbookEntry
from tests.e2e.test_logbook import add_fractions, log_in_teacher, tap_and_wait
from tests.e2e.test_login_flows import log_in_as_noor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_world):
    return add_fractions(transactional_world)


def card(page, name):
    return page.locator(f"[data-testid=entry-row][data-pupil='{name}']")


def test_the_dashboard_follows_the_class_live_and_catches_up_after_a_cut(
    world, new_context, second_server, server, monkeypatch
):
    cut = second_server.start()  # the server the teacher's dashboard talks to

    # The pupil is on her home screen when the lesson starts.
    pupil = new_context(touch=True, base_url=cut.url).new_page()
    log_in_as_noor(pupil, world)
    expect(pupil.locator("[data-class-live][data-live='1']")).to_have_count(1)
    logbook_tile = pupil.get_by_test_id("open-logbook").filter(has_text="Breuken oefenen")
    expect(logbook_tile).to_have_count(0)

    teacher = new_context(base_url=cut.url).new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{world.fractions.pk}/")
    teacher.get_by_test_id("start-lesson").click()
    expect(teacher.get_by_test_id("lesson-running")).to_be_visible()
    dashboard = teacher.locator("[data-dashboard]")
    expect(dashboard).to_have_attribute("data-live", "1")
    expect(card(teacher, "Noor").get_by_test_id("entry-state")).to_contain_text("nog niets")
    expect(teacher.get_by_test_id("filter-none")).to_have_text("Nog niets ingevuld (2)")

    # Her home shows the logbook by itself.
    expect(logbook_tile).to_be_visible()

    # The teacher's page is never reloaded from here on.
    teacher.evaluate("window.stillTheSamePage = true")

    logbook_tile.tap()
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-place", "place-Stiltehoek")
    expect(card(teacher, "Noor").get_by_test_id("place-cell")).to_contain_text("Stiltehoek L")
    expect(card(teacher, "Noor").get_by_test_id("entry-state")).to_contain_text("aan het werk")
    expect(teacher.get_by_test_id("places-map").get_by_test_id("place-box")).to_contain_text("Noor")
    expect(teacher.get_by_test_id("filter-none")).to_have_text("Nog niets ingevuld (1)")
    expect(teacher.get_by_test_id("regie-sentence")).to_be_visible()
    # Regie over the decisions taken, live: hers is one; what is open is not counted.
    expect(teacher.get_by_test_id("regie-sentence")).to_contain_text("namen leerlingen er 1 zelf")
    expect(teacher.get_by_test_id("pending-sentence")).to_contain_text("Nog niet genomen:")
    teacher.get_by_test_id("show-pupil-dots").check()
    expect(teacher.get_by_test_id("pupil-positions")).to_contain_text("Noor: regie")
    expect(teacher.locator("[data-q-pupils] .q-label")).to_have_text(["Noo"])

    # The server is cut: the dashboard says so.
    cut.stop()
    expect(teacher.get_by_test_id("connection")).to_contain_text("Geen verbinding")
    expect(dashboard).to_have_attribute("data-live", "0")

    # Meanwhile Noor asks for instruction, through the school's other server.
    pupil.goto(f"{server}/leerling/logboek/{world.fractions.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-instruction", "instruction-yes")
    assert LogbookEntry.objects.get(pupil=world.pupil, lesson=world.fractions).instruction is True
    expect(card(teacher, "Noor").get_by_test_id("instruction-cell")).to_have_text("–")

    # The server comes back; the dashboard reconnects by itself and shows what it missed.
    cut.start()
    expect(teacher.get_by_test_id("connection")).to_contain_text("Weer verbonden", timeout=40_000)
    expect(card(teacher, "Noor").get_by_test_id("instruction-cell")).to_contain_text("ja L")
    expect(teacher.get_by_test_id("instruction-group")).to_contain_text("Noor")
    assert teacher.evaluate("window.stillTheSamePage") is True

    # The teacher takes Noor out of the instruction group, right in the list.
    teacher.get_by_role("button", name="Haal Noor uit de instructiegroep").click()
    expect(teacher.get_by_test_id("instruction-group")).to_contain_text(
        "Nog niemand in de instructiegroep."
    )
    expect(card(teacher, "Noor").get_by_test_id("instruction-cell")).to_contain_text("nee T")
    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.fractions)
    assert entry.instruction is False and entry.decided_by["instruction"] == "teacher"

    # A lost event: Daan picks a place, and the channel layer drops the event. Then Noor
    # picks a goal, whose event arrives: the dashboard sees the jump in sequence numbers
    # and reloads its snapshot, so Daan's place is there too.
    with monkeypatch.context() as dropped:
        dropped.setattr(publish, "get_channel_layer", lambda: None)
        world.fractions.refresh_from_db()  # started in the browser
        entries.choose(
            pupil=world.classmate, lesson=world.fractions, aspect="place", value=world.place.pk
        )
    pupil.goto(f"{cut.url}/leerling/logboek/{world.fractions.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-goal", "goal-G6-3.2")
    expect(card(teacher, "Noor").get_by_test_id("goals-cell")).to_contain_text("G6-3.2")
    expect(card(teacher, "Daan").get_by_test_id("place-cell")).to_contain_text("Stiltehoek")
    assert teacher.evaluate("window.stillTheSamePage") is True

    # Filters: the instruction group is empty now; everyone is working.
    expect(teacher.get_by_test_id("filter-working")).to_have_text("Aan het werk (2)")
    teacher.get_by_test_id("filter-instruction").click()
    expect(card(teacher, "Noor")).to_be_hidden()
    expect(card(teacher, "Daan")).to_be_hidden()
    teacher.get_by_test_id("filter-working").click()
    expect(card(teacher, "Noor")).to_be_visible()
    expect(card(teacher, "Daan")).to_be_visible()


def test_alerts_say_why_and_can_be_switched_off(world, new_context):
    """Six minutes after the start Daan has chosen nothing; Noor and Daan are both put in
    the Stiltehoek, which holds one. The teacher's page says so in a line each, live, and
    an alert switched off stays off after a reload."""
    from datetime import timedelta

    from django.utils import timezone

    from classroom import actions as classroom_actions
    from classroom.models import Lesson

    lesson = world.fractions
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    Lesson.objects.filter(pk=lesson.pk).update(started_at=timezone.now() - timedelta(minutes=6))
    classroom_actions.update_place(world.place, capacity=1)
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{lesson.pk}/")
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    nothing = teacher.get_by_test_id("alert-nothing")
    expect(nothing).to_contain_text("Nog niets gekozen, 6 minuten na de start: Daan, Noor.")
    expect(teacher.get_by_test_id("alert-full")).to_have_count(0)

    # The teacher puts both in the Stiltehoek from their cards.
    for name in ("Noor", "Daan"):
        row = card(teacher, name)
        row.get_by_text(f"Beslis voor {name}").click()
        row.get_by_label("Werkplek").select_option(label="Stiltehoek")
        row.get_by_role("button", name="Werkplek instellen").click()
        expect(row.get_by_test_id("place-cell")).to_contain_text("Stiltehoek")
    expect(teacher.get_by_test_id("alert-full")).to_have_text(
        "Stiltehoek heeft plek voor 1, en 2 leerlingen kozen hem: Daan, Noor."
    )
    expect(nothing).to_have_count(0)  # both have a decision now

    teacher.get_by_text("Welke meldingen?").click()
    teacher.get_by_test_id("alert-full-on").uncheck()
    expect(teacher.get_by_test_id("alert-full")).to_have_count(0)
    teacher.reload()
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    expect(teacher.get_by_test_id("alert-full")).to_have_count(0)
    expect(teacher.get_by_test_id("alert-full-on")).not_to_be_checked()


def test_partners_are_decided_in_place_and_one_sided_choices_are_marked(world, new_context):
    """Noor chose Daan, Daan chose Sem (who chose nothing yet): Noor's choice is marked
    as not mutual, Daan's not yet. The teacher
    puts Daan with Noor from Daan's card; what is selected there survives a redraw (the
    teacher decides for Sem in between); the confirmation stands in that card and the
    mark goes, live."""
    from classroom import actions as classroom_actions
    from classroom.models import Pupil

    lesson = world.fractions
    daan = Pupil.objects.get(group=world.group, display_name="Daan")
    sem = classroom_actions.create_pupil(group=world.group, display_name="Sem")
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="partner", value=[daan.pk])
    entries.choose(pupil=daan, lesson=lesson, aspect="partner", value=[sem.pk])
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{lesson.pk}/")
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    noor = card(teacher, "Noor")
    expect(noor.get_by_test_id("not-mutual")).to_have_text("Daan ↛")
    expect(noor.get_by_test_id("not-mutual")).to_have_attribute("title", "Daan koos niet terug")
    # Sem has not chosen yet: Daan's choice is not marked (yet).
    expect(card(teacher, "Daan").get_by_test_id("partner-cell")).to_have_text("Sem L")
    expect(card(teacher, "Daan").get_by_test_id("not-mutual")).to_have_count(0)

    row = card(teacher, "Daan")
    row.get_by_text("Beslis voor Daan").click()
    row.get_by_test_id("partner-select").select_option(label="Noor")
    # Before setting it, the teacher decides for Sem: that redraws Daan's card (Daan chose
    # Sem), and Noor stays selected there.
    sem_card = card(teacher, "Sem")
    sem_card.get_by_text("Beslis voor Sem").click()
    sem_card.get_by_test_id("partner-select").select_option(label="Daan")
    sem_card.get_by_test_id("override-partner").click()
    expect(sem_card.get_by_test_id("partner-cell")).to_have_text("Daan T")
    expect(row.get_by_test_id("partner-cell")).to_have_text("Sem L")
    expect(row.get_by_test_id("partner-select")).to_have_values([str(world.pupil.pk)])
    row.get_by_test_id("override-partner").click()
    expect(row.get_by_test_id("partner-cell")).to_have_text("Noor T")
    expect(row.get_by_test_id("override-status")).to_have_text("Aangepast voor Daan.")
    expect(noor.get_by_test_id("not-mutual")).to_have_count(0)
    expect(noor.get_by_test_id("partner-cell")).to_have_text("Daan L")
    entry = LogbookEntry.objects.get(pupil=daan, lesson=lesson)
    assert [p.display_name for p in entry.partners.all()] == ["Noor"]
    assert entry.decided_by["partner"] == "teacher"


def test_a_help_request_goes_to_the_teachers_queue_and_ik_kom_eraan_comes_back(world, new_context):
    from classroom import actions as classroom_actions

    lesson = world.fractions
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{lesson.pk}/")
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    queue = teacher.get_by_test_id("help-queue")
    expect(queue).to_contain_text("Niemand vraagt om hulp.")

    pupil = new_context(touch=True).new_page()
    log_in_as_noor(pupil, world)
    pupil.goto(f"/leerling/logboek/{lesson.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    # One small button beside the title opens three pictures; the steps stay as they were.
    pupil.get_by_test_id("help-open").tap()
    pupil.get_by_test_id("help-dont_understand").tap()
    expect(pupil.get_by_test_id("help-waiting")).to_be_visible()

    request = queue.get_by_test_id("help-request").filter(has_text="Noor")
    expect(request).to_contain_text("Ik snap het niet")
    expect(request).to_contain_text("0 min")
    request.get_by_test_id("help-answer-coming").click()
    expect(request.get_by_test_id("help-on-the-way")).to_be_visible()
    # Noor's screen says so by itself.
    expect(pupil.get_by_test_id("help-coming")).to_contain_text("Ik kom eraan!")

    pupil.get_by_test_id("help-open").tap()
    pupil.get_by_test_id("help-go-on").tap()
    expect(pupil.get_by_test_id("help-open")).to_have_text("Hulp nodig?")
    expect(queue).to_contain_text("Niemand vraagt om hulp.")
    verbs = list(
        UsageEvent.objects.filter(pupil=world.pupil, verb__startswith="help_")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["help_asked", "help_answered", "help_closed"]


def test_the_lesson_digibord_for_thirty_pupils_fits_and_follows_live(world, new_context):
    """At 1920x1080 with 30 pupils the class screen shows places, goals, the instruction
    group and the lesson's dot without scrolling, no name, and follows a choice live."""
    from classroom import actions as classroom_actions

    for i in range(28):
        classroom_actions.create_pupil(group=world.group, display_name=f"Kind {i + 1}")
    lesson = world.fractions
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    board = new_context().new_page()
    board.set_viewport_size({"width": 1920, "height": 1080})
    log_in_teacher(board)
    board.goto(f"/leerkracht/les/{lesson.pk}/digibord/")
    expect(board.locator("body[data-live='1']")).to_have_count(1)
    quadrant = board.get_by_test_id("ld-quadrant")
    box = quadrant.bounding_box()
    assert box and box["y"] + box["height"] <= 1080, box
    assert board.evaluate("document.documentElement.scrollHeight") <= 1080
    text = board.get_by_test_id("lesson-digibord").inner_text()
    assert "Noor" not in text and "Kind 1" not in text
    expect(board.get_by_test_id("ld-progress")).to_contain_text("0 aan het werk")

    pupil = new_context(touch=True).new_page()
    log_in_as_noor(pupil, world)
    pupil.goto(f"/leerling/logboek/{lesson.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-place", "place-Stiltehoek")
    expect(board.get_by_test_id("ld-places")).to_contain_text("Stiltehoek1")
    expect(board.get_by_test_id("ld-progress")).to_contain_text("1 aan het werk")


@pytest.mark.parametrize("size", [(1366, 657), (1920, 1080)], ids=["laptop", "digibord"])
def test_thirty_pupils_fit_one_screen_at_a_glance(world, new_context, size):
    from classroom import actions as classroom_actions

    for i in range(28):
        classroom_actions.create_pupil(group=world.group, display_name=f"Leerling {i + 1:02}")
    lesson = world.fractions
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    width, height = size
    teacher = new_context().new_page()
    teacher.set_viewport_size({"width": width, "height": height})
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{lesson.pk}/")
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    # Thirty pupils: the page starts at a glance by itself.
    expect(teacher.get_by_test_id("compact-toggle")).to_have_attribute("aria-pressed", "true")
    tiles = teacher.get_by_test_id("entry-row")
    expect(tiles).to_have_count(30)
    # Every tile at once, in one look at the page (a live re-render cannot fall between).
    boxes = teacher.evaluate(
        """() => [...document.querySelectorAll('[data-testid=entry-row]')].map((e) => {
          const r = e.getBoundingClientRect();
          return { name: e.dataset.pupil, top: r.top, bottom: r.bottom, right: r.right,
                   width: r.width };
        })"""
    )
    assert len(boxes) == 30
    for box in boxes:
        assert box["width"] > 0 and box["top"] >= 0 and box["bottom"] <= height, box
        assert box["right"] <= width, box
    # The lesson's quadrant stands beside the class: on the digibord without scrolling.
    square = teacher.get_by_test_id("quadrant").locator("svg").bounding_box()
    assert square and square["x"] >= boxes[0]["right"], square
    if height >= 1080:
        assert square["y"] >= 0 and square["y"] + square["height"] <= height, square
    if os.environ.get("LEERREGIE_SHOTS"):
        teacher.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/compact-{width}.png")
    # A tile opens as the pupil's whole card, with "Beslis voor"; the choice is kept.
    noor = card(teacher, "Noor")
    noor.locator(".pupil-card-head").click()
    expect(noor.get_by_text("Beslis voor Noor")).to_be_visible()
    # The teacher's own choice is kept on this device.
    teacher.get_by_test_id("compact-toggle").click()
    expect(noor.get_by_test_id("goals-cell")).to_be_visible()  # the full cards again
    teacher.reload()
    expect(teacher.get_by_test_id("compact-toggle")).to_have_attribute("aria-pressed", "false")


def test_logging_out_in_another_tab_ends_the_live_dashboard(world, new_context):
    """The teacher logs out on another tab of the same laptop: the dashboard stops
    following the class at once and says so, instead of showing pupils' rows to whoever
    sits down next."""
    from classroom import actions as classroom_actions

    classroom_actions.start_lesson(world.fractions, acting_user=world.teacher)
    context = new_context()
    dashboard = context.new_page()
    log_in_teacher(dashboard)
    dashboard.goto(f"/leerkracht/les/{world.fractions.pk}/")
    expect(dashboard.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    other = context.new_page()
    other.goto("/leerkracht/")
    other.get_by_role("button", name="Uitloggen").click()
    expect(dashboard.locator("[data-dashboard][data-live='ended']")).to_have_count(1)
    expect(dashboard.get_by_test_id("connection")).to_contain_text(
        "Deze pagina volgt niet meer live"
    )
