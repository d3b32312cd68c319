"""Every WebSocket, every persona, through the real ASGI stack (Origin check, session
login, the consumer's check on connect): accepted exactly when the persona may open the
same object over HTTP, else closed with 4403.

The consumers look the user and the object up through `database_sync_to_async`, which
closes the connection around each call; so the world here is committed, not held in a
test's transaction. It is built once for the module and flushed after it, as
pytest-django flushes after a transactional test.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from tests import ws
from tests.conftest import FAST_HASHERS, PERSONAS, SharedWorld, World, build_world
from tests.permissions import test_classroom as classroom_matrix
from tests.permissions import test_planboard as planboard_matrix
from tests.permissions.matrix import Api, expected_api_status


@dataclass
class Socket:
    route: str  # as in config.asgi.websocket_urlpatterns
    url: Callable[[World], str]
    http: tuple | None  # (route, method) of the HTTP endpoint with the same rule
    unknown: str  # the URL for an object that does not exist
    # Where no HTTP endpoint has the same rule: the personas accepted.
    accepted: frozenset = frozenset()


def http_case(area, route: str, method: str) -> Api:
    (case,) = [c for c in area.API if c.route == route and c.method == method]
    return case


SOCKETS = [
    # The live dashboard: those who run the lesson, as its HTTP dashboard.
    Socket(
        "ws/les/<int:lesson_id>/",
        lambda w: f"/ws/les/{w.lesson.pk}/",
        (classroom_matrix, "api-lesson-dashboard", "get"),
        "/ws/les/999999/",
    ),
    # The planbord's screens: whoever may read the board.
    Socket(
        "ws/planbord/<int:board_id>/",
        lambda w: f"/ws/planbord/{w.board.pk}/",
        (planboard_matrix, "board-detail", "get"),
        "/ws/planbord/999999/",
    ),
    # The class's screens: whoever may read the group.
    Socket(
        "ws/klas/<int:group_id>/",
        lambda w: f"/ws/klas/{w.group.pk}/",
        (classroom_matrix, "group-detail", "get"),
        "/ws/klas/999999/",
    ),
    # A pupil's own logbook page hears the teacher's decisions for them: only the
    # group's active pupils (each hears only their own entry: tests/logbook).
    Socket(
        "ws/leerling/les/<int:lesson_id>/",
        lambda w: f"/ws/leerling/les/{w.lesson.pk}/",
        None,
        "/ws/leerling/les/999999/",
        accepted=frozenset({"pupil", "classmate"}),
    ),
    # "Nieuw van de klas": the group's teachers, as its HTTP page.
    Socket(
        "ws/leerkracht/groep/<int:group_id>/nieuw/",
        lambda w: f"/ws/leerkracht/groep/{w.group.pk}/nieuw/",
        None,
        "/ws/leerkracht/groep/999999/nieuw/",
        accepted=frozenset({"teacher", "school_admin"}),
    ),
]
SOCKET_IDS = [s.route.split("/")[1] for s in SOCKETS]


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    if SharedWorld.current is not None:  # never inside another module's transaction
        SharedWorld.current.close()
    media = tmp_path_factory.mktemp("socket-world-media")
    settings = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS)
    with django_db_blocker.unblock(), settings:
        world = build_world()
    yield world
    with django_db_blocker.unblock():
        for alias in connections:
            call_command("flush", verbosity=0, interactive=False, database=alias)


@pytest.fixture
def world(committed_world, django_db_blocker) -> World:
    """Logging in (a session row) and the consumers' look-ups need the database."""
    with django_db_blocker.unblock():
        yield committed_world


def expected(socket: Socket, persona: str) -> tuple:
    if socket.http is None:
        allowed = persona in socket.accepted
    else:
        area, route, method = socket.http
        allowed = expected_api_status(http_case(area, route, method), persona) == 200
    return (True, None) if allowed else (False, 4403)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("socket", SOCKETS, ids=SOCKET_IDS)
def test_socket_matrix(world, socket, persona):
    assert ws.connect(socket.url(world), world.user(persona)) == expected(socket, persona)


def test_the_sockets_follow_the_http_rules(world):
    """The rules the matrix above derives from HTTP, spelled out."""
    everyone = set(PERSONAS)
    accepted = {
        "les": {"teacher", "school_admin"},
        "planbord": {"teacher", "school_admin", "pupil", "classmate"},
        "klas": {"teacher", "school_admin", "pupil", "classmate"},
        "leerling": {"pupil", "classmate"},
        "leerkracht": {"teacher", "school_admin"},
    }
    for socket, name in zip(SOCKETS, SOCKET_IDS, strict=True):
        assert {p for p in everyone if expected(socket, p)[0]} == accepted[name]


@pytest.mark.parametrize("socket", SOCKETS, ids=SOCKET_IDS)
def test_an_unknown_object_is_refused(world, socket):
    assert ws.connect(socket.unknown, world.teacher) == (False, 4403)


@pytest.mark.parametrize("socket", SOCKETS, ids=SOCKET_IDS)
def test_a_foreign_origin_is_refused_even_for_the_teacher(world, socket):
    connected, _code = ws.connect(socket.url(world), world.teacher, origin="http://evil.example")
    assert connected is False


COVERED_SOCKETS = {s.route for s in SOCKETS}
REFUSED = (False, 1000)  # the handshake is refused (HTTP 403) before any consumer runs


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost:9999",  # another port on the same host
        "http://localhost:3000",
        "https://localhost",  # another scheme
        "http://127.0.0.1",  # another host (though allowed by ALLOWED_HOSTS)
        "null",
        "http://localhost/lessons",  # not a plain origin
        "",
    ],
)
def test_an_origin_that_differs_in_scheme_port_or_host_is_refused(world, origin):
    """The browser connected to http://localhost: only that exact origin may open."""
    assert ws.connect(f"/ws/les/{world.lesson.pk}/", world.teacher, origin=origin) == REFUSED
    assert ws.connect(f"/ws/les/{world.lesson.pk}/", world.teacher) == (True, None)


def test_a_server_on_a_port_accepts_its_own_origin_with_that_port(world):
    path = f"/ws/les/{world.lesson.pk}/"
    own = ws.headers(world.teacher, origin="http://localhost:8000", host="localhost:8000")
    other = ws.headers(world.teacher, origin="http://localhost", host="localhost:8000")
    assert ws.connect_with(path, own) == (True, None)
    assert ws.connect_with(path, other) == REFUSED


def test_listed_origins_replace_the_own_origin(world, settings):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["https://leerregie.school.nl"]
    path = f"/ws/les/{world.lesson.pk}/"
    assert ws.connect_with(
        path, ws.headers(world.teacher, origin="https://leerregie.school.nl", host="backend:8000")
    ) == (True, None)
    assert ws.connect(path, world.teacher) == REFUSED


def test_https_sites_accept_only_https_origins(world, settings):
    settings.HTTPS = True
    path = f"/ws/les/{world.lesson.pk}/"
    assert ws.connect(path, world.teacher, origin="https://localhost") == (True, None)
    assert ws.connect(path, world.teacher, origin="http://localhost") == REFUSED
