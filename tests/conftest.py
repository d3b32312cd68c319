"""Shared personas and the small world they live in.

Two schools. In school A, `teacher` teaches group G (pupils `pupil` and `classmate`),
`colleague` teaches group H (pupil `other_pupil`), `school_admin` runs school A. In
school B, `other_school_teacher` teaches group GB.

`world` is built once per test module, inside a transaction that is rolled back after
the module; each test runs in a savepoint within it and gets its own deep copy of the
instances (what Django's setUpTestData does). Tests marked
`django_db(transaction=True)` (browser, consumer and concurrency tests) get
`transactional_world` instead: built for the test and committed, then flushed.
"""

import copy
import shutil
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone
from pytest_django.fixtures import validate_django_db
from rest_framework.test import APIClient

from classroom import actions
from classroom.models import Role
from goals import actions as goal_actions
from logbook import actions as logbook_actions
from logbook import entries
from planboard import actions as planboard_actions
from tests.images import jpeg_bytes

PERSONAS = [
    "teacher",
    "colleague",
    "other_school_teacher",
    "school_admin",
    "pupil",
    "classmate",
    "other_pupil",
    "anonymous",
]


@dataclass
class World:
    school: object
    other_school: object
    group: object
    other_group: object
    foreign_group: object
    teacher: object
    colleague: object
    other_school_teacher: object
    school_admin: object
    pupil: object
    classmate: object
    other_pupil: object
    place: object
    lesson: object
    other_lesson: object
    strand: object
    block: object
    goal: object
    other_goal: object
    self_mark: object
    teacher_mark: object
    entry: object
    photo: object
    note: object
    activity: object
    board: object
    slot: object
    slot2: object
    plan: object
    empty_board: object

    def user(self, persona: str):
        if persona == "anonymous":
            return None
        obj = getattr(self, persona)
        return obj.user if hasattr(obj, "user") else obj


