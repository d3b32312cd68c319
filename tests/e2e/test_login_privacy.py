"""A pupil's login leaves nothing in the URLs that tells who logged in (issue 19): the
browser never asks for a URL with the login token or anything of that pupil's own, and
daphne's access log (as `make run` starts it, config/serve.py) holds neither the token
nor the username. tests/test_login_logs.py checks the same through the test client,
with django-axes' tables."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from classroom import actions
from tests.e2e.test_login_flows import open_class_as_pupil, tap_code
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_requests(page) -> list[tuple[str, str]]:
    """(method, URL) of every request `page` sends from now on; a fragment (#...) is
    the browser's own and never sent, so it is not part of what the server sees."""
    requests: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda request: requests.append((request.method, request.url.partition("#")[0])),
    )
    return requests


def log_in_by_tapping(new_context, world, pupil, code):
    """Type the class code, tap the pupil, tap the code: the requests sent from the tap
    on, up to the pupil's home page."""
    page = new_context(touch=True).new_page()
    open_class_as_pupil(page, world)
    expect(page.locator("form[data-choose-pupil][data-ready]")).to_have_count(1)
    requests = record_requests(page)
    page.get_by_test_id("pupil-tile").filter(has_text=pupil.display_name).tap()
    tap_code(page, code)
    expect(page.get_by_test_id("pupil-hello")).to_contain_text(f"Hoi {pupil.display_name}!")
    page.wait_for_load_state("networkidle")
    return page, requests


def _identifying(urls, pupil) -> list[str]:
    marks = [pupil.login_token, pupil.user.username]
    return [url for url in urls if any(mark in url for mark in marks)]


def test_the_login_requests_name_nobody_and_are_the_same_for_every_pupil(
    world, new_context, server
):
    # Noor has a photo and Daan has none: her pad shows it without asking for it.
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    seen = {}
    for pupil, code in (
        (world.pupil, ["sun", "fish", "star"]),
        (world.classmate, ["moon", "tree", "car"]),
    ):
        _page, requests = log_in_by_tapping(new_context, world, pupil, code)
        sent = [url for _method, url in requests]
        assert sent and _identifying(sent, pupil) == []
        assert not [url for url in sent if "?" in url]
        # Up to the home page: the tile's post, the pad (and what it loads), the code. (A
        # set: the browser asks for its favicon once or twice, as it happens.)
        home = sent.index(f"{server}/leerling/")
        seen[pupil.display_name] = set(requests[: home + 1])
    grid = f"{server}/klas/{world.group.class_code}/"
    assert ("POST", grid + "kies/") in seen["Noor"] and ("POST", grid + "code/") in seen["Noor"]
    assert seen["Noor"] == seen["Daan"]


def test_daphnes_access_log_holds_no_token_and_no_username(world, new_context, second_server):
    second_server.start()
    page = new_context(touch=True, base_url=second_server.url).new_page()
    requests = record_requests(page)
    # The login card's QR: the token after the #, which class-grid.js posts.
    page.goto(f"/klas/{world.group.class_code}/#{world.pupil.login_token}")
    expect(page.get_by_role("heading", name="Noor")).to_be_visible()
    assert "#" not in page.url
    tap_code(page, ["sun", "fish", "star"])
    expect(page.get_by_test_id("pupil-hello")).to_contain_text("Hoi Noor!")
    page.wait_for_load_state("networkidle")
    assert _identifying([url for _method, url in requests], world.pupil) == []
    # An old card opened by a phone's camera does send its token: the log leaves it out.
    page.get_by_test_id("switch-pupil").tap()
    expect(page.get_by_test_id("pupil-tile")).to_have_count(2)
    page.goto(f"/klas/{world.group.class_code}/{world.classmate.login_token}/?x=1")
    expect(page.get_by_test_id("pupil-tile")).to_have_count(2)

    log = second_server.log_path.read_text()
    grid = f"/klas/{world.group.class_code}/"
    for step in (f'"GET {grid}"', f'"POST {grid}kies/"', f'"POST {grid}code/"', f'"GET {grid}..."'):
        assert step in log
    for pupil in (world.pupil, world.classmate):
        assert pupil.login_token not in log
        assert pupil.user.username not in log
    assert "?x=1" not in log
