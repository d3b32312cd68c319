"""The planbord live on several screens: two children and the teacher."""

import pytest
from playwright.sync_api import expect

from planboard import actions
from planboard.models import Plan
from tests.e2e.test_logbook import log_in_teacher
from tests.e2e.test_login_flows import _small_targets, open_class_as_pupil, tap_code
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_world):
    world = transactional_world
    telspel = actions.create_activity(
        group=world.group, name="Telspel", pictogram="star", capacity=1
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
    expect(daan.get_by_test_id("board-state")).to_have_text("Vol!")
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
    assert world.pupil.photos.count() == 2  # the world's photo and this one
    check = noor.get_by_test_id("plan-Bouwhoek").locator("[data-tick]")
    check.tap()
    expect(noor.get_by_test_id("plan-Bouwhoek").locator("[data-tick]")).to_have_attribute(
        "aria-pressed", "true"
    )
    world.plan.refresh_from_db()
    assert world.plan.done is True


def test_the_digibord_shows_the_board_without_names(world, new_context):
    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/planbord/{world.board.pk}/digibord/")
    expect(teacher.locator("[data-planboard][data-live='1']")).to_have_count(1)
    expect(tile(teacher, "Bouwhoek")).to_contain_text("1/2")
    content = teacher.locator("main").inner_text()
    assert "Noor" not in content and "Daan" not in content
