"""A school admin's second factor in Chromium (issue 21): at her first login the password
opens the set-up step; the QR code, read by a real decoder, is the authenticator link for
her account; a wrong code is refused; the app's code logs her in and the recovery codes
are shown once. At the next login the code from her phone is asked and works; a
recovery code works instead. On the school laptop (1366x657)."""

import io
import os
import time
from urllib.parse import parse_qs, urlparse

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.otp import code_for_setup, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}


def password(page, username="directeur.karin"):
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("correct horse 42")
    page.get_by_role("button", name="Inloggen").click()


def test_a_school_admin_sets_up_and_uses_a_code(world, new_context):
    page = new_context().new_page()
    page.set_viewport_size(LAPTOP)
    password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel je tweede stap in")
    page.goto("/leerkracht/")  # the password alone opens nothing
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()
    page.go_back()
    page.reload()

    key = page.get_by_test_id("setup-key").inner_text()
    shot = page.get_by_test_id("setup-qr").screenshot()
    (read,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    link = urlparse(read.text)
    assert (link.scheme, link.netloc) == ("otpauth", "totp")
    assert "directeur.karin" in link.path and parse_qs(link.query)["issuer"] == ["Leerregie"]
    assert parse_qs(link.query)["secret"][0] == key.replace(" ", "")
    if os.environ.get("LEERREGIE_SHOTS"):
        page.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/second-factor-setup.png")

    page.get_by_label("Code").fill("123456")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Deze code klopt niet")
    time.sleep(1.1)  # django-otp waits a second after a wrong code
    page.get_by_label("Code").fill(code_for_setup(key))
    page.get_by_role("button", name="Inloggen").click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    if os.environ.get("LEERREGIE_SHOTS"):
        page.screenshot(path=f"{os.environ['LEERREGIE_SHOTS']}/second-factor-recovery.png")
    page.get_by_test_id("recovery-continue").click()
    expect(page.get_by_test_id("import-pupils")).to_be_visible()

    # The next login asks the code from her phone.
    again = new_context().new_page()
    again.set_viewport_size(LAPTOP)
    password(again)
    expect(again.get_by_role("heading", level=1)).to_have_text("Je code")
    again.get_by_label("Code").fill(code_of(world.school_admin))
    again.get_by_role("button", name="Inloggen").click()
    expect(again.get_by_test_id("import-pupils")).to_be_visible()

    # Phone left at home: a recovery code, once.
    spare = new_context().new_page()
    password(spare)
    spare.get_by_label("Code").fill(recovery)
    spare.get_by_role("button", name="Inloggen").click()
    expect(spare.get_by_test_id("import-pupils")).to_be_visible()
