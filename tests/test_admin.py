"""The admin is scoped like everything else, and saves through actions."""

import pytest

from classroom.models import Pupil


@pytest.fixture
def admin_client(world, client):
    world.school_admin.is_staff = True
    world.school_admin.save()
    client.force_login(world.school_admin)
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


def test_a_teacher_without_staff_flag_cannot_enter_the_admin(world, client):
    client.force_login(world.teacher)
    response = client.get("/admin/classroom/pupil/")
    assert response.status_code == 302
