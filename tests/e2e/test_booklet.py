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
