"""The admin is scoped like everything else, and saves through actions."""

import pytest

from classroom.models import Pupil


@pytest.fixture
def admin_client(world, client):
    client.force_login(world.school_admin)
    return client


@pytest.fixture
def teacher_client(world, client):
    client.force_login(world.teacher)
    return client


def test_a_school_admin_sees_only_their_schools_pupils(world, admin_client):
    page = admin_client.get("/admin/classroom/pupil/").content.decode()
    assert "Noor" in page and "Sem" in page
    assert "Lotte" not in page


def test_a_school_admin_cannot_open_another_schools_pupil(world, admin_client):
    foreign = Pupil.objects.get(display_name="Lotte")
    response = admin_client.get(f"/admin/classroom/pupil/{foreign.pk}/change/")
    assert response.status_code in (302, 404)
    assert "Lotte" not in response.content.decode()


def test_adding_a_pupil_in_the_admin_goes_through_the_action(world, admin_client):
    response = admin_client.post(
        "/admin/classroom/pupil/add/",
        {
            "group": world.group.pk,
            "display_name": "Finn",
            "avatar": "ball",
            "avatar_colour": "blue",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finn = Pupil.objects.get(display_name="Finn")
    assert len(finn.code_sequence) == 3
    assert finn.login_token
    assert not finn.user.has_usable_password()


def test_a_school_admin_cannot_add_a_pupil_to_another_school(world, admin_client):
    response = admin_client.post(
        "/admin/classroom/pupil/add/",
        {
            "group": world.foreign_group.pk,
            "display_name": "Indringer",
            "avatar": "ball",
            "avatar_colour": "blue",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the form refuses the group
    assert not Pupil.objects.filter(display_name="Indringer").exists()


def test_a_teacher_manages_only_their_own_group(world, teacher_client):
    page = teacher_client.get("/admin/classroom/pupil/").content.decode()
    assert "Noor" in page and "Daan" in page
    assert "Sem" not in page and "Lotte" not in page
    form = teacher_client.get("/admin/classroom/pupil/add/").content.decode()
    assert "Groep 6" in form and "Groep 3" not in form


def test_a_teacher_adds_a_pupil_with_a_photo_to_their_group(world, teacher_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.images import jpeg_bytes

    response = teacher_client.post(
        "/admin/classroom/pupil/add/",
        {
            "group": world.group.pk,
            "display_name": "Finn",
            "avatar": "ball",
            "avatar_colour": "blue",
            "active": "on",
            "new_photo": SimpleUploadedFile("finn.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    finn = Pupil.objects.get(display_name="Finn")
    assert finn.group == world.group and finn.photo


def test_a_teacher_cannot_add_a_group_or_reach_a_colleagues_pupil(world, teacher_client):
    assert teacher_client.get("/admin/classroom/group/add/").status_code == 403
    response = teacher_client.get(f"/admin/classroom/pupil/{world.other_pupil.pk}/change/")
    assert response.status_code in (302, 404)
    assert "Sem" not in response.content.decode()


def test_a_pupil_cannot_enter_the_admin(world, client):
    client.force_login(world.pupil.user)
    response = client.get("/admin/classroom/pupil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_given_lesson_cannot_be_deleted_in_the_admin_or_the_api(world, admin_client):
    from classroom import actions
    from classroom.models import Lesson

    planned = actions.create_lesson(group=world.group, title="Nog niet gegeven")
    given = f"/admin/classroom/lesson/{world.lesson.pk}/delete/"
    assert admin_client.get(given).status_code == 403
    assert admin_client.post(given, {"post": "yes"}).status_code == 403
    # No "delete selected" past the action either.
    admin_client.post(
        "/admin/classroom/lesson/",
        {"action": "delete_selected", "_selected_action": [world.lesson.pk], "post": "yes"},
    )
    assert Lesson.objects.filter(pk=world.lesson.pk).exists()
    response = admin_client.delete(f"/api/lessons/{world.lesson.pk}/")
    assert response.status_code == 400
    assert Lesson.objects.filter(pk=world.lesson.pk).exists()
    # One that never started goes, through the action.
    response = admin_client.post(f"/admin/classroom/lesson/{planned.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Lesson.objects.filter(pk=planned.pk).exists()


@pytest.mark.parametrize("persona", ["teacher", "school_admin"])
def test_every_list_and_its_filters_offer_only_the_own_school(world, client, persona):
    from django.contrib import admin

    from classroom import actions
    from goals import actions as goal_actions
    from planboard import actions as planboard_actions

    # Another school's names in every kind of row a filter could list.
    actions.create_place(group=world.foreign_group, name="Anker-hoek", icon="quiet")
    actions.create_lesson(group=world.foreign_group, title="Anker-les")
    block = goal_actions.create_block(
        group=world.foreign_group,
        name="Anker-blok",
        start_date=world.block.start_date,
        end_date=world.block.end_date,
    )
    goal_actions.create_goal(
        block=block,
        strand=goal_actions.strand_for(world.other_school, "Meetkunde"),
        code="A-1",
        statement="Ik kan hoeken meten.",
        levels=["Begonnen", "Met hulp", "Alleen"],
    )
    planboard_actions.create_activity(
        group=world.foreign_group, name="Anker-zandtafel", pictogram="building", capacity=2
    )
    user = world.user(persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    foreign = ["Groep 6b", "CBS Het Anker", "juf.petra", "Lotte", "Anker-hoek", "Anker-les"]
    foreign += ["Anker-blok", "Meetkunde", "hoeken meten", "Anker-zandtafel"]
    opened = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.list_filter:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        if response.status_code != 200:
            continue  # not hers to open at all
        opened += 1
        page = response.content.decode()
        leaked = [name for name in foreign if name in page]
        assert not leaked, f"{url} shows {leaked}"
    assert opened >= 6


# --- Whether teachers open Beheer: the school admin's setting (decision 0016) ---------


def _beheer_for_teachers(school, on: bool):
    from classroom import actions

    actions.update_school(school, teachers_use_beheer=on)


def test_a_school_admin_closes_beheer_to_teachers_on_the_school_form(world, admin_client):
    from classroom.models import School

    url = f"/admin/classroom/school/{world.school.pk}/change/"
    assert 'name="teachers_use_beheer"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"name": world.school.name, "city": world.school.city})
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(pk=world.school.pk)
    assert not school.teachers_use_beheer
    assert (school.name, school.city) == (world.school.name, world.school.city)


def test_a_teacher_reads_the_setting_but_does_not_change_it(world, teacher_client):
    from classroom.models import School

    url = f"/admin/classroom/school/{world.school.pk}/change/"
    assert 'name="teachers_use_beheer"' not in teacher_client.get(url).content.decode()
    response = teacher_client.post(url, {"name": world.school.name})
    assert response.status_code == 403
    assert School.objects.get(pk=world.school.pk).teachers_use_beheer


@pytest.mark.parametrize("on", [True, False])
def test_a_teacher_opens_beheer_only_when_the_school_lets_them(world, client, on):
    from django.contrib import admin
    from django.test import RequestFactory

    from classroom.models import Pupil

    _beheer_for_teachers(world.school, on)
    client.force_login(world.teacher)
    request = RequestFactory().get("/admin/")
    request.user = type(world.teacher).objects.get(pk=world.teacher.pk)
    assert admin.site.has_permission(request) is on
    assert admin.site._registry[Pupil].has_module_permission(request) is on

    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    home = client.get("/leerkracht/").content.decode()
    if on:
        assert response.redirect_chain == []
        assert "/admin/" in home
        return
    # Sent to the app with a word why: once through the admin's login, never back.
    assert [url for url, _status in response.redirect_chain] == [
        "/admin/login/?next=/admin/",
        "/home/",
        "/leerkracht/",
    ]
    assert "Je school houdt Beheer voor de schoolbeheerders" in response.content.decode()
    assert 'href="/admin/"' not in home
    # Every page of it, a form post included, is closed the same way.
    pupils = client.get("/admin/classroom/pupil/")
    assert pupils.status_code == 302 and pupils["Location"].startswith("/admin/login/")
    response = client.post(
        "/admin/classroom/pupil/add/",
        {"group": world.group.pk, "display_name": "Finn", "avatar": "ball"},
    )
    assert response.status_code == 302
    assert not Pupil.objects.filter(display_name="Finn").exists()


@pytest.mark.parametrize("on", [True, False])
def test_the_setting_leaves_the_api_and_the_school_admin_as_they_are(world, client, api, on):
    _beheer_for_teachers(world.school, on)
    api.force_login(world.teacher)
    response = api.get("/api/pupils/")
    assert response.status_code == 200
    assert {p["display_name"] for p in response.json()["results"]} >= {"Noor", "Daan"}
    client.force_login(world.school_admin)
    assert client.get("/admin/").status_code == 200
    assert 'href="/admin/"' in client.get("/leerkracht/").content.decode()


def test_a_teacher_of_two_schools_opens_beheer_when_one_lets_them(world, client):
    from classroom import actions

    _beheer_for_teachers(world.school, False)
    actions.set_membership(school=world.other_school, user=world.teacher, role="teacher")
    client.force_login(world.teacher)
    assert client.get("/admin/").status_code == 200
    _beheer_for_teachers(world.other_school, False)
    assert client.get("/admin/").status_code == 302
