"""Each pupil's login card carries a QR code of their own: it opens their picture-code
page, where the secret pictures are still asked. Their login token is in the QR's
fragment (after #), which a browser keeps to itself: class-grid.js taps their tile
(tests/e2e/test_login_fit.py scans it)."""

import re

from frontend.views.auth import picture_code_url, qr_svg
from tests.conftest import choose_pupil

CARD_QR = re.compile(
    r'<div class="qr" data-login-url="([^"]+)" data-testid="card-qr">(.*?)</div>', re.S
)


def _cards(world, client):
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/groep/{world.group.pk}/kaarten/").content.decode()
    return CARD_QR.findall(page)


def test_every_card_has_the_qr_of_its_own_pupils_picture_code_page(world, client, rf):
    cards = _cards(world, client)
    pupils = sorted([world.pupil, world.classmate], key=lambda p: p.display_name)
    expected = [f"http://testserver/klas/{world.group.class_code}/#{p.login_token}" for p in pupils]
    assert [url for url, _svg in cards] == expected
    for url, svg in cards:
        # The QR on the card is the one made for exactly that URL (segno cannot decode;
        # the same function drawing the same data gives the same modules).
        assert svg == qr_svg(url)
    assert cards[0][1] != cards[1][1]
    assert picture_code_url(rf.get("/"), world.pupil) in expected


def test_a_cards_qr_opens_that_pupils_picture_code_page_and_still_asks_the_code(world, client):
    cards = dict((url, svg) for url, svg in _cards(world, client))
    client.logout()
    url = next(u for u in cards if world.pupil.login_token in u)
    # What the browser asks for: the class grid (the fragment stays in the browser) ...
    address, _, token = url.removeprefix("http://testserver").partition("#")
    assert address == f"/klas/{world.group.class_code}/" and token == world.pupil.login_token
    grid = client.get(address)
    assert f'name="pupil" value="{token}"' in grid.content.decode()
    # ... then its script taps the tile of the token.
    page = client.get(choose_pupil(client, world.pupil)["Location"])
    assert page.status_code == 200
    assert page.context["pupil"] == world.pupil
    assert 'class="picture-code"' in page.content.decode()
    # Opening the page logs nobody in: the pictures are still needed.
    assert "_auth_user_id" not in client.session
    assert client.get("/leerling/").status_code == 302
