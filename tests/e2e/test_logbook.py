"""A whole lesson for one pupil, in two real browsers: the pupil's tablet and the
teacher's laptop."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from classroom import actions
from goals.models import SelfAssessment
from logbook.models import LogbookEntry, Photo
from tests.e2e.test_login_flows import _small_targets, log_in_as_noor
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_fractions(world):
    """The shared world plus a lesson in which pupils choose goal, instruction, partner
    and place."""
    world.fractions = actions.create_lesson(
        group=world.group,
        title="Breuken oefenen",
        subject="rekenen",
        goal_openness="choice",
        instruction_openness="free",
        partner_openness="choice",
        place_openness="free",
    )
    actions.configure_lesson(world.fractions, goals=list(world.block.goals.all()))
    return world


@pytest.fixture
def world(transactional_world):
    return add_fractions(transactional_world)


def log_in_teacher(page):
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill("juf.mirjam")
    page.get_by_label("Wachtwoord").fill("correct horse 42")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("group-list")).to_be_visible()


def go_to_step(page, step):
    """One step per screen: the strip of pictures opens any step."""
    page.get_by_test_id(f"strip-{step}").tap()
    expect(page.locator(f"[data-logbook][data-step='{step}']")).to_have_count(1)


def tap_and_wait(page, section, testid):
    if not page.get_by_test_id(section).is_visible():
        go_to_step(page, section.removeprefix("section-"))
    page.get_by_test_id(section).get_by_test_id(testid).tap()
    expect(page.get_by_test_id(section).get_by_test_id(testid)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_test_id("save-state")).to_have_text("Bewaard")


def test_a_whole_lesson_for_one_pupil(world, new_context, tmp_path):
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/")
    teacher.get_by_test_id("lesson-link").filter(has_text="Breuken oefenen").click()
    teacher.get_by_test_id("start-lesson").click()
    expect(teacher.get_by_test_id("lesson-running")).to_be_visible()

    # The pupil's entry: goal, instruction with a reason, partner, place.
    pupil = new_context(touch=True).new_page()
    log_in_as_noor(pupil, world)
    pupil.get_by_test_id("open-logbook").filter(has_text="Breuken oefenen").tap()
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    tap_and_wait(pupil, "section-goal", "goal-G6-3.2")
    tap_and_wait(pupil, "section-instruction", "instruction-yes")
    tap_and_wait(pupil, "section-instruction", "reason-dont_understand")
    tap_and_wait(pupil, "section-partner", "partner-Daan")
    tap_and_wait(pupil, "section-place", "place-Stiltehoek")
    assert _small_targets(pupil) == []

    # The teacher sees it (live, no reload), and decides Noor works without instruction.
    row = teacher.locator("[data-testid=entry-row][data-pupil='Noor']")
    expect(row).to_contain_text("G6-3.2")
    expect(row).to_contain_text("Ik snap het nog niet")
    expect(row).to_contain_text("Daan")
    expect(row).to_contain_text("Stiltehoek")
    row.get_by_text("Beslis voor Noor").click()
    row.get_by_role("button", name="Geen instructie").click()
    # The confirmation stands next to what was tapped, in Noor's card.
    expect(row.get_by_test_id("override-status")).to_have_text("Aangepast voor Noor.")
    expect(row.get_by_test_id("instruction-cell")).to_contain_text("nee T")
    # She asked for the instruction and is not in the group: the teacher's page says so.
    alert = teacher.get_by_test_id("alert-instruction")
    expect(alert).to_contain_text("Vroeg om instructie en zit niet in de instructiegroep: Noor.")
    # The teacher meant it: "Gezien" quiets it for this lesson, also after a reload.
    alert.get_by_test_id("alert-instruction-seen").click()
    expect(alert).to_have_count(0)
    teacher.reload()
    expect(teacher.locator("[data-dashboard][data-live='1']")).to_have_count(1)
    expect(teacher.get_by_test_id("alert-instruction")).to_have_count(0)
    row = teacher.locator("[data-testid=entry-row][data-pupil='Noor']")

    # The pupil sees the change (live, no reload) and cannot undo it.
    go_to_step(pupil, "instruction")
    instruction = pupil.get_by_test_id("section-instruction")
    expect(instruction).to_contain_text("Dit heeft je juf of meester voor je gekozen.")
    expect(instruction.get_by_test_id("instruction-value")).to_have_text("Nee, ik werk zelf.")
    expect(instruction.get_by_test_id("instruction-yes")).to_have_count(0)

    # Evaluation with a photo (taken on a tablet: with a GPS position in its EXIF).
    go_to_step(pupil, "evaluation")
    evaluation = pupil.get_by_test_id("section-evaluation")
    evaluation.get_by_test_id("eval-G6-3.2-3").tap()
    evaluation.get_by_test_id("mood-great").tap()
    photo_file = tmp_path / "werk.jpg"
    photo_file.write_bytes(jpeg_bytes(size=(2000, 1500), orientation=6))
    evaluation.locator("[data-photo-input]").set_input_files(str(photo_file))
    expect(evaluation.get_by_test_id("photo-state")).to_have_text("Foto bewaard")
    expect(evaluation.locator("[data-thumbs] img")).to_have_count(1)
    evaluation.get_by_test_id("evaluate").tap()
    expect(pupil.get_by_test_id("evaluation-state")).to_have_text("Evaluatie bewaard")
    expect(pupil.get_by_test_id("saved-photos").locator("img")).to_have_count(1)
    # The teacher's card shows how it went, with its picture (it once was a 404).
    mood = row.get_by_role("img", name="Het ging goed")
    expect(mood).to_be_visible()
    teacher.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=mood.element_handle()
    )

    entry = LogbookEntry.objects.get(pupil=world.pupil, lesson=world.fractions)
    assert entry.mood == "great"
    assert entry.decided_by == {
        "goal": "pupil",
        "instruction": "teacher",
        "partner": "pupil",
        "place": "pupil",
    }
    assert SelfAssessment.objects.filter(pupil=world.pupil, goal__code="G6-3.2").last().level == 3
    photo = Photo.objects.get(pupil=world.pupil, lesson=world.fractions)
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert len(stored.getexif()) == 0 and "exif" not in stored.info
    assert stored.height > stored.width  # upright, as the tablet was held
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    with photo.thumbnail.open("rb") as handle:
        assert max(Image.open(io.BytesIO(handle.read())).size) == 320
