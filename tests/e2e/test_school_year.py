"""The school year's turn in the browser (issue 21): the school admin sees where every
pupil goes, is told which pupil needs a choice, chooses, and begins the new year on the
school laptop (1366x657); Noor then logs in to her new group with her new login card on
a throttled Chromebook and her doelenboekje shows last year's block, to look back at."""

import os

import pytest
from playwright.sync_api import expect

from classroom import actions
from classroom.models import Group, Pupil
from tests.e2e.conftest import staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}


def shot(page, name):
    if os.environ.get("LEERREGIE_SHOTS"):
        page.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/{name}.png", full_page=True)


def test_the_turn_and_last_years_blocks_in_the_doelenboekje(world, new_context):
    actions.create_group(school=world.school, name="Groep 7", year_from=7, teachers=[world.teacher])
    page = new_context().new_page()
    page.set_viewport_size(LAPTOP)
    staff_login(page, "directeur.karin")
    page.get_by_test_id("new-school-year").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuw schooljaar")
    # Groep 3 has nowhere to go: the school has no groep 4 yet.
    expect(page.get_by_test_id("turn-error")).to_have_text(
        ["Sem: geen groep heeft volgend jaar groep 4. Kies een groep."]
    )
    expect(page.get_by_test_id("turn-moving")).to_contain_text("2 leerlingen gaan een jaar verder")
    expect(page.get_by_label("Noor")).to_have_value(str(Group.objects.get(name="Groep 7").pk))
    shot(page, "turn-preview")
    page.get_by_label("Sem").select_option(label="gaat van school")
    page.get_by_test_id("turn-preview").click()
    expect(page.get_by_test_id("turn-errors")).to_have_count(0)
    expect(page.get_by_test_id("turn-leaving")).to_contain_text("1 leerling gaat van school")
    assert not Group.objects.filter(archived_at__isnull=False).exists()  # a preview
    page.get_by_test_id("turn-apply").click()
    expect(page.get_by_text("is begonnen: 3 groepen, 2 leerlingen")).to_be_visible()
    expect(page.get_by_test_id("past-groups")).to_be_visible()
    shot(page, "turn-done")

    noor = Pupil.objects.select_related("group").get(pk=world.pupil.pk)
    assert noor.group.name == "Groep 7" and noor.group.archived_at is None
    assert not Pupil.objects.get(pk=world.other_pupil.pk).active

    # Noor on a Chromebook with her new login card: the new class code and pictures.
    context = new_context()
    pupil_page = context.new_page()
    pupil_page.set_viewport_size(LAPTOP)
    context.new_cdp_session(pupil_page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    pupil_page.goto(f"/klas/{world.group.class_code}/")
    expect(pupil_page.get_by_test_id("pupil-tile")).to_have_count(0)  # last year's code
    pupil_page.goto(f"/klas/{noor.group.class_code}/")
    pupil_page.get_by_test_id("pupil-tile").filter(has_text="Noor").click()
    expect(pupil_page.locator("form.picture-code[data-ready]")).to_have_count(1)
    for key in noor.code_sequence:
        pupil_page.get_by_test_id(f"code-{key}").click()
    expect(pupil_page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")
    pupil_page.get_by_test_id("open-booklet").click()
    earlier = pupil_page.get_by_test_id("earlier-block")
    expect(earlier).to_have_count(1)
    expect(earlier).to_contain_text("Rekenen blok 3")
    expect(earlier).to_contain_text(f"Groep 6 · {world.group.school_year_label}")
    earlier.click()
    expect(pupil_page.get_by_test_id("past-block")).to_contain_text("eerder schooljaar")
    card = pupil_page.get_by_test_id("goal").filter(has_text="Ik kan breuken vergelijken.")
    expect(card.get_by_test_id("level-2")).to_have_attribute("aria-pressed", "true")
    expect(card.get_by_test_id("level-3")).to_be_disabled()
    expect(card.get_by_test_id("star")).to_have_count(0)
    expect(card.get_by_test_id("take-photo")).to_have_count(0)
    shot(pupil_page, "booklet-earlier-year")