def build_world() -> World:
    school = actions.create_school(name="OBS De Linde", city="Zwolle")
    other_school = actions.create_school(name="CBS Het Anker", city="Kampen")

    def staff(school, username, role=Role.TEACHER):
        return actions.create_staff_user(
            school=school, username=username, password="correct horse 42", role=role
        )

    teacher = staff(school, "juf.mirjam")
    colleague = staff(school, "meester.joost")
    school_admin = staff(school, "directeur.karin", Role.SCHOOL_ADMIN)
    other_school_teacher = staff(other_school, "juf.petra")
    group = actions.create_group(school=school, name="Groep 6", year_from=6, teachers=[teacher])
    other_group = actions.create_group(
        school=school, name="Groep 3", year_from=3, teachers=[colleague]
    )
    foreign_group = actions.create_group(
        school=other_school, name="Groep 6b", year_from=6, teachers=[other_school_teacher]
    )
    pupil = actions.create_pupil(group=group, display_name="Noor", picture_code="sun,fish,star")
    classmate = actions.create_pupil(group=group, display_name="Daan", picture_code="moon,tree,car")
    other_pupil = actions.create_pupil(group=other_group, display_name="Sem")
    actions.create_pupil(group=foreign_group, display_name="Lotte")
    place = actions.create_place(group=group, name="Stiltehoek", icon="quiet", capacity=4)
    lesson = actions.create_lesson(group=group, title="Breuken", subject="rekenen")
    other_lesson = actions.create_lesson(group=other_group, title="Lezen", subject="lezen")

    today = timezone.localdate()
    strand = goal_actions.strand_for(school, "Verhoudingen")
    block = goal_actions.create_block(
        group=group,
        name="Rekenen blok 3",
        start_date=today - timedelta(days=7),
        end_date=today + timedelta(days=30),
    )
    levels = ["Ik ben begonnen", "Het lukt met hulp", "Het lukt alleen", "Ik kan het uitleggen"]
    goal = goal_actions.create_goal(
        block=block,
        strand=strand,
        code="G6-3.1",
        statement="Ik kan breuken vergelijken.",
        levels=levels,
    )
    goal_actions.create_goal(
        block=block,
        strand=strand,
        code="G6-3.2",
        statement="Ik kan procenten uitrekenen.",
        levels=levels,
    )
    other_block = goal_actions.create_block(
        group=other_group, name="Lezen blok 1", start_date=today, end_date=today
    )
    other_goal = goal_actions.create_goal(
        block=other_block,
        strand=goal_actions.strand_for(school, "Lezen"),
        code="L3-1",
        statement="Ik kan een tekst hardop lezen.",
        levels=levels[:3],
    )
    self_mark = goal_actions.assess_self(pupil=pupil, goal=goal, level=2)
    teacher_mark = goal_actions.assess_as_teacher(
        acting_user=teacher, pupil=pupil, goal=goal, level=1, note="Oefent nog met noemers."
    )
    # A running lesson with goal and place choices open, Noor's entry, photo and a note.
    actions.configure_lesson(
        lesson,
        goal_openness="choice",
        place_openness="free",
        instruction_openness="free",
        partner_openness="choice",
    )
    actions.configure_lesson(lesson, goals=[goal])
    actions.start_lesson(lesson, acting_user=teacher)
    entry = entries.choose(pupil=pupil, lesson=lesson, aspect="goal", value=[goal.pk])
    photo = logbook_actions.add_photo(
        pupil=pupil,
        upload=SimpleUploadedFile("werk.jpg", jpeg_bytes()),
        goal=goal,
        lesson=lesson,
        prompt="went_well",
    )
    note = logbook_actions.add_conversation_note(
        acting_user=teacher,
        pupil=pupil,
        text="Rekengesprek: breuken op de getallenlijn.",
        goals=[goal],
    )
    # Today's planbord: two corners, Noor in the Bouwhoek; tomorrow's board still empty.
    activity = planboard_actions.create_activity(
        group=group, name="Bouwhoek", pictogram="building", capacity=2
    )
    reading = planboard_actions.create_activity(
        group=group, name="Leeshoek", pictogram="reading", capacity=3
    )
    board = planboard_actions.board_for(group, today)
    planboard_actions.set_slot(board, activity, on=True)
    planboard_actions.set_slot(board, reading, on=True, compulsory=True)
    slot = board.slots.get(activity=activity)
    slot2 = board.slots.get(activity=reading)
    plan = planboard_actions.plan(pupil=pupil, slot=slot, acting_user=pupil.user)
    empty_board = planboard_actions.board_for(group, today + timedelta(days=1))
    return World(
        school=school,
        other_school=other_school,
        group=group,
        other_group=other_group,
        foreign_group=foreign_group,
        teacher=teacher,
        colleague=colleague,
        other_school_teacher=other_school_teacher,
        school_admin=school_admin,
        pupil=pupil,
        classmate=classmate,
        other_pupil=other_pupil,
        place=place,
        lesson=lesson,
        other_lesson=other_lesson,
        strand=strand,
        block=block,
        goal=goal,
        other_goal=other_goal,
        self_mark=self_mark,
        teacher_mark=teacher_mark,
        entry=entry,
        photo=photo,
        note=note,
        activity=activity,
        board=board,
        slot=slot,
        slot2=slot2,
        plan=plan,
        empty_board=empty_board,
    )


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def is_transactional(item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (committed writes,
    the database flushed afterwards)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = item.fixturenames
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in getattr(
        item, "fixturenames", ()
    )


def _forget_actors(world: World) -> None:
    """Drop classroom.permissions.actor_for's cache from the built users, so that every
    test computes its roles as a fresh request does."""
    seen = set()

    def walk(obj):
        if not isinstance(obj, Model) or id(obj) in seen:
            return
        seen.add(id(obj))
        obj.__dict__.pop("_leerregie_actor", None)
        for related in obj._state.fields_cache.values():
            walk(related)

    for value in vars(world).values():
        walk(value)


class SharedWorld:
    """The world of one test module: built once inside `transaction.atomic()` on every
    database, rolled back when the module ends. pytest-django's per-test atomics nest in
    it as savepoints, so a test's writes are undone after it.

    A test of the module that uses the database without this world (a transactional
    test, or one that builds its own data) must not see it: `pytest_runtest_setup`
    closes it before such a test and opens it again, built afresh, before the next test
    that wants it."""

    current: "SharedWorld | None" = None  # the one whose transaction is open
    by_module: dict = {}
    next_item = None  # set by pytest_runtest_setup before the item's fixtures

    def __init__(self, module, blocker, media, extend):
        self.module, self.blocker, self.media, self.extend = module, blocker, media, extend
        self.world = None
        self._atomics = None

    @property
    def is_open(self) -> bool:
        return self._atomics is not None

    def open(self) -> None:
        if self.is_open:
            return
        if SharedWorld.current is not None:
            SharedWorld.current.close()
        shutil.rmtree(self.media, ignore_errors=True)
        self.media.mkdir(parents=True)
        with self.blocker.unblock():
            atomics = ExitStack()
            for alias in connections:
                atomics.enter_context(transaction.atomic(using=alias))
            try:
                with override_settings(MEDIA_ROOT=self.media, PASSWORD_HASHERS=FAST_HASHERS):
                    world = build_world()
                    if self.extend is not None:
                        self.extend(world)
            except BaseException:
                self._roll_back(atomics)
                raise
        _forget_actors(world)
        self.world, self._atomics = world, atomics
        SharedWorld.current = self

    def _roll_back(self, atomics: ExitStack) -> None:
        for alias in connections:
            transaction.set_rollback(True, using=alias)
        atomics.close()

    def close(self) -> None:
        if not self.is_open:
            return
        atomics, self._atomics, self.world = self._atomics, None, None
        SharedWorld.current = None
        with self.blocker.unblock():
            self._roll_back(atomics)


def _wants_shared_world(item) -> bool:
    return "_shared_world" in getattr(item, "fixturenames", ()) and not is_transactional(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the item's fixtures: close the open module world if this test uses the
    database without it, and open its module's world again if it wants it."""
    SharedWorld.next_item = item
    wants = _wants_shared_world(item)
    current = SharedWorld.current
    mine = wants and current is not None and current.module is item.module
    if current is not None and _uses_database(item) and not mine:
        current.close()
    shared = SharedWorld.by_module.get(item.module)
    if wants and shared is not None:
        shared.open()


@pytest.fixture(scope="module")
def extend_world():
    """A module overrides this (module-scoped) to add to its shared world: a function
    that gets the built world, run once in the same transaction."""
    return None


@pytest.fixture(scope="module")
def _shared_world(request, django_db_setup, django_db_blocker, tmp_path_factory, extend_world):
    shared = SharedWorld(
        request.module, django_db_blocker, tmp_path_factory.mktemp("world-media"), extend_world
    )
    SharedWorld.by_module[request.module] = shared
    # Opened here, before the first test's own fixtures (a module fixture is set up
    # first), when that test wants it; later tests reopen it in pytest_runtest_setup.
    if SharedWorld.next_item is not None and _wants_shared_world(SharedWorld.next_item):
        shared.open()
    yield shared
    shared.close()
    del SharedWorld.by_module[request.module]


@pytest.fixture
def transactional_world(transactional_db) -> World:
    """The world committed for one transactional test (the browser tests' server and
    the consumers' threads see it); pytest-django flushes the database after the test."""
    return build_world()


@pytest.fixture
def world(request, db, _shared_world, settings) -> World:
    """The shared world: a deep copy of the module's built world, its files in this
    test's MEDIA_ROOT. A transactional test gets `transactional_world`."""
    if is_transactional(request.node):
        return request.getfixturevalue("transactional_world")
    assert _shared_world.is_open, "the module's world is not open for this test"
    shutil.copytree(_shared_world.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(_shared_world.world)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_as(client):
    """A Django test client logged in as a persona of the world."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Every test counts its throttles (classroom/throttle.py) from zero, in an in-memory
    cache of its own: never in a shared Redis, whose clear() would empty all of it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()  # this test's own cache only; frees its memory


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.25 s a password, and tests make users of their own.
    settings.PASSWORD_HASHERS = FAST_HASHERS


def block_study(world, datasets, **fields):
    """A study of the world's group over its goal block, titled "Regie" unless `fields`
    say otherwise (the shape most tests want)."""
    from research import actions as research_actions

    return research_actions.save_study(
        None,
        **{
            "school": world.school,
            "title": "Regie",
            "groups": [world.group],
            "start_date": world.block.start_date,
            "end_date": world.block.end_date,
            "datasets": list(datasets),
            **fields,
        },
    )


def choose_pupil(client, pupil):
    """Tap `pupil`'s tile in their class grid (a POST with their login token): the
    client's session remembers them and the picture-code page asks their code."""
    code = pupil.group.class_code
    response = client.post(f"/klas/{code}/kies/", {"pupil": pupil.login_token})
    assert response.status_code == 302 and response["Location"] == f"/klas/{code}/code/"
    return response


def enter_picture_code(client, pupil, code: str):
    """Tap `pupil`'s tile, then the pictures of `code` ("sun,fish,star"): the pad's
    answer (302 to /leerling/ when they are in)."""
    choose_pupil(client, pupil)
    return client.post(f"/klas/{pupil.group.class_code}/code/", {"code": code})


def pages_by_role(w) -> dict[str, list[str]]:
    """Every page each role can open in `w`: the accessibility and the translation checks
    walk the same list. A world with a study and an intervention adds the research pages
    and the researcher. The anonymous picture-code page is `w.pupil`'s once they are
    chosen (`choose_pupil`); without a choice it leads back to the class grid."""
    pages = {
        "anonymous": [
            "/",
            "/login/",
            "/klas/",
            f"/klas/{w.group.class_code}/",
            f"/klas/{w.group.class_code}/code/",
        ],
        "pupil": [
            "/leerling/",
            "/leerling/doelenboekje/",
            f"/leerling/logboek/{w.lesson.pk}/",
            "/leerling/planbord/",
            "/leerling/fotos/",
        ],
        "teacher": [
            "/leerkracht/",
            f"/leerkracht/groep/{w.group.pk}/",
            f"/leerkracht/les/{w.lesson.pk}/",
            f"/leerkracht/les/{w.lesson.pk}/digibord/?fotos=1",
            f"/leerkracht/groep/{w.group.pk}/les/nieuw/?van={w.lesson.pk}",
            f"/leerkracht/groep/{w.group.pk}/doelen/",
            f"/leerkracht/blok/{w.block.pk}/",
            f"/leerkracht/blok/{w.block.pk}/doelen/",
            f"/leerkracht/blok/{w.block.pk}/doel/nieuw/",
            f"/leerkracht/doel/{w.goal.pk}/bewerken/",
            f"/leerkracht/groep/{w.group.pk}/werkplekken/",
            f"/leerkracht/werkplek/{w.place.pk}/bewerken/",
            f"/leerkracht/groep/{w.group.pk}/activiteit/nieuw/",
            f"/leerkracht/activiteit/{w.activity.pk}/bewerken/",
            f"/leerkracht/leerling/{w.pupil.pk}/doelenboekje/",
            f"/leerkracht/groep/{w.group.pk}/planbord/",
            f"/leerkracht/groep/{w.group.pk}/nieuw/",
            f"/leerkracht/leerling/{w.pupil.pk}/planbord/",
            f"/leerkracht/planbord/{w.board.pk}/digibord/",
            f"/leerkracht/groep/{w.group.pk}/kaarten/",
            "/onderzoek/",
            "/ontwerpteam/nieuw/",
            "/tweede-stap/",
        ],
        "school_admin": [
            f"/leerkracht/leerling/{w.pupil.pk}/gegevens/",
            f"/leerkracht/school/{w.school.pk}/leerlingen/importeren/",
            f"/leerkracht/school/{w.school.pk}/leerkrachten/importeren/",
            f"/leerkracht/school/{w.school.pk}/tweestaps/",
            "/onderzoek/studie/nieuw/",
        ],
    }
    if getattr(w, "study", None) is not None:
        pages["teacher"] += [f"/onderzoek/studie/{w.study.pk}/"]
        pages["school_admin"] += [f"/onderzoek/studie/{w.study.pk}/bewerken/"]
        pages["researcher"] = ["/onderzoek/", f"/onderzoek/studie/{w.study.pk}/"]
    if getattr(w, "intervention", None) is not None:
        pages["teacher"] += [f"/ontwerpteam/{w.intervention.pk}/"]
    return pages
