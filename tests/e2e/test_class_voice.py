"""The pupils' voice reaches the teacher, and the teacher's answer the pupil, live: Noor
says how the lesson went on her tablet; "Nieuw van de klas" on the teacher's laptop shows
it without a reload, with the level's words; the teacher's thumb and comment appear on
Noor's logbook without a reload, read aloud on a tap."""

import os

import pytest
from playwright.sync_api import expect

from classroom import actions as classroom_actions
from tests.e2e.test_logbook import add_fractions, go_to_step, log_in_teacher, tap_and_wait
from tests.e2e.test_login_flows import log_in_as_noor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_world):
    return add_fractions(transactional_world)


def test_a_reflection_reaches_the_teacher_and_her_thumb_reaches_the_pupil(world, new_context):
    lesson = world.fractions
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    teacher = new_context().new_page()
    teacher.set_viewport_size({"width": 1366, "height": 657})
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/")
    teacher.get_by_test_id("open-class-voice").click()
    expect(teacher.locator("[data-class-voice][data-live='1']")).to_have_count(1)
    # Only the photo Noor took in an earlier lesson so far.
    expect(teacher.get_by_test_id("voice-item")).to_have_count(1)
    expect(teacher.get_by_test_id("voice-item")).to_have_attribute("data-kind", "photo")

    pupil = new_context(touch=True).new_page()
    log_in_as_noor(pupil, world)
    pupil.goto(f"/leerling/logboek/{lesson.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-goal", "goal-G6-3.2")
    refreshes = pupil.locator("[data-logbook]").get_attribute("data-refreshes")
    go_to_step(pupil, "evaluation")
    evaluation = pupil.get_by_test_id("section-evaluation")
    # The goal just chosen is asked about at once, without fetching the page (a fetch
    # landing between taps would wipe them), and the others on offer are not.
    expect(evaluation.get_by_test_id("eval-G6-3.2-3")).to_be_visible()
    expect(evaluation.get_by_test_id("eval-G6-3.1-3")).to_be_hidden()
    assert pupil.locator("[data-logbook]").get_attribute("data-refreshes") == refreshes
    evaluation.get_by_test_id("eval-G6-3.2-3").tap()
    evaluation.get_by_test_id("mood-great").tap()
    evaluation.locator("textarea").fill("Breuken zijn net pizza's")
    evaluation.get_by_test_id("evaluate").tap()
    expect(pupil.get_by_test_id("evaluation-state")).to_have_text("Evaluatie bewaard")
    go_to_step(pupil, "evaluation")  # mid-lesson the logbook moves on: she looks back

    # The teacher's page follows by itself: Noor's words, the level's descriptor, her mood.
    item = teacher.locator("[data-testid=voice-item][data-kind=reflection]")
    expect(item).to_contain_text("Breuken zijn net pizza's")
    expect(item).to_contain_text("Noor")
    from goals.models import Goal

    descriptor = Goal.objects.get(code="G6-3.2").levels.get(position=3).descriptor
    expect(item.get_by_test_id("voice-level")).to_contain_text(descriptor)
    expect(item.get_by_test_id("voice-mood")).to_be_visible()
    if os.environ.get("LEERREGIE_SHOTS"):
        teacher.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/class-voice.png")

    item.get_by_test_id("react-thumb").click()
    item = teacher.locator("[data-testid=voice-item][data-kind=reflection]")
    expect(
        item.get_by_test_id("voice-reactions").get_by_role("img", name="Duim omhoog")
    ).to_be_visible()
    # Enter sends the comment only: no second thumb by accident.
    item.get_by_test_id("react-comment").fill("Wat een goede vergelijking!")
    item.get_by_test_id("react-comment").press("Enter")
    item = teacher.locator("[data-testid=voice-item][data-kind=reflection]")
    expect(item.get_by_test_id("voice-reactions")).to_contain_text("Wat een goede vergelijking!")
    expect(item.get_by_test_id("react-thumb")).to_have_count(0)  # one thumb is enough

    # Noor's logbook shows it without a reload: the thumb and the words.
    reactions = pupil.get_by_test_id("teacher-reaction")
    expect(reactions).to_have_count(2)
    expect(reactions.first.get_by_role("img", name="Duim omhoog")).to_be_visible()
    reaction = reactions.nth(1)
    expect(reaction).to_contain_text("Wat een goede vergelijking!")
    expect(
        reaction.get_by_role("button", name="Voorlezen: Wat een goede vergelijking!")
    ).to_be_visible()
    if os.environ.get("LEERREGIE_SHOTS"):
        pupil.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/pupil-reaction.png")

    # Noor is rewriting her words when another answer comes: what she types stays, and
    # the answer appears once she has sent it.
    pupil.get_by_test_id("edit-evaluation").tap()
    words = pupil.get_by_test_id("evaluation-text")
    words.fill("Breuken zijn net pizza's, en taart")
    item.get_by_test_id("react-comment").fill("Taart ook!")
    item.get_by_test_id("react-comment").press("Enter")
    expect(teacher.locator("[data-testid=voice-reactions]")).to_contain_text("Taart ook!")
    pupil.wait_for_timeout(1500)  # the change has reached her page by now
    expect(words).to_have_value("Breuken zijn net pizza's, en taart")
    pupil.get_by_test_id("section-evaluation").get_by_test_id("evaluate").tap()
    expect(pupil.get_by_test_id("saved-words")).to_contain_text("en taart")
    expect(pupil.get_by_test_id("teacher-reaction")).to_have_count(3)
