"""Logging in on the devices pupils have, without scrolling: an old Chromebook (1366x657
usable, CPU throttled 4x) and a kleuter's touch tablet (800x1280). A class of 30 and
the picture-code pad fit the screen; a QR code can be scanned where the browser can."""

import pytest
from playwright.sync_api import expect

from classroom import actions
from tests.e2e.test_login_flows import tap_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = {
    "chromebook": ({"width": 1366, "height": 657}, False),
    "tablet": ({"width": 800, "height": 1280}, True),
}
NAMES = ["Anne-Sophie", "Mohammed", "Fatima", "Jayden", "Emma", "Liam", "Sara", "Yusuf",
         "Julia", "Finn", "Mila", "Bram", "Zoë", "Ravi", "Tess", "Luuk", "Eva", "Milan",
         "Lina", "Thijs", "Nora", "Jesse", "Isa", "Ayoub", "Femke", "Gijs", "Lotte",
         "Sem", "Daan", "Noor"]  # fmt: skip

# What is on the screen: the page is no taller than the viewport, and each of `selector`
# lies wholly inside it.
FITS = """(selector) => {
  const els = [...document.querySelectorAll(selector)];
  const outside = els.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth;
  }).map((el) => el.textContent.trim() || el.dataset.testid || el.className);
  return {count: els.length, scroll: document.documentElement.scrollHeight,
          height: innerHeight, outside};
}"""


def device_page(new_context, device):
    viewport, touch = DEVICES[device]
    context = new_context(touch=touch)
    page = context.new_page()
    page.set_viewport_size(viewport)
    if device == "chromebook":
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page


def assert_fits(page, selector, count):
    seen = page.evaluate(FITS, selector)
    assert seen["count"] == count
    assert seen["scroll"] <= seen["height"], seen
    assert seen["outside"] == []


def tap(page, device, locator):
    locator.tap() if DEVICES[device][1] else locator.click()


@pytest.mark.parametrize("device", DEVICES)
def test_a_class_of_thirty_fits_the_screen(world, new_context, device):
    bears = actions.create_group(school=world.school, name="De Beren", year_from=1, year_to=2)
    for name in NAMES:
        actions.create_pupil(group=bears, display_name=name)
    page = device_page(new_context, device)
    page.goto(f"/klas/{bears.class_code}/")
    assert_fits(page, "[data-testid=pupil-tile]", 30)
    tap(page, device, page.get_by_test_id("pupil-tile").filter(has_text="Mohammed"))
    expect(page.get_by_role("heading", name="Mohammed")).to_be_visible()


@pytest.mark.parametrize("device", DEVICES)
def test_the_picture_code_pad_fits_the_screen_also_after_a_wrong_code(world, new_context, device):
    page = device_page(new_context, device)
    page.goto(f"/klas/{world.group.class_code}/")
    tap(page, device, page.get_by_test_id("pupil-tile").filter(has_text="Noor"))
    expect(page.locator("form.picture-code[data-ready]")).to_have_count(1)
    targets = ".code-key, .slot, [data-testid=code-clear], [data-speak]"
    assert_fits(page, targets, 12 + 3 + 1 + 1)
    # Six pictures a row, two rows: the whole pad at a glance.
    tops = page.locator(".code-key").evaluate_all(
        "(keys) => keys.map((k) => Math.round(k.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 2
    for key in ["star", "fish", "sun"]:
        tap(page, device, page.get_by_test_id(f"code-{key}"))
    expect(page.get_by_test_id("wrong-code")).to_be_visible()
    expect(page.locator("form.picture-code[data-ready]")).to_have_count(1)
    assert_fits(page, targets, 12 + 3 + 1 + 1)
    tap_code_on(page, device, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")


def tap_code_on(page, device, keys):
    if DEVICES[device][1]:
        tap_code(page, keys)
        return
    for key in keys:
        page.get_by_test_id(f"code-{key}").click()


# A camera and a QR reader for a browser that has none (headless Chromium on Linux):
# the camera films coloured noise, the reader "sees" whatever window.__qr holds.
FAKE_SCANNER = """
window.BarcodeDetector = class {
  async detect() { return window.__qr ? [{ rawValue: window.__qr, format: "qr_code" }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = Object.assign(document.createElement("canvas"), { width: 320, height: 240 });
  const g = canvas.getContext("2d");
  setInterval(() => {
    g.fillStyle = `hsl(${Math.random() * 360} 60% 50%)`;
    g.fillRect(0, 0, 320, 240);
  }, 50);
  return canvas.captureStream(20);
};
"""


def scanning_tablet(new_context):
    """A touch tablet on /klas/ with the camera scanning (FAKE_SCANNER's reader)."""
    context = new_context(touch=True)
    context.add_init_script(FAKE_SCANNER)
    page = context.new_page()
    page.goto("/klas/")
    expect(page.locator("[data-scan][data-ready]")).to_have_count(1)
    page.get_by_test_id("scan-start").tap()
    expect(page.get_by_test_id("scan-video")).to_be_visible()
    return page


def requested_paths(page) -> list[str]:
    """The URLs `page` asks the server for from now on (a fragment is never sent)."""
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url.partition("#")[0]))
    return paths


