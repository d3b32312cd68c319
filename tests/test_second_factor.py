"""A second factor for staff (frontend/views/second_factor.py, issue 21): who needs a
code, that the password alone opens no page, API or socket, setting it up with recovery
codes shown once, codes used once, too many wrong codes, and a school admin resetting a
colleague's lost phone."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from classroom import actions
from classroom.models import AuditRecord
from frontend.views import second_factor
from research import actions as research_actions
from tests.otp import code_for_setup, code_of, phone_of

User = get_user_model()
PASSWORD = "correct horse 42"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def password_step(user, client=None):
    client = client or Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    return client, response


def test_a_teacher_of_a_school_that_does_not_ask_logs_in_with_the_password(world):
    client, response = password_step(world.teacher)
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert client.session["_auth_user_id"] == str(world.teacher.pk)


def test_the_password_alone_opens_nothing_for_a_school_admin(world):
    client, response = password_step(world.school_admin)
    assert response["Location"] == "/login/tweede-stap/"
    assert "_auth_user_id" not in client.session
    assert client.get("/leerkracht/")["Location"].startswith("/login/")
    assert client.get("/api/me/").status_code in (401, 403)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # Beheer's own login form is not a way around it: it sends to the app's login.
    admin_login = client.post(
        "/admin/login/?next=/admin/", {"username": "directeur.karin", "password": PASSWORD}
    )
    assert admin_login.status_code == 302 and admin_login["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_setting_up_shows_a_qr_code_then_recovery_codes_once(world):
    client, _response = password_step(world.school_admin)
    page = client.get("/login/tweede-stap/")
    assert "Stel je tweede stap in" in page.content.decode()
    assert "<svg" in page.context["qr"]
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing
    assert client.get("/login/tweede-stap/").context["key"] == page.context["key"]
    wrong = client.post("/login/tweede-stap/", {"code": "000000"})
    assert wrong.status_code == 400 and "Deze code klopt niet" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    assert not user_has_device(world.school_admin)  # a wrong code confirms nothing
    time.sleep(1.1)  # after a wrong code django-otp waits 1 s (doubling each time)
    right = client.post("/login/tweede-stap/", {"code": code_for_setup(page.context["key"])})
    assert right["Location"] == "/login/herstelcodes/"
    assert client.session["_auth_user_id"] == str(world.school_admin.pk)
    codes = client.get("/login/herstelcodes/").context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/login/herstelcodes/")["Location"] == "/home/"  # shown once
    assert user_has_device(world.school_admin)
    assert TOTPDevice.objects.filter(user=world.school_admin).count() == 1


def test_an_enrolled_admin_logs_in_with_the_code_and_each_code_works_once(world):
    code = code_of(world.school_admin)
    client, _response = password_step(world.school_admin)
    page = client.get("/login/tweede-stap/")
    assert "Je code" in page.content.decode() and "qr" not in page.context
    done = client.post("/login/tweede-stap/", {"code": code})
    assert done["Location"] == "/home/"
    assert client.session["otp_device_id"] == phone_of(world.school_admin).persistent_id
    # The same code again (someone who looked over the shoulder) is refused.
    again, _response = password_step(world.school_admin)
    assert again.post("/login/tweede-stap/", {"code": code}).status_code == 400
    assert "_auth_user_id" not in again.session


def test_a_recovery_code_logs_in_once(world):
    phone_of(world.school_admin)
    device = world.school_admin.staticdevice_set.create(name="herstel")
    StaticToken.objects.create(device=device, token="abcd1234")
    client, _response = password_step(world.school_admin)
    assert client.post("/login/tweede-stap/", {"code": "abcd1234"})["Location"] == "/home/"
    again, _response = password_step(world.school_admin)
    assert again.post("/login/tweede-stap/", {"code": "abcd1234"}).status_code == 400


def test_five_wrong_codes_send_back_to_the_password(world):
    phone_of(world.school_admin)
    client, _response = password_step(world.school_admin)
    for _i in range(4):
        assert client.post("/login/tweede-stap/", {"code": "000000"}).status_code == 400
    fifth = client.post("/login/tweede-stap/", {"code": "000000"})
    assert fifth["Location"] == "/login/"
    late = client.post("/login/tweede-stap/", {"code": code_of(world.school_admin)})
    assert late["Location"] == "/login/" and "_auth_user_id" not in client.session


def test_the_second_step_waits_five_minutes(world, monkeypatch):
    code = code_of(world.school_admin)
    client, _response = password_step(world.school_admin)
    later = second_factor.time.time() + 301
    monkeypatch.setattr(second_factor.time, "time", lambda: later)
    response = client.post("/login/tweede-stap/", {"code": code})
    assert response["Location"] == "/login/" and "_auth_user_id" not in client.session


def test_researchers_and_the_teachers_of_a_school_that_asks_need_a_code(world):
    researcher = User.objects.create_user("onderzoeker", password=PASSWORD)
    assert not second_factor.needs_second_factor(researcher)
    research_actions.save_study(
        None,
        school=world.school,
        title="Studie",
        groups=[world.group],
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 7, 1),
        datasets=["entries"],
        researchers=[researcher],
    )
    assert second_factor.needs_second_factor(researcher)
    assert not second_factor.needs_second_factor(world.teacher)
    actions.update_school(world.school, teachers_second_factor=True)
    assert second_factor.needs_second_factor(world.teacher)
    _client, response = password_step(world.teacher)
    assert response["Location"] == "/login/tweede-stap/"
    # The other school's teacher is not asked.
    assert not second_factor.needs_second_factor(world.other_school_teacher)


def test_a_school_admin_resets_a_colleagues_lost_phone(world):
    phone_of(world.colleague)
    phone_of(world.school_admin)
    admin = Client()
    admin.force_login(world.school_admin)
    url = f"/leerkracht/school/{world.school.pk}/tweestaps/"
    page = admin.get(url).content.decode()
    assert "Telefoon kwijt: opnieuw instellen" in page
    assert "<th>Rol</th>" in page and "directeur.karin <small>" not in page  # no name twice
    done = admin.post(url, {"user": world.colleague.pk}, follow=True)
    assert "stelt bij de volgende keer inloggen een nieuwe tweede stap in" in done.content.decode()
    assert not user_has_device(world.colleague)
    record = AuditRecord.objects.get(action="second_factor_reset")
    assert record.actor == world.school_admin and record.detail == {"devices": 1}
    # Not one's own, and not staff of another school.
    own = admin.post(url, {"user": world.school_admin.pk}, follow=True)
    assert "door een andere schoolbeheerder" in own.content.decode()
    assert user_has_device(world.school_admin)
    phone_of(world.other_school_teacher)
    admin.post(url, {"user": world.other_school_teacher.pk})
    assert user_has_device(world.other_school_teacher)
    # The school asks a code of its teachers from this page too.
    admin.post(url, {"teachers_second_factor": "1"})
    world.school.refresh_from_db()
    assert world.school.teachers_second_factor


def test_a_teacher_sets_up_a_second_step_of_their_own_accord(world):
    teacher = Client()
    teacher.force_login(world.teacher)
    assert "Tweede stap bij inloggen" in teacher.get("/leerkracht/").content.decode()
    page = teacher.get("/tweede-stap/")
    assert "Stel je tweede stap in" in page.content.decode()
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing
    done = teacher.post("/tweede-stap/", {"code": code_for_setup(page.context["key"])})
    assert done["Location"] == "/login/herstelcodes/"
    assert len(teacher.get("/login/herstelcodes/").context["codes"]) == 10
    assert "Je tweede stap is ingesteld" in teacher.get("/tweede-stap/").content.decode()
    # From now on the password alone does not log them in.
    assert second_factor.needs_second_factor(world.teacher)
    _client, response = password_step(world.teacher)
    assert response["Location"] == "/login/tweede-stap/"
