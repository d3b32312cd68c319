"""Logging in, as a pupil and as a teacher, over HTTP."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from classroom import actions
from tests.conftest import choose_pupil, enter_picture_code
from tests.images import jpeg_bytes


def pad_url(group):
    """The picture-code page: one URL for every pupil of the class."""
    return f"/klas/{group.class_code}/code/"


def test_a_class_code_opens_the_class_grid_in_any_case_and_spacing(world, client):
    typed = " " + world.group.class_code[:3].lower() + " " + world.group.class_code[3:]
    response = client.post("/klas/", {"code": typed})
    assert response.status_code == 302
    grid = client.get(response["Location"])
    assert grid.status_code == 200
    names = [p.display_name for p in grid.context["pupils"]]
    assert names == ["Daan", "Noor"]
    # Pupils of other groups are not in this grid.
    assert b"Sem" not in grid.content
    # The device remembers the class for the next pupil.
    assert grid.cookies["leerregie_klas"].value == world.group.class_code


def test_an_unknown_class_code_gets_a_friendly_message(world, client):
    response = client.post("/klas/", {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert "Die klascode kennen we niet" in response.content.decode()


def test_tapping_a_picture_shows_that_pupils_pad_at_the_classs_own_url(world, client):
    response = choose_pupil(client, world.pupil)
    assert world.pupil.login_token not in response["Location"]
    pad = client.get(response["Location"])
    assert pad.status_code == 200 and pad.context["pupil"] == world.pupil
    assert "Tik je geheime plaatjes aan." in pad.content.decode()
    # Daan's tile leads to the very same URL, with Daan's pad.
    assert choose_pupil(client, world.classmate)["Location"] == pad_url(world.group)
    assert client.get(pad_url(world.group)).context["pupil"] == world.classmate


def test_the_grid_posts_the_token_and_no_url_in_it_holds_a_token(world, client):
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    html = client.get(f"/klas/{world.group.class_code}/").content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" data-choose-pupil>', html)
    assert form and form.group(1) == f"/klas/{world.group.class_code}/kies/"
    assert f'name="pupil" value="{world.pupil.login_token}"' in html
    urls = re.findall(r'(?:href|src|action)="([^"]*)"', html)
    assert any("/foto/" in url for url in urls)  # Noor's photo
    for pupil in (world.pupil, world.classmate):
        assert not [url for url in urls if pupil.login_token in url]


def test_the_pad_without_a_tapped_picture_shows_the_class_again(world, client):
    for method in (client.get, client.post):
        response = method(pad_url(world.group), {"code": "sun,fish,star"})
        assert response.status_code == 302
        assert response["Location"] == f"/klas/{world.group.class_code}/"
    assert "_auth_user_id" not in client.session
    # Noor chosen in her class is nobody in another.
    choose_pupil(client, world.pupil)
    assert client.get(pad_url(world.other_group)).status_code == 302


def test_choosing_a_pupil_is_a_post_with_a_token_of_that_class(world, client):
    url = f"/klas/{world.group.class_code}/kies/"
    assert client.get(url, {"pupil": world.pupil.login_token}).status_code == 405
    assert client.post(url, {"pupil": world.other_pupil.login_token}).status_code == 404
    assert client.post(url, {"pupil": ""}).status_code == 404
    assert client.post(url).status_code == 404
    assert client.post("/klas/ZZZZZZ/kies/", {"pupil": world.pupil.login_token}).status_code == 404


def test_an_old_login_cards_url_shows_the_class_grid_and_keeps_no_token(world, client):
    old = f"/klas/{world.group.class_code.lower()}/{world.pupil.login_token}/"
    response = client.get(old)
    assert response.status_code == 302
    assert response["Location"] == f"/klas/{world.group.class_code}/"
    assert world.pupil.login_token not in str(dict(client.session))
    old_photo = f"/klas/{world.group.class_code}/{world.pupil.login_token}/foto"
    assert client.get(old_photo).status_code == 404


def test_the_right_picture_code_logs_the_pupil_in(world, client):
    response = enter_picture_code(client, world.pupil, "sun,fish,star")
    assert response.status_code == 302 and response["Location"] == "/leerling/"
    home = client.get("/leerling/")
    assert "Hoi Noor!" in home.content.decode()
    # The choice is used up: after "switch pupil" the grid asks again.
    client.post("/leerling/wissel/")
    assert client.get(pad_url(world.group)).status_code == 302


def test_a_pad_shown_for_another_choice_does_not_judge_the_code(world, client):
    choose_pupil(client, world.pupil)
    shown_for_noor = client.get(pad_url(world.group)).context["choice"]
    choose_pupil(client, world.classmate)  # Daan taps his picture in another tab
    stale = client.post(pad_url(world.group), {"code": "sun,fish,star", "choice": shown_for_noor})
    assert stale.status_code == 302 and stale["Location"] == pad_url(world.group)
    assert "_auth_user_id" not in client.session
    # Nothing was counted against Daan: five wrong codes of his own still lock only then.
    choice = client.get(pad_url(world.group)).context["choice"]
    for _ in range(4):
        response = client.post(pad_url(world.group), {"code": "sun,sun,sun", "choice": choice})
        assert 'data-testid="wrong-code"' in response.content.decode()


def test_a_wrong_picture_code_shows_a_message_and_does_not_log_in(world, client):
    response = enter_picture_code(client, world.pupil, "sun,star,fish")
    assert response.status_code == 403
    assert "Oeps, dat was niet jouw code" in response.content.decode()
    assert client.get("/leerling/").status_code == 302


def test_five_wrong_codes_show_the_lock_and_the_teacher_can_unlock(world, client):
    for _ in range(5):
        response = enter_picture_code(client, world.pupil, "moon,moon,moon")
    assert "Vraag je juf of meester om hulp" in response.content.decode()
    # Even the right code is refused while locked.
    response = enter_picture_code(client, world.pupil, "sun,fish,star")
    assert response.status_code == 200 and "Even pauze" in response.content.decode()

    client.force_login(world.teacher)
    group_page = client.get(f"/leerkracht/groep/{world.group.pk}/").content.decode()
    assert "Op slot" in group_page
    client.post(f"/leerkracht/leerling/{world.pupil.pk}/ontgrendel/")
    client.logout()
    response = enter_picture_code(client, world.pupil, "sun,fish,star")
    assert response.status_code == 302


def test_switch_pupil_logs_out_and_shows_the_class_again(world, client):
    enter_picture_code(client, world.pupil, "sun,fish,star")
    response = client.post("/leerling/wissel/")
    assert response["Location"] == f"/klas/{world.group.class_code}/"
    assert client.get("/leerling/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_pupil_logged_in_cannot_act_as_a_classmate(world, client):
    enter_picture_code(client, world.pupil, "sun,fish,star")
    assert client.get(f"/api/pupils/{world.classmate.pk}/").status_code == 404
    me = client.get("/api/me/").json()
    assert me["role"] == "pupil" and me["pupil"]["id"] == world.pupil.pk
    # Tapping one's own code on a classmate's card does not make one that classmate.
    response = enter_picture_code(client, world.classmate, "sun,fish,star")
    assert response.status_code == 403
    assert client.get("/api/me/").json()["pupil"]["id"] == world.pupil.pk


def test_an_inactive_pupil_is_not_in_the_grid_and_cannot_log_in(world, client):
    actions.update_pupil(world.pupil, active=False)
    grid = client.get(f"/klas/{world.group.class_code}/")
    assert b"Noor" not in grid.content
    choose = f"/klas/{world.group.class_code}/kies/"
    assert client.post(choose, {"pupil": world.pupil.login_token}).status_code == 404


def test_a_pupil_made_inactive_after_being_chosen_cannot_log_in(world, client):
    choose_pupil(client, world.classmate)
    actions.update_pupil(world.classmate, active=False)
    response = client.post(pad_url(world.group), {"code": "moon,tree,car"})
    assert (
        response.status_code == 302 and response["Location"] == f"/klas/{world.group.class_code}/"
    )
    assert "_auth_user_id" not in client.session


def test_a_pupil_cannot_reach_a_teacher_page(world, client):
    enter_picture_code(client, world.pupil, "sun,fish,star")
    response = client.get("/leerkracht/")
    assert response.status_code == 403
    assert "Deze pagina is voor leerkrachten" in response.content.decode()


def test_a_teacher_logs_in_with_a_password_and_sees_their_groups(world, client):
    response = client.post("/login/", {"username": "juf.mirjam", "password": "correct horse 42"})
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Groep 6" in page and "Groep 3" not in page


def test_teacher_login_is_locked_after_five_wrong_passwords(world, client):
    for _ in range(5):
        response = client.post("/login/", {"username": "juf.mirjam", "password": "wrong"})
    assert response.status_code == 429
    assert "Te veel verkeerde wachtwoorden" in response.content.decode()
    # The right password does not help during the lock.
    response = client.post("/login/", {"username": "juf.mirjam", "password": "correct horse 42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_teacher_password_says_so(world, client):
    response = client.post("/login/", {"username": "juf.mirjam", "password": "wrong"})
    assert response.status_code == 200
    assert "gebruikersnaam en wachtwoord" in response.content.decode()


@pytest.mark.parametrize("user_field", ["pupil", "classmate"])
def test_pupil_accounts_cannot_log_in_with_a_password(world, client, user_field):
    username = getattr(world, user_field).user.username
    response = client.post("/login/", {"username": username, "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_login_cards_show_each_pupils_code_and_the_class_qr(world, client):
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/groep/{world.group.pk}/kaarten/").content.decode()
    assert page.count('data-testid="login-card"') == 2
    assert "<svg" in page and world.group.class_code in page
    assert 'alt="zon"' in page and 'alt="vis"' in page and 'alt="ster"' in page


def test_the_qr_code_encodes_the_class_page(world, client):
    client.force_login(world.teacher)
    response = client.get(f"/leerkracht/groep/{world.group.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    # A standalone SVG: browsers only draw an <img> SVG with its namespace.
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_a_class_photo_is_served_only_through_the_class_code(world, client):
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    grid = client.get(f"/klas/{world.group.class_code}/")
    (url,) = [p.grid_photo_url for p in grid.context["pupils"] if p.grid_photo_url]
    assert world.pupil.login_token not in url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    key = url.rsplit("/", 1)[1]
    assert client.get(f"/klas/{world.foreign_group.class_code}/foto/{key}").status_code == 404
    assert client.get(f"/klas/{world.group.class_code}/foto/{key[:-1]}x").status_code == 404
    # A new photo has a new URL, so that no browser shows the old one from its cache.
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("m.jpg", jpeg_bytes()))
    assert client.get(url).status_code == 404


def test_the_pad_shows_the_pupils_photo_without_fetching_it(world, client):
    """Fetching the photo from the pad would tell the access log whose pad it is."""
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    choose_pupil(client, world.pupil)
    html = client.get(pad_url(world.group)).content.decode()
    (avatar,) = re.findall(r'<img class="avatar avatar-large" src="([^"]+)"', html)
    assert avatar.startswith("data:image/jpeg;base64,")


def test_scripts_get_their_texts_in_the_pages_language(world, client):
    enter_picture_code(client, world.pupil, "sun,fish,star")
    page = client.get("/leerling/doelenboekje/").content.decode()
    assert '<script id="ui-texts" type="application/json">' in page
    assert '"saved": "Bewaard"' in page and '"full": "Vol!"' in page
    # A pupil's pages are in their group's language (the teacher sets it), not the browser's.
    actions.update_group(world.group, language="en")
    english = client.get("/leerling/doelenboekje/").content.decode()
    assert '"saved": "Saved"' in english and "Bewaard" not in english