def test_a_pupil_scans_their_login_card_and_still_taps_their_code(world, new_context):
    page = scanning_tablet(new_context)
    # Somebody else's QR code opens nothing.
    page.evaluate("window.__qr = 'https://example.org/klas/ABCDEF/x/'")
    expect(page.get_by_test_id("scan-message")).to_contain_text("geen QR-code van een klas")
    assert page.url.endswith("/klas/")
    requested = requested_paths(page)
    card = f"{page.url.split('/klas/')[0]}/klas/{world.group.class_code}/#{world.pupil.login_token}"
    page.evaluate(f"window.__qr = {card!r}")
    expect(page.get_by_role("heading", name="Noor")).to_be_visible()
    assert page.url.endswith(f"/klas/{world.group.class_code}/code/")
    # No history entry keeps the token: "back" leads to a page without it (the scanner,
    # as Chromium replaces a page that moves on while loading) and stays there.
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert "#" not in page.url and world.pupil.login_token not in page.url
    page.goto(f"/klas/{world.group.class_code}/")
    page.get_by_test_id("pupil-tile").filter(has_text="Noor").tap()
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")
    assert requested and not [url for url in requested if world.pupil.login_token in url]


def test_a_card_printed_before_the_token_left_the_url_still_opens_the_pupils_pad(
    world, new_context
):
    """An old card's QR (/klas/<code>/<token>/) is opened with the token behind the #."""
    page = scanning_tablet(new_context)
    requested = requested_paths(page)
    base = page.url.split("/klas/")[0]
    old_card = f"{base}/klas/{world.group.class_code}/{world.pupil.login_token}/"
    page.evaluate(f"window.__qr = {old_card!r}")
    expect(page.get_by_role("heading", name="Noor")).to_be_visible()
    assert not [url for url in requested if world.pupil.login_token in url]


def test_the_printed_cards_qr_read_by_a_real_qr_reader_logs_that_pupil_in(world, new_context):
    """The QR as Chromium draws it on the teacher's login cards, read from the pixels by
    a real QR decoder (zxing-cpp), is what the scanner on /klas/ is shown: it opens Noor's
    picture-code page and nobody else's."""
    import io

    import zxingcpp
    from PIL import Image

    from tests.e2e.test_logbook import log_in_teacher

    teacher = new_context().new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/groep/{world.group.pk}/kaarten/")
    card = teacher.get_by_test_id("login-card").filter(has_text="Noor")
    shot = card.get_by_test_id("card-qr").screenshot()
    (read,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert read.format == zxingcpp.BarcodeFormat.QRCode
    assert read.text.endswith(f"/klas/{world.group.class_code}/#{world.pupil.login_token}")

    page = scanning_tablet(new_context)
    page.evaluate("(text) => { window.__qr = text; }", read.text)
    expect(page.get_by_role("heading", name="Noor")).to_be_visible()
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")


def test_without_a_qr_reader_there_is_no_scan_button(world, new_context):
    context = new_context(touch=True)
    context.add_init_script("delete window.BarcodeDetector;")
    page = context.new_page()
    page.goto("/klas/")
    expect(page.locator("[data-scan][data-ready]")).to_have_count(1)
    expect(page.get_by_test_id("scan-start")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Klascode")).to_be_visible()
