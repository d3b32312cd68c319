"""A school admin brings the pupils in from ParnasSys (issue 21): a file with a BOM,
semicolons and a bad row is refused with the row named and nothing changed; the fixed
file's preview says who is new and who is linked; applying it puts the new pupils on the
login cards; the same file again changes nothing. On the school laptop (1366x657)."""

import os

import pytest
from playwright.sync_api import expect

from classroom import roster
from classroom.models import Pupil
from tests.classroom.test_roster import PARNASSYS
from tests.e2e.conftest import staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}
GOOD = PARNASSYS  # the same export the importer's own tests read
BAD = GOOD + "4716;Lieke;;Smit;7B\r\n"


def upload(page, text):
    page.get_by_label("Leerlingenbestand (CSV)").set_input_files(
        files=[{"name": "leerlingen.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_test_id("preview-roster").click()


def test_a_school_admin_imports_the_pupil_administration(world, new_context):
    page = new_context().new_page()
    page.set_viewport_size(LAPTOP)
    staff_login(page, "directeur.karin")
    page.get_by_test_id("import-pupils").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leerlingen importeren")
    pupils = Pupil.objects.count()

    upload(page, BAD)
    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("Rij 7: groep '7B' bestaat niet op OBS De Linde")
    expect(page.get_by_test_id("apply-roster")).to_have_count(0)
    assert Pupil.objects.count() == pupils

    upload(page, GOOD)
    preview = page.get_by_test_id("roster-preview")
    expect(preview.get_by_test_id("roster-add")).to_contain_text("Fatima (Groep 6)")
    expect(preview.get_by_test_id("roster-add")).to_contain_text("Zoë (Groep 3)")
    expect(preview.get_by_test_id("roster-link")).to_contain_text("Noor (Groep 6)")
    if os.environ.get("LEERREGIE_SHOTS"):
        page.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/roster-preview.png", full_page=True)
    assert Pupil.objects.count() == pupils  # a preview writes nothing
    page.get_by_test_id("apply-roster").click()
    expect(page.get_by_text("Verwerkt: 2 nieuw")).to_be_visible()
    fatima = Pupil.objects.get(display_name="Fatima")
    assert fatima.group == world.group and fatima.roster_key != "4713"
    world.school.refresh_from_db()  # its secret, made by the first import
    assert fatima.roster_key == roster.digest(world.school, "4713")  # the number, not kept

    # The new pupil is on the class's login cards, with a picture and code of her own.
    page.goto(f"/leerkracht/groep/{world.group.pk}/kaarten/")
    expect(page.get_by_text("Fatima", exact=True)).to_be_visible()

    page.goto(f"/leerkracht/school/{world.school.pk}/leerlingen/importeren/")
    upload(page, GOOD)
    expect(page.get_by_test_id("roster-preview")).to_contain_text("Niets te veranderen")
    expect(page.get_by_test_id("roster-unchanged")).to_contain_text("5 leerlingen blijven")
    expect(page.get_by_test_id("apply-roster")).to_have_count(0)
    assert Pupil.objects.count() == pupils + 2
