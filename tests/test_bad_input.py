"""No 500 on any input (issue 18, item 5): each input the security sweep answered with a
500 is a test here, with the status a user sees and a database left as it was.

Ids are ASCII digits that fit the database ("²" is a digit to `str.isdigit()`, not to
`int()`); impossible dates are today on a page and refused on a change; text with NUL
(PostgreSQL refuses it) or a lone surrogate is refused with a message; JSON bodies have
bounded depth and numbers; page sizes are capped; the group admin refuses a teacher of
another school. The route fuzzer (tests/test_route_fuzz.py) sends generated input
everywhere else."""

import asyncio
import hashlib
import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db.models import Max
from django.utils import timezone
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from classroom import actions
from classroom.inputs import MAX_ID, positive_int
from classroom.models import Group
from classroom.pagination import MAX_LIMIT, CappedLimitOffsetPagination
from classroom.parsers import RefusedJSON, StrictJSONParser, loads
from config.limits import BodyLimit
from goals.models import TeacherAssessment
from logbook.models import ConversationNote, LogbookEntry
from planboard.models import Board
from tests.strict_api import use_strict_api

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True; int("²") raises ValueError
TOO_LARGE = "9" * 30
UNSTORABLE = "Deze tekst bevat een teken dat niet bewaard kan worden"
# Written by logging in (and by the session), not by the request under test.
NOT_COMPARED = {"django_session", "axes_accesslog", "axes_accessfailurelog"}


@pytest.fixture(scope="module")
def extend_world():
    def extend(w):
        # A second school the school admin runs, with a teacher of its own: offered in
        # the group form (the admin may read her), but not a teacher for school A.
        w.second_school = actions.create_school(name="OBS De Es", city="Zwolle")
        actions.set_membership(school=w.second_school, user=w.school_admin, role="school_admin")
        w.second_school_teacher = actions.create_staff_user(
            school=w.second_school, username="juf.es", password="correct horse 42"
        )

    return extend


@pytest.fixture(autouse=True)
def _strict_api(settings, monkeypatch):
    use_strict_api(settings, monkeypatch)


