"""Every research and design-team route, every persona, the exact status. Two personas
join the usual ones: `researcher` (on the study, no school) and `other_researcher`.
The module's world has a study, a design team and a linked lesson (`extend_world`)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from research import actions
from research.models import Consent, Dataset, Observation, Phase

PERSONAS = [
    "teacher",
    "colleague",
    "other_school_teacher",
    "school_admin",
    "pupil",
    "researcher",
    "other_researcher",
    "anonymous",
]


@pytest.fixture(autouse=True)
def _english():
    """As in tests/research: action messages in English."""
    with translation.override("en"):
        yield


def add_research(world):
    """The world's study (with a researcher on it), design team and linked lesson."""
    with translation.override("en"):  # as the tests run: tests/research built it so
        _add_research(world)


def _add_research(world):
    users = get_user_model().objects
    world.researcher = users.create_user("dr.onderzoek", password="correct horse 42")
    world.other_researcher = users.create_user("dr.anders", password="correct horse 42")
    start = world.block.start_date
    world.study = actions.save_study(
        None,
        school=world.school,
        title="Regie",
        groups=[world.group],
        start_date=start,
        end_date=start + timedelta(days=60),
        datasets=list(Dataset.values),
        researchers=[world.researcher],
    )
    world.intervention = actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group],
        start_date=start,
        end_date=start + timedelta(days=60),
        members=[world.teacher],
    )
    world.link = actions.link_lesson(
        intervention=world.intervention, lesson=world.lesson, phase=Phase.INTENDED
    )


@pytest.fixture(scope="module")
def extend_world():
    return add_research


@dataclass
class Route:
    name: str
    method: str
    url: str
    statuses: dict
    data: dict | None = None


def statuses(ok, *, allowed, hidden=(), forbidden_default=403):
    """`allowed` get `ok`; `hidden` get 404; anonymous visitors are sent to log in (302
    for pages, 403 for the API); everyone else gets `forbidden_default`."""
    return {p: ok if p in allowed else 404 if p in hidden else forbidden_default for p in PERSONAS}


