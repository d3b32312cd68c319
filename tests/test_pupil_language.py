"""A pupil's pages speak their group's language, set by the teacher; no button on a
pupil's screen changes it. Staff keep their own choice."""

import pytest

from classroom import actions
from tests.conftest import choose_pupil, enter_picture_code, pages_by_role

LANGUAGE_BUTTON = 'action="/i18n/setlang/"'


def log_in(client, pupil, code="sun,fish,star"):
    response = enter_picture_code(client, pupil, code)
    assert response.status_code == 302


def test_a_pupil_of_a_group_set_to_english_sees_english(world, client):
    actions.update_group(world.group, language="en")
    log_in(client, world.pupil)
    page = client.get("/leerling/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Hi Noor!" in page and 'lang="en"' in page
    booklet = client.get("/leerling/doelenboekje/").content.decode()
    assert "My goal booklet" in booklet and '"saved": "Saved"' in booklet


def test_a_pupil_of_a_dutch_group_sees_dutch_whatever_the_browser_says(world, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # a teacher, earlier
    log_in(client, world.pupil)
    page = client.get("/leerling/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hoi Noor!" in page and 'lang="nl"' in page


def test_the_login_pages_speak_the_groups_language(world, client):
    actions.update_group(world.group, language="en")
    grid = client.get(f"/klas/{world.group.class_code}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Tap your own picture." in grid.content.decode()
    choose_pupil(client, world.pupil)
    pad = client.get(f"/klas/{world.group.class_code}/code/")
    assert "Tap your secret pictures." in pad.content.decode()
    # Before a class is chosen: the installation's language.
    start = client.get("/klas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "In welke klas zit je?" in start


def test_staff_keep_their_own_choice(world, client):
    client.force_login(world.teacher)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/leerkracht/groep/{world.group.pk}/").content.decode()
    assert 'lang="en"' in page and LANGUAGE_BUTTON in page


def test_a_groups_language_is_one_of_the_offered(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.update_group(world.group, language="fr")
    assert actions.create_group(school=world.school, name="X", year_from=4).language == "nl"


def test_no_pupil_screen_has_a_language_button_and_each_has_one_way_home(world, client):
    anonymous = [url for url in pages_by_role(world)["anonymous"] if url.startswith("/klas/")]
    choose_pupil(client, world.pupil)
    for url in anonymous:
        assert LANGUAGE_BUTTON not in client.get(url).content.decode(), url
    log_in(client, world.pupil)
    for url in pages_by_role(world)["pupil"]:
        page = client.get(url).content.decode()
        assert LANGUAGE_BUTTON not in page, url
        assert page.count('data-testid="home"') == 1, url
        assert page.count('data-testid="switch-pupil"') == 1, url
    # The start page and the teachers' login keep it, for a grown-up who reads English
    # (a pupil's pages do not follow it).
    client.logout()
    assert LANGUAGE_BUTTON in client.get("/").content.decode()
    assert LANGUAGE_BUTTON in client.get("/login/").content.decode()
