"""A kleuter's photo of their work belongs to the activity, reaches the teacher's
planbord page and the child's week, and is served only to whoever may see it."""

import importlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from classroom.pictograms import ACTIVITY_PICTURES, PICTOGRAMS, PLACE_ICONS
from planboard import actions
from planboard.models import PlanPhoto
from tests.conftest import PERSONAS
from tests.images import jpeg_bytes

STATIC = Path(__file__).resolve().parents[2] / "frontend" / "static" / "pictograms"


def _upload(name="toren.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def test_a_photo_goes_to_where_the_child_is_now_without_its_exif(world, api):
    api.force_login(world.pupil.user)
    response = api.post("/api/plan-photos/", {"image": _upload()}, format="multipart")
    assert response.status_code == 201, response.content
    photo = PlanPhoto.objects.get(pk=response.json()["id"])
    assert photo.activity == world.activity and photo.board == world.board
    stored = Image.open(io.BytesIO(photo.image.read()))
    assert not stored.getexif() and "exif" not in stored.info


def test_a_photo_names_one_of_the_childs_own_plans(world, api):
    later = actions.plan(pupil=world.pupil, slot=world.slot2, acting_user=world.pupil.user)
    api.force_login(world.pupil.user)
    response = api.post(
        "/api/plan-photos/", {"image": _upload(), "plan": later.pk}, format="multipart"
    )
    assert response.status_code == 201
    assert PlanPhoto.objects.get(pk=response.json()["id"]).activity == world.slot2.activity

    # A classmate's plan is visible on the board, but is not theirs to photograph.
    api.force_login(world.classmate.user)
    response = api.post(
        "/api/plan-photos/", {"image": _upload(), "plan": later.pk}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["Dit is niet jouw plan."]}


def test_a_child_without_a_plan_is_asked_to_choose_a_corner_first(world, api):
    api.force_login(world.classmate.user)
    response = api.post("/api/plan-photos/", {"image": _upload()}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Kies eerst een hoek."]}
    assert not PlanPhoto.objects.exists()


def test_the_photo_is_decoded_outside_any_transaction_and_only_for_a_plan(world, api, monkeypatch):
    """As for the logbook's photos: the decode happens before the idempotent write's
    transaction opens (a classmate's tap never waits for it), and a child without a
    plan is refused before anything is decoded."""
    import uuid

    from django.db import connection

    from classroom import images

    depths = []
    real_decode = images._open_verified

    def decode(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(images, "_open_verified", decode)
    test_depth = len(connection.atomic_blocks)  # the test's own transaction

    def post_as(pupil):  # as the outbox sends it: with an Idempotency-Key
        api.force_login(pupil.user)
        return api.post(
            "/api/plan-photos/",
            {"image": _upload()},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    refused = post_as(world.classmate)  # no plan today
    assert refused.status_code == 400 and depths == []

    response = post_as(world.pupil)
    assert response.status_code == 201, response.content
    assert depths == [test_depth], "no transaction is open while decoding"
    assert PlanPhoto.objects.filter(pk=response.json()["id"], pupil=world.pupil).exists()


@pytest.fixture
def photo(world):
    return actions.add_plan_photo(pupil=world.pupil, upload=_upload())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "klein/"], ids=["photo", "thumbnail"])
def test_a_plan_photo_is_only_for_the_child_and_their_teachers(
    world, photo, client_as, persona, suffix
):
    response = client_as(world.user(persona)).get(f"/planbord/foto/{photo.pk}/{suffix}")
    if persona in {"pupil", "teacher", "school_admin"}:
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404


def test_the_teacher_sees_the_photo_on_the_planbord_page_and_in_the_childs_week(
    world, photo, client_as
):
    client = client_as(world.teacher)
    thumb = f"/planbord/foto/{photo.pk}/klein/"
    page = client.get(f"/leerkracht/groep/{world.group.pk}/planbord/").content.decode()
    assert thumb in page and "Foto van Noor bij Bouwhoek" in page
    week = client.get(f"/leerkracht/leerling/{world.pupil.pk}/planbord/").content.decode()
    assert thumb in week


def test_the_teachers_photo_of_a_corner_replaces_its_picture_for_the_group(world, client_as):
    client = client_as(world.teacher)
    response = client.post(
        f"/leerkracht/planbord/hoek/{world.activity.pk}/foto/", {"photo": _upload("hoek.jpg")}
    )
    assert response.status_code == 302
    world.activity.refresh_from_db()
    assert world.activity.photo
    url = f"/planbord/hoek/{world.activity.pk}/foto/"
    board = client_as(world.classmate.user).get(f"/api/boards/{world.board.pk}/").json()
    assert {s["activity"]: s["picture_url"] for s in board["slots"]}["Bouwhoek"] == url
    assert client_as(world.classmate.user).get(url).status_code == 200
    assert client_as(world.other_pupil.user).get(url).status_code == 404
    stored = Image.open(io.BytesIO(world.activity.photo.read()))
    assert not stored.getexif()


def test_a_pupil_cannot_change_a_corners_photo(world, client_as):
    response = client_as(world.pupil.user).post(
        f"/leerkracht/planbord/hoek/{world.activity.pk}/foto/", {"photo": _upload()}
    )
    assert response.status_code == 403
    world.activity.refresh_from_db()
    assert not world.activity.photo


def test_every_activity_picture_is_drawn_and_none_is_an_avatar_or_a_place():
    for key in ACTIVITY_PICTURES:
        assert (STATIC / "activities" / f"{key}.svg").is_file(), key
    # Their own drawings: no file shared with the avatar / picture-code / place set.
    shared = {(STATIC / f"{key}.svg").read_bytes() for key in {*PICTOGRAMS, *PLACE_ICONS}}
    drawn = {(STATIC / "activities" / f"{key}.svg").read_bytes() for key in ACTIVITY_PICTURES}
    assert not shared & drawn
    wanted = {"building", "home_corner", "reading", "sand", "water", "painting", "drawing"}
    wanted |= {"clay", "puzzle", "games", "counting", "computer", "music", "outside"}
    assert wanted | {"crafts", "circle", "instruction"} <= set(ACTIVITY_PICTURES)


@pytest.mark.parametrize(
    "name, old, picture",
    [
        ("Zandtafel", "cloud", "sand"),
        ("Telspel", "star", "counting"),
        ("Tekentafel", "flower", "drawing"),
        ("Stiltehoek", "quiet", "quiet"),
        ("Bouwhoek", "blocks", "building"),
        ("Poppenhoek", "house", "home_corner"),
        ("Watertafel", "fish", "water"),
        ("Juf", "book", "reading"),
        ("Iets", "ball", "games"),
    ],
)
def test_old_pictograms_become_the_picture_the_activity_name_says(name, old, picture):
    migration = importlib.import_module(
        "planboard.migrations.0002_activity_pictures_seats_and_photos"
    )
    assert migration.activity_picture(name, old) == picture