OUTSIDERS = ("colleague", "other_school_teacher", "other_researcher")
ROUTES = [
    Route("research-home", "get", "/onderzoek/", statuses(200, allowed=set(PERSONAS) - {"pupil"})),
    Route("study-new", "get", "/onderzoek/studie/nieuw/", statuses(200, allowed={"school_admin"})),
    Route(
        "study",
        "get",
        "/onderzoek/studie/{study}/",
        statuses(200, allowed={"teacher", "school_admin", "researcher"}, hidden=OUTSIDERS),
    ),
    Route(
        "study-edit",
        "get",
        "/onderzoek/studie/{study}/bewerken/",
        statuses(200, allowed={"school_admin"}, hidden=OUTSIDERS),
    ),
    Route(
        "study-consent",
        "post",
        "/onderzoek/studie/{study}/toestemming/",
        statuses(302, allowed={"teacher", "school_admin"}, hidden=OUTSIDERS),
        data={"consent-{pupil}": "given"},
    ),
    Route(
        "study-export",
        "get",
        "/onderzoek/studie/{study}/export/csv/",
        statuses(200, allowed={"school_admin", "researcher"}, hidden=OUTSIDERS),
    ),
    Route(
        "intervention-new",
        "get",
        "/ontwerpteam/nieuw/",
        statuses(200, allowed={"teacher", "colleague", "other_school_teacher", "school_admin"}),
    ),
    Route(
        "intervention",
        "get",
        "/ontwerpteam/{intervention}/",
        statuses(200, allowed={"teacher", "school_admin"}, hidden=(*OUTSIDERS, "researcher")),
    ),
    Route(
        "intervention-edit",
        "get",
        "/ontwerpteam/{intervention}/bewerken/",
        statuses(200, allowed={"teacher", "school_admin"}, hidden=(*OUTSIDERS, "researcher")),
    ),
    Route(
        "intervention-observation",
        "post",
        "/ontwerpteam/{intervention}/observatie/",
        statuses(302, allowed={"teacher", "school_admin"}, hidden=(*OUTSIDERS, "researcher")),
        data={"date": "2026-11-23", "text": "De klas koos vlot."},
    ),
    Route(
        "intervention-link",
        "post",
        "/ontwerpteam/{intervention}/les/",
        statuses(302, allowed={"teacher", "school_admin"}, hidden=(*OUTSIDERS, "researcher")),
        data={"lesson": "{lesson}", "phase": "ervaren"},
    ),
    Route(
        "intervention-unlink",
        "post",
        "/ontwerpteam/koppeling/{link}/verwijderen/",
        statuses(302, allowed={"teacher", "school_admin"}, hidden=(*OUTSIDERS, "researcher")),
    ),
    Route(
        "pupil-data",
        "get",
        "/leerkracht/leerling/{pupil}/gegevens/",
        statuses(200, allowed={"school_admin"}, hidden=("colleague", "other_school_teacher")),
    ),
    Route(
        "pupil-data-download",
        "get",
        "/leerkracht/leerling/{pupil}/gegevens/download/",
        statuses(200, allowed={"school_admin"}, hidden=("colleague", "other_school_teacher")),
    ),
    Route(
        "pupil-erase",
        "post",
        "/leerkracht/leerling/{pupil}/gegevens/wissen/",
        statuses(302, allowed={"school_admin"}, hidden=("colleague", "other_school_teacher")),
        data={"confirm": "Daan"},
    ),
]
API = [
    Route("studies", "get", "/api/studies/", statuses(200, allowed=set(PERSONAS) - {"anonymous"})),
    Route(
        "study-detail",
        "get",
        "/api/studies/{study}/",
        statuses(
            200,
            allowed={"teacher", "school_admin", "researcher"},
            hidden=(*OUTSIDERS, "pupil"),
        ),
    ),
    Route(
        "study-export",
        "get",
        "/api/studies/{study}/export/?fmt=jsonl",
        statuses(
            200,
            allowed={"school_admin", "researcher"},
            hidden=(*OUTSIDERS, "pupil"),
        ),
    ),
    Route(
        "consents", "get", "/api/consents/", statuses(200, allowed=set(PERSONAS) - {"anonymous"})
    ),
    Route(
        "consent-create",
        "post",
        "/api/consents/",
        # Who cannot see the study or the pupil gets 400 (an unknown study or pupil).
        statuses(
            200,
            allowed={"teacher", "school_admin"},
            hidden=(),
            forbidden_default=400,
        )
        | {"anonymous": 403},
        data={"study": "{study}", "pupil": "{pupil}", "status": "given"},
    ),
]


def _fill(text, w):
    return text.format(
        study=w.study.pk,
        intervention=w.intervention.pk,
        link=w.link.pk,
        pupil=w.classmate.pk,
        lesson=w.lesson.pk,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_research_pages_matrix(world, client, route, persona):
    w = world
    who = w.user(persona)
    if who is not None:
        client.force_login(who)
    data = {_fill(k, w): _fill(v, w) for k, v in (route.data or {}).items()}
    response = getattr(client, route.method)(_fill(route.url, w), data)
    expected = 302 if persona == "anonymous" else route.statuses[persona]
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/login/" in response["Location"]
    changed = response.status_code == 302 and persona != "anonymous"
    if route.name == "study-consent":
        assert Consent.objects.filter(pupil=w.classmate, status="given").exists() == changed
    if route.name == "intervention-observation":
        assert Observation.objects.exists() == changed
    if route.name == "pupil-erase":
        assert type(w.classmate).objects.filter(pk=w.classmate.pk).exists() != changed


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", API, ids=lambda r: r.name)
def test_research_api_matrix(world, api, route, persona):
    w = world
    who = w.user(persona)
    if who is not None:
        api.force_authenticate(who)
    data = {k: _fill(v, w) for k, v in (route.data or {}).items()}
    response = getattr(api, route.method)(_fill(route.url, w), data, format="json")
    expected = 403 if persona == "anonymous" else route.statuses[persona]
    assert response.status_code == expected, response.content[:300]
    if route.name == "studies" and expected == 200:
        titles = [s["title"] for s in response.json()["results"]]
        visible = persona in {"teacher", "school_admin", "researcher"}
        assert titles == (["Regie"] if visible else [])
    if route.name == "consents" and expected == 200:
        assert response.json()["results"] == []


COVERED = {f"frontend:{r.name}" for r in ROUTES} | {
    "study-list",
    "study-detail",
    "study-export",
    "consent-list",
}
