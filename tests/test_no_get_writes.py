"""Opening a page changes nothing (issue 14): every page of every role, and every API
list, detail and read action a role can reach, is fetched, and every table is compared
before and after each GET.

Logging in writes the session and django-axes' access log, legitimately; those tables
are left out, and each persona logs in before the first fingerprint is taken.
"""

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from classroom import actions
from classroom.models import Lesson, UsageEvent
from classroom.realtime import publish
from logbook.models import LogbookEntry
from research import actions as research_actions
from research.exports import FORMATS
from research.models import ConsentStatus, Dataset, Phase
from tests.conftest import PERSONAS, block_study, build_world, choose_pupil, pages_by_role
from tests.test_realtime_events import Recorder

# Written by logging in, not by opening a page.
LOGIN_TABLES = {"django_session", "axes_accesslog", "axes_accessfailurelog"}
# Written on purpose by an export and a pupil's data download (classroom.audit): who
# took the data is itself recorded (tests/research/test_audit.py).
AUDIT_TABLES = {"classroom_auditrecord"}


def fingerprint() -> dict[str, tuple]:
    """Per table: the number of rows, the highest primary key and a hash of every row."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in LOGIN_TABLES | AUDIT_TABLES:
            continue
        manager = model._base_manager
        rows = list(manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
        result[meta.db_table] = (len(rows), manager.aggregate(top=Max("pk"))["top"], digest)
    return result


class Visitor:
    """One persona's browser: GETs a URL and notes every table the GET changed."""

    def __init__(self, user):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.state = fingerprint()
        self.writes: dict[str, list[str]] = {}

    def get(self, url: str):
        response = self.client.get(url)
        if response.streaming:  # an export does its work while it streams
            b"".join(response.streaming_content)
        state = fingerprint()
        tables = state.keys() | self.state.keys()
        changed = sorted(t for t in tables if state.get(t) != self.state.get(t))
        if changed:
            self.writes[url] = changed
        self.state = state
        return response


@pytest.fixture
def world(db):
    """The shared world with a study, a design team, and a running lesson in which the
    teacher decides everything and nobody has an entry yet."""
    world = build_world()
    world.researcher = get_user_model().objects.create_user("dr.onderzoek", password="x" * 12)
    world.study = block_study(world, Dataset.values, researchers=[world.researcher])
    for pupil in (world.pupil, world.classmate):
        research_actions.set_consent(
            study=world.study, pupil=pupil, status=ConsentStatus.GIVEN, acting_user=world.teacher
        )
    world.intervention = research_actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group],
        start_date=world.block.start_date,
        end_date=world.block.end_date,
        members=[world.teacher],
    )
    research_actions.link_lesson(
        intervention=world.intervention, lesson=world.lesson, phase=Phase.INTENDED
    )
    world.fixed = actions.create_lesson(
        group=world.group,
        title="Klassikaal",
        fixed_instruction=True,
        goals=[world.goal],
        places=[world.place],
    )
    actions.start_lesson(world.fixed, acting_user=world.teacher)
    world.planned = actions.create_lesson(
        group=world.group,
        title="Morgen",
        date=timezone.localdate() + timedelta(days=1),
        goals=[world.goal],
    )
    return world


def user_of(world, persona):
    return world.researcher if persona == "researcher" else world.user(persona)


# Which of pages_by_role's lists a persona's pages are (they must open: 200).
ROLE_OF = {
    "anonymous": "anonymous",
    "pupil": "pupil",
    "classmate": "pupil",
    "teacher": "teacher",
    "school_admin": "school_admin",
    "researcher": "researcher",
}


def own_pages(w) -> dict[str, list[str]]:
    """Pages beyond pages_by_role: a lesson nobody has an entry in yet, a day without a
    planbord, downloads, photos and the app's files."""
    later = timezone.localdate() + timedelta(days=5)
    exports = [f"/onderzoek/studie/{w.study.pk}/export/{fmt}/" for fmt in FORMATS]
    return {
        "anonymous": ["/sw.js", "/manifest.webmanifest"],
        "pupil": [
            f"/leerling/logboek/{w.fixed.pk}/",
            f"/leerling/doelenboekje/{w.block.pk}/",
        ],
        "teacher": [
            f"/leerkracht/les/{w.fixed.pk}/",
            f"/leerkracht/les/{w.planned.pk}/bewerken/",
            f"/leerkracht/groep/{w.group.pk}/les/nieuw/",
            f"/leerkracht/groep/{w.group.pk}/planbord/?datum={later:%Y-%m-%d}",
            f"/leerkracht/groep/{w.group.pk}/qr.svg",
            f"/leerkracht/leerling/{w.pupil.pk}/doelenboekje/?blok={w.block.pk}",
            f"/leerkracht/blok/{w.block.pk}/?filter=level1",
            f"/foto/{w.photo.pk}/",
            f"/foto/{w.photo.pk}/klein/",
        ],
        "school_admin": [*exports, f"/leerkracht/leerling/{w.pupil.pk}/gegevens/download/"],
        "researcher": exports,
    }


def every_page(w) -> dict[str, list[str]]:
    pages = pages_by_role(w)
    for role, urls in own_pages(w).items():
        pages[role] = pages.get(role, []) + urls
    return pages


