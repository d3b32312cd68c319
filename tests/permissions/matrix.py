"""The permission matrix's rules, shared by its modules (one per area).

Readers may GET; managers may also change. Anyone else gets 404 for an object (its
existence is not revealed) and 403 for creating in a group they do not manage.
Anonymous API callers get 403, anonymous page visitors are sent to a login page.

Each `test_*.py` module here lists its cases and names the routes they cover in
`COVERED`; test_routes.py fails when a route of the site is in none of them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import World
from tests.images import jpeg_bytes

MANAGERS = {"teacher", "school_admin"}
GROUP_READERS = MANAGERS | {"pupil", "classmate"}
SELF_READERS = MANAGERS | {"pupil"}
STAFF = {"teacher", "colleague", "other_school_teacher", "school_admin"}
PUPILS = {"pupil", "classmate", "other_pupil"}
GROUP_PUPILS = {"pupil", "classmate"}


@dataclass
class Api:
    route: str
    method: str
    url: Callable[[World], str]
    kind: str  # "list", "read", "change", "create", "create-admin", "pupil-write"
    readers: set
    data: Callable[[World], dict] | None = None
    # Where the general rule does not fit, the exact status per persona.
    statuses: dict | None = None
    fmt: str = "json"

    @property
    def id(self) -> str:
        return f"{self.method}-{self.route}-{self.kind}"


def api_ids(cases: Iterable[Api]) -> list[str]:
    return [case.id for case in cases]


def upload():
    return SimpleUploadedFile("werk.jpg", jpeg_bytes(), content_type="image/jpeg")


def pupil_write(ok: int) -> dict:
    """A pupil's own write in their group: teachers may read the group but not write as
    a pupil (403); outsiders cannot see the goal (404 or 400 for an unknown goal)."""
    return {
        **{p: ok for p in GROUP_PUPILS},
        "teacher": 403,
        "school_admin": 403,
        "colleague": 403,
        "other_school_teacher": 403,
        "anonymous": 403,
    }


def expected_api_status(case: Api, persona: str) -> int:
    if case.statuses is not None:
        return case.statuses[persona]
    if persona == "anonymous":
        return 403
    if case.kind == "list":
        return 200
    if case.kind == "read":
        return 200 if persona in case.readers else 404
    if case.kind == "change":
        if persona in MANAGERS:
            return 204 if case.method == "delete" else 200
        return 403 if persona in case.readers else 404
    if case.kind == "create":
        return 201 if persona in MANAGERS else 403
    if case.kind == "create-admin":
        return 201 if persona == "school_admin" else 403
    raise AssertionError(case.kind)


def check_api(world: World, api, case: Api, persona: str, expected: int | None = None):
    """One persona calls one endpoint: the expected status, and a refusal never carries
    the data it guards."""
    user = world.user(persona)
    if user is not None:
        api.force_login(user)
    data = case.data(world) if case.data else None
    response = getattr(api, case.method)(case.url(world), data=data, format=case.fmt)
    if expected is None:
        expected = expected_api_status(case, persona)
    assert response.status_code == expected, response.content
    if expected in (403, 404):
        body = response.content.decode()
        # Refusals never carry the data they guard.
        assert "Noor" not in body and world.group.class_code not in body
        assert "noemers" not in body and "breuken" not in body
    return response


def groups_of(w: World) -> dict[str, set]:
    """The groups each persona may see."""
    return {
        "teacher": {w.group.pk},
        "school_admin": {w.group.pk, w.other_group.pk},
        "colleague": {w.other_group.pk},
        "other_school_teacher": {w.foreign_group.pk},
        "pupil": {w.group.pk},
        "classmate": {w.group.pk},
        "other_pupil": {w.other_group.pk},
    }


def staff_school(w: World, persona: str):
    return {
        "teacher": w.school.pk,
        "colleague": w.school.pk,
        "school_admin": w.school.pk,
        "other_school_teacher": w.other_school.pk,
    }.get(persona)


def check_list(api, world: World, url: str, persona: str, visible: Callable[[], set]):
    """A list shows exactly what the persona may see (`visible()`, asked afterwards)."""
    api.force_login(world.user(persona))
    response = api.get(url)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == visible()


@dataclass
class Page:
    route: str
    method: str
    url: Callable[[World], str]
    allowed: set
    ok: int = 200
    data: Callable[[World], dict] | None = None
    # Staff who may read the object but not do this: 403 instead of 404.
    forbidden: frozenset = frozenset()


def teacher_page_status(page: Page, persona: str) -> int:
    if persona == "anonymous":
        return 302
    if persona in page.forbidden:
        return 403
    if persona in PUPILS:
        return 403
    return page.ok if persona in page.allowed else 404
