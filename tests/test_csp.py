"""Every page under a Content-Security-Policy that runs only the site's own scripts, and
nothing with children's data kept in a browser's or a proxy's cache (issue 18). The
browser tests run with the policy enforced and fail on anything it blocks
(tests/e2e/conftest.py)."""

import re

import pytest

from tests.conftest import choose_pupil, pages_by_role


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("persona", ["pupil", "teacher", "school_admin", "anonymous"])
def test_every_page_has_the_policy_and_no_inline_script(world, client, persona):
    if persona != "anonymous":
        client.force_login(world.user(persona))
    else:
        choose_pupil(client, world.pupil)  # for the picture-code page
    for url in pages_by_role(world)[persona]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"], url
        # No script in the page would run under it: only src= scripts and JSON data.
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=\"", html), url  # no onclick= handlers
        if persona != "anonymous":
            assert "no-store" in response.headers["Cache-Control"], url


def test_an_api_answer_and_an_export_are_not_stored(world, client):
    client.force_login(world.teacher)
    response = client.get(f"/api/lessons/{world.lesson.pk}/dashboard/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    client.force_login(world.school_admin)
    response = client.get(f"/leerkracht/leerling/{world.pupil.pk}/gegevens/download/")
    assert response.status_code == 200, response.status_code
    assert "no-store" in response.headers["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/app.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
