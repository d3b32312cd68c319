"""A school admin brings the teachers in (issue 21): a staff file with a bad row is
refused with the row named; the fixed file's preview names the new teacher and her
groups; applied, the page hands out her password link; on it she chooses a password and
logs in with her e-mail address, and sees her groups. On the school laptop (1366x657)."""

import os

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}
GOOD = (
    "\ufeffE-mailadres;Roepnaam;Tussenvoegsel;Achternaam;Groepen\r\n"
    "s.devries@delinde.nl;Sanne;de;Vries;Groep 6, 3\r\n"
)
BAD = GOOD + "t.bos@delinde.nl;Tim;;Bos;7B\r\n"


def upload(page, text):
    page.get_by_label("Leerkrachtenbestand (CSV)").set_input_files(
        files=[{"name": "leerkrachten.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_test_id("preview-staff").click()


def test_a_school_admin_imports_the_teachers_and_a_new_teacher_logs_in(world, new_context):
    admin = new_context().new_page()
    admin.set_viewport_size(LAPTOP)
    staff_login(admin, "directeur.karin")
    admin.get_by_test_id("import-teachers").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Leerkrachten importeren")

    upload(admin, BAD)
    expect(admin.get_by_test_id("import-error")).to_contain_text(
        "Rij 3: groep '7B' bestaat niet op OBS De Linde"
    )
    expect(admin.get_by_test_id("apply-staff")).to_have_count(0)
    assert not get_user_model().objects.filter(email="s.devries@delinde.nl").exists()

    upload(admin, GOOD)
    expect(admin.get_by_test_id("staff-add")).to_contain_text(
        "Sanne de Vries <s.devries@delinde.nl>: + Groep 3, Groep 6"
    )
    admin.get_by_test_id("apply-staff").click()
    expect(admin.get_by_text("Verwerkt: 1 nieuwe accounts")).to_be_visible()
    link = admin.get_by_label("Wachtwoordlink voor Sanne de Vries")
    if os.environ.get("LEERREGIE_SHOTS"):
        admin.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/staff-import.png", full_page=True)
    address = link.input_value()

    sanne = new_context().new_page()
    sanne.set_viewport_size(LAPTOP)
    sanne.goto(address)
    expect(sanne.get_by_test_id("set-password")).to_contain_text(
        "Je logt in met s.devries@delinde.nl"
    )
    sanne.get_by_label("Nieuw wachtwoord", exact=True).fill("lang en geheim 2026")
    sanne.get_by_label("Nieuw wachtwoord bevestigen").fill("lang en geheim 2026")
    sanne.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(sanne.get_by_text("Je wachtwoord is ingesteld")).to_be_visible()
    staff_login(sanne, "S.deVries@delinde.nl", "lang en geheim 2026")
    expect(sanne.get_by_text("Groep 6").first).to_be_visible()
    expect(sanne.get_by_text("Groep 3").first).to_be_visible()

    # The link is spent, and the admin's page no longer lists her.
    admin.reload()
    expect(admin.get_by_test_id("password-link")).to_have_count(0)
    other = new_context().new_page()
    other.goto(address)
    expect(other.get_by_test_id("link-expired")).to_be_visible()
