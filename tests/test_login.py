"""Logging in, as a pupil and as a teacher, over HTTP."""

import pytest
from django.urls import reverse

from classroom import actions


def code_url(pupil):
    return reverse("frontend:picture-code", args=[pupil.group.class_code, pupil.login_token])


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


def test_the_right_picture_code_logs_the_pupil_in(world, client):
    response = client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    assert response.status_code == 302 and response["Location"] == "/leerling/"
    home = client.get("/leerling/")
    assert "Hoi Noor!" in home.content.decode()


def test_a_wrong_picture_code_shows_a_message_and_does_not_log_in(world, client):
    response = client.post(code_url(world.pupil), {"code": "sun,star,fish"})
    assert response.status_code == 403
    assert "Oeps, dat was niet jouw code" in response.content.decode()
    assert client.get("/leerling/").status_code == 302


def test_five_wrong_codes_show_the_lock_and_the_teacher_can_unlock(world, client):
    for _ in range(5):
        response = client.post(code_url(world.pupil), {"code": "moon,moon,moon"})
    assert "Vraag je juf of meester om hulp" in response.content.decode()
    # Even the right code is refused while locked.
    response = client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    assert response.status_code == 200 and "Even pauze" in response.content.decode()

    client.force_login(world.teacher)
    group_page = client.get(f"/leerkracht/groep/{world.group.pk}/").content.decode()
    assert "Op slot" in group_page
    client.post(f"/leerkracht/leerling/{world.pupil.pk}/ontgrendel/")
    client.logout()
    response = client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    assert response.status_code == 302


def test_switch_pupil_logs_out_and_shows_the_class_again(world, client):
    client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    response = client.post("/leerling/wissel/")
    assert response["Location"] == f"/klas/{world.group.class_code}/"
    assert client.get("/leerling/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_pupil_logged_in_cannot_act_as_a_classmate(world, client):
    client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    assert client.get(f"/api/pupils/{world.classmate.pk}/").status_code == 404
    me = client.get("/api/me/").json()
    assert me["role"] == "pupil" and me["pupil"]["id"] == world.pupil.pk
    # Tapping one's own code on a classmate's card does not make one that classmate.
    response = client.post(code_url(world.classmate), {"code": "sun,fish,star"})
    assert response.status_code == 403
    assert client.get("/api/me/").json()["pupil"]["id"] == world.pupil.pk


def test_an_inactive_pupil_is_not_in_the_grid_and_cannot_log_in(world, client):
    actions.update_pupil(world.pupil, active=False)
    grid = client.get(f"/klas/{world.group.class_code}/")
    assert b"Noor" not in grid.content
    assert client.post(code_url(world.pupil), {"code": "sun,fish,star"}).status_code == 404


def test_a_pupil_cannot_reach_a_teacher_page(world, client):
    client.post(code_url(world.pupil), {"code": "sun,fish,star"})
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
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.images import jpeg_bytes

    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    url = f"/klas/{world.group.class_code}/{world.pupil.login_token}/foto"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    wrong = f"/klas/{world.foreign_group.class_code}/{world.pupil.login_token}/foto"
    assert client.get(wrong).status_code == 404


def test_scripts_get_their_texts_in_the_pages_language(world, client):
    client.post(code_url(world.pupil), {"code": "sun,fish,star"})
    page = client.get("/leerling/doelenboekje/").content.decode()
    assert '<script id="ui-texts" type="application/json">' in page
    assert '"saved": "Bewaard"' in page and '"full": "Vol!"' in page
    # A pupil's pages are in their group's language (the teacher sets it), not the browser's.
    actions.update_group(world.group, language="en")
    english = client.get("/leerling/doelenboekje/").content.decode()
    assert '"saved": "Saved"' in english and "Bewaard" not in english
