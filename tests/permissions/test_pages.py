"""The pages, every persona: the teacher's pages, the pupil's pages and the photos."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from classroom import actions
from tests.conftest import PERSONAS
from tests.images import jpeg_bytes
from tests.permissions.matrix import MANAGERS, PUPILS, STAFF, Page, teacher_page_status


def lesson_settings(w) -> dict:
    """The lesson settings form, filled in (the dashboard's panel and the lesson form)."""
    return {
        "goal_openness": "choice",
        "instruction_openness": "free",
        "place_openness": "free",
        "partner_openness": "fixed",
        "order_openness": "fixed",
        "differentiation": "individual",
        "fixed_instruction": "",
        "goal_options": [w.goal.pk],
    }


GOAL = {
    "statement": "Ik kan breuken vergelijken.",
    "strand": "Verhoudingen",
    "level_1": "Begonnen",
    "level_2": "Met hulp",
    "level_3": "Alleen",
    "level_4": "Uitleggen",
}
GOALS_CSV = (
    b"leerlijn;blok;code;doel;beschrijving;niveau_1;niveau_2;niveau_3\n"
    b"Getallen;Rekenen blok 3;G6-3.7;Ik kan delen.;;a;b;c\n"
)

ROSTER_CSV = "leerlingnummer;roepnaam;groep\n1;Noor;Groep 6\n"
STAFF_CSV = "email;naam;groepen\nsanne@delinde.nl;Sanne de Vries;Groep 6\n"

PAGES = [
    Page("frontend:teacher-home", "get", lambda w: "/leerkracht/", STAFF),
    Page("frontend:group", "get", lambda w: f"/leerkracht/groep/{w.group.pk}/", MANAGERS),
    Page(
        "frontend:login-cards",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/kaarten/",
        MANAGERS,
    ),
    Page(
        "frontend:import-pupils",
        "get",
        lambda w: f"/leerkracht/school/{w.school.pk}/leerlingen/importeren/",
        {"school_admin"},
        forbidden=frozenset({"teacher", "colleague"}),  # they see their school, not this
    ),
    Page(
        "frontend:import-pupils",
        "post",
        lambda w: f"/leerkracht/school/{w.school.pk}/leerlingen/importeren/",
        {"school_admin"},
        ok=302,
        data=lambda w: {"confirm": "1", "names": "first_unique", "text": ROSTER_CSV},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:import-teachers",
        "get",
        lambda w: f"/leerkracht/school/{w.school.pk}/leerkrachten/importeren/",
        {"school_admin"},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:import-teachers",
        "post",
        lambda w: f"/leerkracht/school/{w.school.pk}/leerkrachten/importeren/",
        {"school_admin"},
        ok=302,
        data=lambda w: {"confirm": "1", "text": STAFF_CSV},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:second-factor-staff",
        "get",
        lambda w: f"/leerkracht/school/{w.school.pk}/tweestaps/",
        {"school_admin"},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:second-factor-staff",
        "post",
        lambda w: f"/leerkracht/school/{w.school.pk}/tweestaps/",
        {"school_admin"},
        ok=302,
        data=lambda w: {"teachers_second_factor": "1"},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:school-year",
        "get",
        lambda w: f"/leerkracht/school/{w.school.pk}/nieuw-schooljaar/",
        {"school_admin"},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page(
        "frontend:school-year",
        "post",
        lambda w: f"/leerkracht/school/{w.school.pk}/nieuw-schooljaar/",
        {"school_admin"},
        data=lambda w: {"confirm": "0", f"pupil-{w.pupil.pk}": "leave"},
        forbidden=frozenset({"teacher", "colleague"}),
    ),
    Page("frontend:recovery-codes", "get", lambda w: "/login/herstelcodes/", STAFF, ok=302),
    Page("frontend:own-second-factor", "get", lambda w: "/tweede-stap/", STAFF),
    Page(
        "frontend:own-second-factor",
        "post",
        lambda w: "/tweede-stap/",
        STAFF,
        ok=400,  # a wrong code: refused, nothing set up
        data=lambda w: {"code": "000000"},
    ),
    Page("frontend:group-qr", "get", lambda w: f"/leerkracht/groep/{w.group.pk}/qr.svg", MANAGERS),
    Page(
        "frontend:group-new-code",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/nieuwe-klascode/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:pupil-photo", "get", lambda w: f"/leerkracht/leerling/{w.pupil.pk}/foto", MANAGERS
    ),
    Page(
        "frontend:pupil-unlock",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/ontgrendel/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:pupil-new-code",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/nieuwe-code/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:group-blocks",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/doelen/",
        MANAGERS,
    ),
    Page("frontend:block-overview", "get", lambda w: f"/leerkracht/blok/{w.block.pk}/", MANAGERS),
    Page(
        "frontend:teacher-pupil-booklet",
        "get",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/doelenboekje/",
        MANAGERS,
    ),
    Page(
        "frontend:assess",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/doel/{w.goal.pk}/beoordeel/",
        MANAGERS,
        ok=302,
    ),
    Page("frontend:lesson", "get", lambda w: f"/leerkracht/les/{w.lesson.pk}/", MANAGERS),
    Page(
        "frontend:lesson-control",
        "post",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/stop/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:lesson-settings",
        "post",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/instellingen/",
        MANAGERS,
        ok=302,
        data=lesson_settings,
    ),
    Page(
        "frontend:lesson-digibord",
        "get",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/digibord/",
        MANAGERS,
    ),
    Page(
        "frontend:lesson-new",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/les/nieuw/?van={w.lesson.pk}",
        MANAGERS,
    ),
    Page(
        "frontend:lesson-new",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/les/nieuw/",
        MANAGERS,
        ok=302,
        data=lambda w: (
            lesson_settings(w) | {"title": "Tafels", "subject": "rekenen", "date": "2026-12-24"}
        ),
    ),
    # The world's lesson has started: editing leads to its dashboard, deleting is
    # refused with a message (a planned lesson's edit and delete: test_lesson_planning).
    Page(
        "frontend:lesson-edit",
        "get",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/bewerken/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:lesson-delete",
        "post",
        lambda w: f"/leerkracht/les/{w.lesson.pk}/verwijderen/",
        MANAGERS,
        ok=302,
    ),
    Page(
        "frontend:block-new",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/blok/nieuw/",
        MANAGERS,
        ok=302,
        data=lambda w: {"name": "Blok 4", "start_date": "2026-12-01", "end_date": "2027-01-31"},
    ),
    Page(
        "frontend:block-reuse",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/blok/hergebruik/",
        MANAGERS,
        ok=302,
        data=lambda w: {
            "source": w.other_goal.block_id,
            "name": "",
            "start_date": "2026-12-01",
            "end_date": "2027-01-31",
        },
    ),
    Page(
        "frontend:goals-import",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/doelen/importeren/",
        MANAGERS,
        data=lambda w: {"file": SimpleUploadedFile("doelen.csv", GOALS_CSV, "text/csv")},
    ),
    Page(
        "frontend:block-goals",
        "get",
        lambda w: f"/leerkracht/blok/{w.block.pk}/doelen/",
        MANAGERS,
    ),
    Page(
        "frontend:block-goals",
        "post",
        lambda w: f"/leerkracht/blok/{w.block.pk}/doelen/",
        MANAGERS,
        ok=302,
        data=lambda w: {"name": "Blok 3b", "start_date": "2026-12-01", "end_date": "2027-01-31"},
    ),
    Page(
        "frontend:goal-new", "get", lambda w: f"/leerkracht/blok/{w.block.pk}/doel/nieuw/", MANAGERS
    ),
    Page(
        "frontend:goal-new",
        "post",
        lambda w: f"/leerkracht/blok/{w.block.pk}/doel/nieuw/",
        MANAGERS,
        ok=302,
        data=lambda w: GOAL | {"code": "G6-9"},
    ),
    Page(
        "frontend:goal-edit", "get", lambda w: f"/leerkracht/doel/{w.goal.pk}/bewerken/", MANAGERS
    ),
    Page(
        "frontend:goal-edit",
        "post",
        lambda w: f"/leerkracht/doel/{w.goal.pk}/bewerken/",
        MANAGERS,
        ok=302,
        data=lambda w: GOAL | {"code": w.goal.code},
    ),
    Page(
        "frontend:places", "get", lambda w: f"/leerkracht/groep/{w.group.pk}/werkplekken/", MANAGERS
    ),
    Page(
        "frontend:places",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/werkplekken/",
        MANAGERS,
        ok=302,
        data=lambda w: {"name": "Gang", "icon": "table", "capacity": "2"},
    ),
    Page(
        "frontend:place-edit",
        "get",
        lambda w: f"/leerkracht/werkplek/{w.place.pk}/bewerken/",
        MANAGERS,
    ),
    Page(
        "frontend:place-edit",
        "post",
        lambda w: f"/leerkracht/werkplek/{w.place.pk}/bewerken/",
        MANAGERS,
        ok=302,
        data=lambda w: {"name": "Stiltehoek", "icon": "quiet", "capacity": "3"},
    ),
    Page(
        "frontend:activity-new",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/activiteit/nieuw/",
        MANAGERS,
    ),
    Page(
        "frontend:activity-new",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/activiteit/nieuw/",
        MANAGERS,
        ok=302,
        data=lambda w: {"name": "Zandtafel", "pictogram": "sand", "capacity": "3"},
    ),
    Page(
        "frontend:activity-edit",
        "get",
        lambda w: f"/leerkracht/activiteit/{w.activity.pk}/bewerken/",
        MANAGERS,
    ),
    Page(
        "frontend:activity-edit",
        "post",
        lambda w: f"/leerkracht/activiteit/{w.activity.pk}/bewerken/",
        MANAGERS,
        ok=302,
        data=lambda w: {
            "name": "Bouwhoek",
            "pictogram": "building",
            "capacity": "3",
            "active": "on",
        },
    ),
    Page(
        "frontend:class-voice",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/nieuw/",
        MANAGERS,
    ),
    # A thumb on Noor's photo: the group's teachers only (a pupil never answers).
    Page(
        "frontend:class-voice-react",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/nieuw/reageer/",
        MANAGERS,
        ok=302,
        data=lambda w: {"on": "photo", "id": w.photo.pk, "thumb": "1"},
    ),
    Page(
        "frontend:teacher-planboard",
        "get",
        lambda w: f"/leerkracht/groep/{w.group.pk}/planbord/",
        MANAGERS,
    ),
    Page(
        "frontend:teacher-planboard-change",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/planbord/wijzig/",
        MANAGERS,
        ok=302,
        data=lambda w: {"command": "slot", "activity": w.activity.pk, "on": "1"},
    ),
    Page(
        "frontend:teacher-planboard-change",
        "post",
        lambda w: f"/leerkracht/groep/{w.group.pk}/planbord/wijzig/",
        MANAGERS,
        ok=302,
        data=lambda w: {"command": "plan", "pupil": w.classmate.pk, "slot": w.slot2.pk},
    ),
    Page(
        "frontend:digibord",
        "get",
        lambda w: f"/leerkracht/planbord/{w.board.pk}/digibord/",
        MANAGERS,
    ),
    Page(
        "frontend:pupil-planboard-week",
        "get",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/planbord/",
        MANAGERS,
    ),
    Page(
        "frontend:add-note",
        "post",
        lambda w: f"/leerkracht/leerling/{w.pupil.pk}/rekengesprek/",
        MANAGERS,
        ok=302,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.route)
def test_teacher_pages_matrix(world, client_as, page, persona):
    actions.set_pupil_photo(
        world.pupil, SimpleUploadedFile("noor.jpg", jpeg_bytes(), content_type="image/jpeg")
    )
    client = client_as(world.user(persona))
    before = (world.group.class_code, world.pupil.picture_code)
    data = page.data(world) if page.data else None
    response = getattr(client, page.method)(page.url(world), data)
    expected = teacher_page_status(page, persona)
    assert response.status_code == expected
    if expected == 302 and persona == "anonymous":
        assert response["Location"].startswith("/login/")
    if expected != page.ok:
        world.group.refresh_from_db()
        world.pupil.refresh_from_db()
        # A refused POST changed nothing.
        assert (world.group.class_code, world.pupil.picture_code) == before


PUPIL_PAGES = [
    ("frontend:pupil-home", "get", "/leerling/", 200),
    ("frontend:switch-pupil", "post", "/leerling/wissel/", 302),
    ("frontend:pupil-booklet", "get", "/leerling/doelenboekje/", 200),
    ("frontend:pupil-photos", "get", "/leerling/fotos/", 200),
    ("frontend:pupil-planboard", "get", "/leerling/planbord/", 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route,method,url,ok", PUPIL_PAGES, ids=[p[0] for p in PUPIL_PAGES])
def test_pupil_pages_matrix(world, client_as, route, method, url, ok, persona):
    response = getattr(client_as(world.user(persona)), method)(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/klas/")
    elif persona in PUPILS:
        assert response.status_code == ok
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_block_of_the_booklet_is_only_for_its_groups_pupils(world, client_as, persona):
    """frontend:pupil-booklet-block"""
    response = client_as(world.user(persona)).get(f"/leerling/doelenboekje/{world.block.pk}/")
    expected = {"pupil": 200, "classmate": 200, "other_pupil": 404, "anonymous": 302}
    assert response.status_code == expected.get(persona, 403)
    if response.status_code == 200:
        assert "Ik kan breuken vergelijken." in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_lessons_logbook_is_only_for_its_groups_pupils(world, client_as, persona):
    """frontend:pupil-logbook"""
    response = client_as(world.user(persona)).get(f"/leerling/logboek/{world.lesson.pk}/")
    expected = {"pupil": 200, "classmate": 200, "other_pupil": 404, "anonymous": 302}
    assert response.status_code == expected.get(persona, 403)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "klein/"], ids=["photo", "photo-thumbnail"])
def test_a_photo_is_only_for_the_pupil_and_their_teachers(world, client_as, persona, suffix):
    """frontend:photo, frontend:photo-thumbnail"""
    response = client_as(world.user(persona)).get(f"/foto/{world.photo.pk}/{suffix}")
    if persona in {"pupil", "teacher", "school_admin"}:
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404


COVERED = (
    {p.route for p in PAGES}
    | {p[0] for p in PUPIL_PAGES}
    # Routes with a test of their own above:
    | {"frontend:pupil-booklet-block", "frontend:pupil-logbook"}
    | {"frontend:photo", "frontend:photo-thumbnail"}
)