def _api_routes(patterns=None) -> dict[str, dict[str, list[str]]]:
    """Per DRF basename, the names of its GET routes: "list" and per-object ones."""
    routes: dict[str, dict[str, list[str]]] = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            for basename, kinds in _api_routes(pattern.url_patterns).items():
                for kind, names in kinds.items():
                    known = routes.setdefault(basename, {}).setdefault(kind, [])
                    known += [name for name in names if name not in known]
            continue
        assert isinstance(pattern, URLPattern)
        callback = pattern.callback
        mapping = getattr(callback, "actions", None) or {}
        if "get" not in mapping or pattern.name is None:
            continue
        initkwargs = getattr(callback, "initkwargs", {})
        kind = "detail" if initkwargs.get("detail") else "list"
        names = routes.setdefault(initkwargs["basename"], {}).setdefault(kind, [])
        if pattern.name not in names:
            names.append(pattern.name)
    return routes


def visit_the_api(visitor: Visitor) -> int:
    """Every API GET the visitor can make: /api/me/, every lesson's dashboard, each list,
    and for each object a list shows, its detail and its read actions. Returns how many
    objects were opened."""
    opened = 0
    visitor.get("/api/me/")
    for pk in Lesson.objects.values_list("pk", flat=True):
        visitor.get(f"/api/lessons/{pk}/dashboard/")
    for kinds in _api_routes().values():
        for name in kinds.get("list", []):
            response = visitor.get(reverse(name))
            if response.status_code != 200:
                continue
            data = response.json()
            items = data["results"] if isinstance(data, dict) and "results" in data else data
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and "id" in item:
                    opened += 1
                    for detail in kinds.get("detail", []):
                        visitor.get(reverse(detail, kwargs={"pk": item["id"]}))
    return opened


@pytest.mark.parametrize("persona", [*PERSONAS, "researcher"])
def test_no_page_and_no_api_read_writes_anything(world, persona):
    visitor = Visitor(user_of(world, persona))
    if persona == "anonymous":
        choose_pupil(visitor.client, world.pupil)  # a POST: the picture-code page opens
    pages = every_page(world)
    role = ROLE_OF.get(persona)
    for url in pages.get(role, []) if role else []:
        response = visitor.get(url)
        assert response.status_code == 200, url
    # Everyone else's pages too: a refusal must not write either.
    for other, urls in pages.items():
        if other != role:
            for url in urls:
                visitor.get(url)
    opened = visit_the_api(visitor)
    assert (opened > 0) == (persona != "anonymous")
    assert visitor.writes == {}


def test_the_check_sees_a_get_that_writes(world, monkeypatch):
    """Guard against a fingerprint that sees nothing: a page that records an event."""
    from frontend.views import pupil as pupil_views

    render = pupil_views.render

    def writing_render(request, *args, **kwargs):
        UsageEvent.objects.create(verb="seen", object_type="page")
        return render(request, *args, **kwargs)

    monkeypatch.setattr(pupil_views, "render", writing_render)
    visitor = Visitor(world.pupil.user)
    visitor.get("/leerling/")
    assert list(visitor.writes) == ["/leerling/"]


def test_opening_the_logbook_shows_the_teachers_decisions_without_saving_them(world, client):
    client.force_login(world.classmate.user)
    page = client.get(f"/leerling/logboek/{world.fixed.pk}/").content.decode()
    assert page.count('class="teacher-chose"') == 4  # goal, instruction, partner, place
    assert world.goal.statement in page and "Stiltehoek" in page
    assert 'data-testid="section-evaluation"' in page  # the teacher's goal can be evaluated
    assert not LogbookEntry.objects.filter(pupil=world.classmate).exists()


def test_the_first_choice_through_the_api_makes_the_entry_with_its_event_and_number(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    layer = Recorder()
    monkeypatch.setattr(publish, "get_channel_layer", lambda: layer)
    client = Client()
    client.force_login(world.classmate.user)
    assert client.get(f"/leerling/logboek/{world.lesson.pk}/").status_code == 200
    seq = Lesson.objects.get(pk=world.lesson.pk).seq
    last_event = UsageEvent.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/logbook-entries/choose/",
            {"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk},
            content_type="application/json",
            headers={"idempotency-key": str(uuid.uuid4())},
        )
    assert response.status_code == 200, response.content
    entry = LogbookEntry.objects.get(pupil=world.classmate, lesson=world.lesson)
    assert entry.place == world.place and entry.decided_by == {"place": "pupil"}
    events = UsageEvent.objects.filter(pk__gt=last_event)
    assert [(e.verb, e.pupil_id, e.object_id) for e in events] == [
        ("logbook_chosen", world.classmate.pk, entry.pk)
    ]
    ((group, message),) = layer.sent
    assert (group, message["type"]) == (f"lesson.{world.lesson.pk}", "lesson.changed")
    assert message["seq"] == seq + 1 == Lesson.objects.get(pk=world.lesson.pk).seq
    assert message["row"]["pupil"] == world.classmate.pk
    assert message["row"]["state"] == "working"


def test_the_first_action_in_a_fixed_lesson_fills_in_the_teachers_decisions(world):
    from logbook import entries

    entry = entries.evaluate(
        pupil=world.classmate, lesson=world.fixed, levels={world.goal.pk: 2}, mood="ok"
    )
    assert list(entry.goals.all()) == [world.goal]
    assert (entry.instruction, entry.place, entry.alone) == (True, world.place, True)
    assert entry.decided_by == {}  # fixed aspects are the teacher's by the lesson's settings


def test_a_refused_first_choice_makes_no_entry(world, client):
    client.force_login(world.classmate.user)
    response = client.post(
        "/api/logbook-entries/choose/",
        {"lesson": world.lesson.pk, "aspect": "place", "value": 999999},
        content_type="application/json",
        headers={"idempotency-key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert not LogbookEntry.objects.filter(pupil=world.classmate, lesson=world.lesson).exists()
