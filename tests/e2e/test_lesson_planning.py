"""A teacher prepares and starts lessons from the group page on her laptop (1366x657),
never opening Beheer (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom.models import Lesson
from tests.e2e.test_logbook import log_in_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= LAPTOP["height"]


def test_a_teacher_plans_copies_and_starts_a_lesson_from_the_group_page(world, new_context):
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(LAPTOP)
    admin_requests = []
    page.on("request", lambda r: "/admin/" in r.url and admin_requests.append(r.url))
    log_in_teacher(page)
    page.get_by_test_id("group-list").get_by_role("link").first.click()

    # The day comes first: "Nieuwe les" in the first laptop screen.
    new_lesson = page.get_by_test_id("new-lesson")
    assert in_first_screen(page, new_lesson)
    new_lesson.click()

    form = page.get_by_test_id("lesson-form")
    form.get_by_label("Titel").fill("Procenten")
    regie = page.locator("[data-regie]")
    expect(regie).to_have_text("0%")
    page.get_by_test_id("preset-options").click()
    expect(regie).to_have_text("50%")
    # One aspect opened all the way, in words: the pupils choose their place themselves.
    page.locator("fieldset", has_text="Waar werken ze?").get_by_text("Ze bepalen het zelf").click()
    expect(regie).to_have_text("60%")
    # Only this group's goals, searchable.
    page.get_by_test_id("goal-search").fill("procent")
    options = page.get_by_test_id("goal-option")
    expect(options.filter(visible=True)).to_have_count(1)
    options.filter(visible=True).click()
    expect(page.get_by_text("Ik kan een tekst hardop lezen.")).to_have_count(0)
    page.get_by_test_id("place-option").filter(has_text="Stiltehoek").click()
    page.get_by_test_id("save-lesson").click()

    # Back on the day: the new lesson is today's, with Start.
    row = page.get_by_test_id("today-lesson-row").filter(has_text="Procenten")
    expect(row).to_be_visible()
    expect(row).to_contain_text("beoogde regie 60%")
    lesson = Lesson.objects.get(title="Procenten")
    assert lesson.place_openness == "free" and lesson.goal_openness == "choice"
    assert [g.code for g in lesson.goal_options.all()] == ["G6-3.2"]
    assert [p.name for p in lesson.place_options.all()] == ["Stiltehoek"]

    # Copy it to next week: the form comes filled in, only the date changes.
    row.get_by_test_id("copy-lesson").click()
    expect(form.get_by_label("Titel")).to_have_value("Procenten")
    expect(regie).to_have_text("60%")
    next_week = timezone.localdate() + timedelta(days=7)
    form.get_by_label("Datum").fill(next_week.isoformat())
    page.get_by_test_id("save-lesson").click()
    coming = page.get_by_test_id("upcoming-lesson-row").filter(has_text="Procenten")
    expect(coming).to_be_visible()
    copy = Lesson.objects.get(title="Procenten", date=next_week)
    assert [g.code for g in copy.goal_options.all()] == ["G6-3.2"]
    assert copy.place_openness == "free"

    # Start today's from the group page: its dashboard opens, running.
    row = page.get_by_test_id("today-lesson-row").filter(has_text="Procenten")
    assert in_first_screen(page, row.get_by_test_id("start-lesson"))
    row.get_by_test_id("start-lesson").click()
    expect(page.get_by_test_id("lesson-running")).to_be_visible()
    assert page.url.endswith(f"/leerkracht/les/{lesson.pk}/")
    page.go_back()
    page.reload()
    expect(
        page.get_by_test_id("today-lesson-row")
        .filter(has_text="Procenten")
        .get_by_test_id("open-dashboard")
    ).to_be_visible()

    # The copy has not started: it can be deleted (after a confirmation).
    page.get_by_test_id("upcoming-lesson-row").filter(has_text="Procenten").get_by_test_id(
        "edit-lesson"
    ).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("delete-lesson").click()
    expect(page.get_by_test_id("upcoming-lesson-row").filter(has_text="Procenten")).to_have_count(0)
    assert not Lesson.objects.filter(pk=copy.pk).exists()
    assert admin_requests == []