def database() -> dict[str, tuple]:
    """Per table: the number of rows, the highest id and a hash of every row."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in NOT_COMPARED:
            continue
        manager = model._base_manager
        rows = list(manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        state[meta.db_table] = (len(rows), manager.aggregate(top=Max("pk"))["top"], digest)
    return state


@pytest.fixture
def as_user(client, world):
    """The test client signed in as a persona (in Dutch); `unchanged` after the request
    asserts that the database is as it was before it."""

    def login(persona):
        user = world.second_school_teacher if persona == "second" else world.user(persona)
        if user is not None:
            client.force_login(user)
        client.before = database()
        return client

    return login


def unchanged(client) -> bool:
    return database() == client.before


def detail(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


# --- Unicode digits in ids: query parameters of the API ----------------------------


@pytest.mark.parametrize(
    "persona,url",
    [
        ("teacher", "/api/blocks/?group=²"),
        ("teacher", "/api/goals/?block=²"),
        ("pupil", "/api/self-assessments/?goal=²"),
        ("teacher", "/api/teacher-assessments/?pupil=²"),
        ("teacher", "/api/photos/?goal=²"),
        ("teacher", "/api/logbook-entries/?lesson=²"),
    ],
    ids=["blocks-group", "goals-block", "self-assessments-goal", "teacher-assessments-pupil",
         "photos-goal", "logbook-entries-lesson"],
)  # fmt: skip
def test_a_unicode_digit_in_an_api_filter_is_a_400(as_user, persona, url):
    response = as_user(persona).get(url)
    assert response.status_code == 400
    assert "Hier hoort een getal." in detail(response)


@pytest.mark.parametrize("pk", ["²", "٣", TOO_LARGE, "-1"])
@pytest.mark.parametrize(
    "method,path", [("patch", "groups/{}/"), ("post", "pupils/{}/unlock/"), ("get", "plans/{}/")]
)
def test_an_api_object_id_that_is_no_id_is_a_404(as_user, method, path, pk):
    client = as_user("teacher")
    call = getattr(client, method)
    response = call(f"/api/{path.format(pk)}", {}, content_type="application/json")
    assert response.status_code == 404
    assert unchanged(client)


def test_an_id_too_large_in_an_api_filter_is_a_400(as_user):
    response = as_user("teacher").get(f"/api/blocks/?group={TOO_LARGE}")
    assert response.status_code == 400


def test_an_empty_api_filter_filters_nothing(as_user, world):
    response = as_user("teacher").get("/api/blocks/?group=")
    assert response.status_code == 200 and response.json()["count"] >= 1


# --- Unicode digits in ids: query parameters of pages ------------------------------


def test_a_unicode_digit_as_the_booklets_block_is_a_404(as_user, world):
    response = as_user("teacher").get(f"/leerkracht/leerling/{world.pupil.pk}/doelenboekje/?blok=²")
    assert response.status_code == 404


def test_a_unicode_digit_as_the_lesson_to_copy_is_a_new_lesson(as_user, world):
    response = as_user("teacher").get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van=²")
    assert response.status_code == 200
    assert response.context["heading"] == "Nieuwe les"


def test_an_id_too_large_as_the_lesson_to_copy_is_a_new_lesson(as_user, world):
    response = as_user("teacher").get(
        f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van={TOO_LARGE}"
    )
    assert response.status_code == 200


# --- Unicode digits in ids: form fields ---------------------------------------------


def test_a_unicode_digit_as_a_level_is_refused_and_saves_nothing(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/doel/{world.goal.pk}/beoordeel/",
        {"level": "²", "note": "Goed bezig"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kies eerst een niveau." in response.content.decode()
    assert unchanged(client)


def test_a_unicode_digit_as_a_notes_goal_is_refused_and_saves_nothing(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/rekengesprek/",
        {"text": "Rekengesprek over breuken.", "goals": ["²"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Dit doel staat niet in het doelenboekje van deze leerling." in (
        response.content.decode()
    )
    assert unchanged(client)


@pytest.mark.parametrize("field", ["pupil", "slot"])
def test_a_unicode_digit_in_the_planbord_plan_form_is_a_404(as_user, world, field):
    client = as_user("teacher")
    data = {"command": "plan", "pupil": world.classmate.pk, "slot": world.slot2.pk, field: "²"}
    data["datum"] = f"{timezone.localdate():%Y-%m-%d}"
    response = client.post(f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/", data)
    assert response.status_code == 404
    assert unchanged(client)


@pytest.mark.parametrize("value", ["²", TOO_LARGE])
def test_a_bad_activity_id_in_the_planbord_slot_form_makes_no_board(as_user, world, value):
    client = as_user("teacher")
    later = timezone.localdate() + timedelta(days=14)
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {"command": "slot", "activity": value, "on": "1", "datum": f"{later:%Y-%m-%d}"},
    )
    assert response.status_code == 404
    assert not Board.objects.filter(group=world.group, date=later).exists()
    assert unchanged(client)


def test_a_unicode_digit_in_a_class_voice_answer_is_a_404(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/nieuw/reageer/",
        {"on": "entry", "id": "²", "thumb": "1"},
    )
    assert response.status_code == 404
    assert unchanged(client)


def test_a_unicode_digit_as_a_lessons_goal_option_is_a_form_error(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/les/nieuw/",
        {"title": "Meten", "subject": "rekenen", "goal_options": ["²"]},
    )
    assert response.status_code == 400
    assert "goal_options" in response.context["form"].errors
    assert unchanged(client)


@pytest.mark.parametrize("length", [b"\xb2", b"\xb9\xb2", b"9" * 5000])
def test_a_unicode_digit_as_a_content_length_is_refused(length):
    """daphne hands headers over as bytes, read as latin-1: b"\\xb2" is "²" (a digit
    to str.isdigit(), not to int()); 5,000 digits are more than int() reads."""
    sent = []

    async def inner(scope, receive, send):
        raise AssertionError("the body limit let it through")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/places/",
             "headers": [(b"content-length", length)]}  # fmt: skip
    asyncio.run(BodyLimit(inner)(scope, receive, send))
    assert sent[0]["status"] == 413


# --- Impossible dates on the planbord -------------------------------------------------


@pytest.mark.parametrize("day", ["2024-02-30", "0000-01-01"])
def test_an_impossible_date_on_the_planbord_shows_today(as_user, world, day):
    client = as_user("teacher")
    response = client.get(f"/leerkracht/groep/{world.group.pk}/planbord/?datum={day}")
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert unchanged(client)


@pytest.mark.parametrize("day", ["2024-02-30", "0000-01-01"])
def test_an_impossible_date_in_a_planbord_change_changes_nothing(as_user, world, day):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {"command": "slot", "activity": world.activity.pk, "on": "1", "datum": day},
        follow=True,
    )
    assert response.status_code == 200
    assert "Dat is geen dag in de kalender." in response.content.decode()
    assert unchanged(client)


@pytest.mark.parametrize("day", ["2024-02-30", "0000-01-01"])
def test_an_impossible_day_to_copy_to_copies_nothing(as_user, world, day):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/planbord/wijzig/",
        {"command": "copy_day", "naar": day},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kies een andere dag om naartoe te kopiëren." in response.content.decode()
    assert unchanged(client)


@pytest.mark.parametrize("day", ["2024-02-30", "0000-01-01"])
def test_an_impossible_date_on_the_activity_form_is_ignored(as_user, world, day):
    response = as_user("teacher").get(
        f"/leerkracht/groep/{world.group.pk}/activiteit/nieuw/?datum={day}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["2024-02-30", "0000-01-01", "9999-12-31", "0001-01-01"])
def test_a_planbord_day_outside_the_calendar_through_the_api_is_a_400(as_user, world, day):
    client = as_user("teacher")
    response = client.post(
        "/api/boards/",
        json.dumps({"group": world.group.pk, "date": day}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert unchanged(client)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_lesson_day_outside_the_calendar_through_the_api_is_a_400(as_user, world, day):
    client = as_user("teacher")
    body = {"group": world.group.pk, "title": "Meten", "subject": "rekenen", "date": day}
    response = client.post("/api/lessons/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "Kies een datum tussen 2000 en 2100." in detail(response)
    assert unchanged(client)


def test_a_block_day_outside_the_calendar_in_the_admin_is_a_form_error(as_user, world):
    client = as_user("teacher")
    response = client.post(
        "/admin/goals/block/add/",
        {"group": world.group.pk, "name": "Blok 9", "start_date": "2026-01-05",
         "end_date": "9999-12-31"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"]
    assert unchanged(client)


def test_copying_a_lesson_at_the_end_of_the_calendar_is_no_500(as_user, world):
    """A lesson stored before dates were checked: "a week later" is past date.max."""
    lesson = actions.create_lesson(group=world.group, title="Ver weg", date=date.max)
    response = as_user("teacher").get(
        f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van={lesson.pk}"
    )
    assert response.status_code == 200


# --- Lone surrogates and NUL in text --------------------------------------------------


def choose_instruction(client, world, text: str):
    body = {
        "lesson": world.lesson.pk,
        "aspect": "instruction",
        "value": {"wanted": True, "reason": "", "text": text},
    }
    # ensure_ascii (the default) writes "\ud800" as the escape a browser would send.
    return client.post(
        "/api/logbook-entries/choose/", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    "text", ["Ik wil \ud800 uitleg", "Ik wil \x00 uitleg"], ids=["surrogate", "nul"]
)
def test_unstorable_logbook_text_through_the_api_is_a_400(as_user, world, text):
    client = as_user("pupil")
    response = choose_instruction(client, world, text)
    assert response.status_code == 400
    assert UNSTORABLE in detail(response)
    assert unchanged(client)


@pytest.mark.parametrize(
    "text", ["Ik wil \ud800 uitleg", "Ik wil \x00 uitleg"], ids=["surrogate", "nul"]
)
def test_unstorable_logbook_text_is_refused_by_the_action_too(world, text):
    """What a WebSocket frame or a form-encoded body hands the logbook (no JSON parser
    on the way): refused before anything is saved."""
    from django.core.exceptions import ValidationError

    from logbook import entries

    before = LogbookEntry.objects.get(pk=world.entry.pk).instruction_text
    with pytest.raises(ValidationError, match="niet bewaard kan worden"):
        entries.choose(
            pupil=world.pupil,
            lesson=world.lesson,
            aspect="instruction",
            value={"wanted": True, "text": text},
        )
    assert LogbookEntry.objects.get(pk=world.entry.pk).instruction_text == before


@pytest.mark.parametrize("text", ["Ging \ud800 goed", "Ging \x00 goed"], ids=["surrogate", "nul"])
def test_unstorable_evaluation_text_through_the_api_is_a_400(as_user, world, text):
    client = as_user("pupil")
    body = {"lesson": world.lesson.pk, "mood": "good", "text": text}
    response = client.post(
        "/api/logbook-entries/evaluate/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert unchanged(client)


@pytest.mark.parametrize("text", ["Breuken \ud800", "Breuken \x00"], ids=["surrogate", "nul"])
def test_unstorable_note_text_through_the_api_is_a_400(as_user, world, text):
    client = as_user("teacher")
    body = {"pupil": world.pupil.pk, "text": text, "goals": [world.goal.pk]}
    response = client.post(
        "/api/conversation-notes/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert unchanged(client)


def test_nul_in_a_rekengesprek_note_form_is_refused_and_saves_nothing(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/rekengesprek/",
        {"text": "Breuken \x00 op de getallenlijn", "goals": [world.goal.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert UNSTORABLE in response.content.decode()
    assert unchanged(client)


def test_nul_in_an_assessment_note_form_is_refused_and_saves_nothing(as_user, world):
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/doel/{world.goal.pk}/beoordeel/",
        {"level": "2", "note": "Kan \x00 het"},
        follow=True,
    )
    assert response.status_code == 200
    assert UNSTORABLE in response.content.decode()
    assert not TeacherAssessment.objects.filter(note__contains="Kan").exists()
    assert unchanged(client)


def test_a_surrogate_sent_in_a_form_arrives_as_replacement_characters(as_user, world):
    """A form body is bytes: "\\ud800" can only arrive as the bytes ED A0 80, which are
    no UTF-8; Django reads them as U+FFFD. What is saved is storable everywhere."""
    client = as_user("teacher")
    response = client.post(
        f"/leerkracht/leerling/{world.pupil.pk}/rekengesprek/",
        "text=Breuken+%ED%A0%80+getallenlijn",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    note = ConversationNote.objects.get(text__startswith="Breuken")
    note.text.encode("utf-8")  # no surrogate
    assert "\ufffd" in note.text


# --- JSON bodies: numbers and depth ---------------------------------------------------


def post_json(client, url: str, body: str):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(
    "number",
    ["1e309", "-1e309", "1e400", "1.5e99999", TOO_LARGE, "-" + TOO_LARGE, "9" * 5000],
    ids=lambda number: number if len(number) < 40 else f"{len(number)}-digits",
)
def test_a_number_too_large_in_json_is_a_400(as_user, world, number):
    client = as_user("pupil")
    body = f'{{"lesson": {world.lesson.pk}, "aspect": "place", "value": {number}}}'
    response = post_json(client, "/api/logbook-entries/choose/", body)
    assert response.status_code == 400
    assert "Een getal in de gegevens is te groot." in detail(response)
    assert unchanged(client)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_non_json_constant_is_a_400(as_user, world, constant):
    client = as_user("teacher")
    response = post_json(
        client, "/api/places/", f'{{"group": {world.group.pk}, "capacity": {constant}}}'
    )
    assert response.status_code == 400
    assert unchanged(client)


def test_50000_nested_brackets_in_json_is_a_400(as_user, world):
    client = as_user("pupil")
    nested = "[" * 50_000 + "]" * 50_000
    body = f'{{"lesson": {world.lesson.pk}, "aspect": "goal", "value": {nested}}}'
    response = post_json(client, "/api/logbook-entries/choose/", body)
    assert response.status_code == 400
    assert "De gegevens zijn te diep genest." in detail(response)
    assert unchanged(client)


def test_json_nested_deeper_than_the_bound_is_a_400(as_user, world):
    client = as_user("teacher")
    nested = '{"a": ' * 40 + "1" + "}" * 40
    response = post_json(client, "/api/places/", nested)
    assert response.status_code == 400
    assert "De gegevens zijn te diep genest." in detail(response)


def test_ordinary_json_still_works(as_user, world):
    client = as_user("pupil")
    body = json.dumps({"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk})
    assert post_json(client, "/api/logbook-entries/choose/", body).status_code == 200
    assert LogbookEntry.objects.get(pk=world.entry.pk).place_id == world.place.pk


# --- Page sizes -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/pupils/", "/api/lessons/", "/api/goals/", "/api/boards/"])
def test_a_huge_limit_is_a_normal_page(as_user, url):
    response = as_user("teacher").get(f"{url}?limit=99999999999999999999")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= MAX_LIMIT


@pytest.mark.parametrize(
    "offset", ["99999999999999999999", "9" * 5000], ids=["20-digits", "5000-digits"]
)
def test_a_huge_offset_is_an_empty_page(as_user, offset):
    response = as_user("teacher").get(f"/api/pupils/?offset={offset}")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("limit", ["²", "-1", "0", "abc", "1e3"])
def test_a_limit_that_is_no_number_is_the_default_page(as_user, world, limit):
    response = as_user("teacher").get(f"/api/pupils/?limit={limit}")
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"])  # all fit one page


def test_page_sizes_are_capped_at_max_limit(as_user, world):
    response = as_user("teacher").get(f"/api/pupils/?limit={MAX_LIMIT + 1}")
    assert response.status_code == 200
    assert f"limit={MAX_LIMIT}" in (response.json()["next"] or f"limit={MAX_LIMIT}")


# --- The group admin form -------------------------------------------------------------


def group_form(world, **fields) -> dict:
    return {
        "school": world.school.pk,
        "name": "Groep 8",
        "year_from": "8",
        "year_to": "8",
        "picture_code_length": "3",
        "language": "nl",
        "places-TOTAL_FORMS": "0",
        "places-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_foreign_teacher_in_the_group_admin_add_form_is_a_form_error(as_user, world):
    """The school admin runs both schools, so the second school's teacher is offered; she
    cannot teach a group of school A: the form says so and no group is made."""
    client = as_user("school_admin")
    response = client.post(
        "/admin/classroom/group/add/",
        group_form(world, teachers=[world.teacher.pk, world.second_school_teacher.pk]),
    )
    assert response.status_code == 200
    assert "Alleen personeel van deze school kan deze groep lesgeven." in (
        response.content.decode()
    )
    assert not Group.objects.filter(name="Groep 8").exists()
    assert unchanged(client)


def test_a_foreign_teacher_in_the_group_admin_change_form_is_a_form_error(as_user, world):
    client = as_user("school_admin")
    response = client.post(
        f"/admin/classroom/group/{world.group.pk}/change/",
        group_form(world, name="Groep 6", year_from="6", year_to="6",
                   teachers=[world.teacher.pk, world.other_school_teacher.pk]),
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["teachers"]
    assert unchanged(client)


@pytest.mark.parametrize("teacher", [TOO_LARGE, "²", "-1"])
def test_a_teacher_id_that_is_no_id_in_the_group_admin_form_is_a_form_error(
    as_user, world, teacher
):
    client = as_user("school_admin")
    response = client.post("/admin/classroom/group/add/", group_form(world, teachers=[teacher]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["teachers"]
    assert unchanged(client)


# --- The pieces, and the configuration ------------------------------------------------


def test_positive_int_takes_only_ascii_digits_that_fit_an_id():
    assert positive_int("42") == 42 and positive_int(42) == 42 and positive_int("0") == 0
    assert positive_int(str(MAX_ID)) == MAX_ID
    for bad in ["²", "٣", "-1", "+1", " 1", "1.0", "", None, str(MAX_ID + 1), TOO_LARGE]:
        assert positive_int(bad) is None, bad


@pytest.mark.parametrize(
    "text",
    ["1e309", "-1e309", "9" * 30, "NaN", "[" * 50_000 + "]" * 50_000, "[" * 40 + "]" * 40,
     '"\\ud800"', '{"\\u0000": 1}'],
    ids=["inf", "-inf", "huge-int", "nan", "50000-deep", "40-deep", "surrogate", "nul-key"],
)  # fmt: skip
def test_the_bounded_json_loads_refuses_what_the_parser_refuses(text):
    """classroom.parsers.loads: the same bounds for JSON from anywhere (a WebSocket
    frame too)."""
    with pytest.raises(RefusedJSON):
        loads(text)


def test_the_bounded_json_loads_reads_ordinary_json():
    body = '{"lesson": 3, "levels": [{"goal": 7, "level": 2}], "x": 2.5, "t": "\\ud83d\\ude00"}'
    assert loads(body) == {"lesson": 3, "levels": [{"goal": 7, "level": 2}], "x": 2.5, "t": "😀"}


def test_the_api_is_configured_with_the_strict_parser_and_capped_pages(monkeypatch):
    """config/settings.py's REST_FRAMEWORK names both (see tests/strict_api.py): DRF's
    views as imported, without this module's fixture."""
    monkeypatch.undo()
    assert APIView.parser_classes[0] is StrictJSONParser
    assert GenericAPIView.pagination_class is CappedLimitOffsetPagination
