"""Faults during a lesson, on loopback only: the tests start their own redis-server and
daphne on free ports and never touch the machine's shared services.

- Redis stops and starts: pupils' writes keep succeeding, and the dashboard resyncs.
- daphne restarts: screens reconnect by themselves and resync; a write made meanwhile is
  kept by the outbox and stored once.
- The database is busy: writes wait; past the busy timeout the user is told to try again,
  never "database is locked", and the outbox stores the write once it can.
"""

import shutil
import socket
import sqlite3
import subprocess
import threading
import time

import pytest
import requests
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from classroom.models import Lesson, UsageEvent
from logbook.models import LogbookEntry
from tests.e2e.conftest import Daphne, _free_port
from tests.e2e.test_dashboard import card
from tests.e2e.test_logbook import log_in_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class RedisServer:
    def __init__(self, directory):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is needed for the fault tests (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def pupil_http(base_url, pupil):
    """A pupil's own HTTP session against the live server, as their browser holds it."""
    client = Client()
    client.force_login(pupil.user)
    session = requests.Session()
    token = "a" * 32
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("csrftoken", token)
    session.headers.update(
        {"X-CSRFToken": token, "Referer": base_url + "/", "Accept-Language": "nl"}
    )
    return session


def choose(session, base_url, lesson, aspect, value, key=None):
    return session.post(
        f"{base_url}/api/logbook-entries/choose/",
        json={"lesson": lesson.pk, "aspect": aspect, "value": value},
        headers={"Idempotency-Key": key} if key else {},
        timeout=30,
    )


def test_redis_stops_and_starts_during_a_lesson(world, new_context, tmp_path, redis):
    daphne = Daphne(tmp_path, tmp_path, env={"REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"})
    daphne.start()
    try:
        teacher = new_context(base_url=daphne.url).new_page()
        log_in_teacher(teacher)
        teacher.goto(f"/leerkracht/les/{world.lesson.pk}/")
        expect(teacher.locator("[data-dashboard]")).to_have_attribute("data-live", "1")
        noor = pupil_http(daphne.url, world.pupil)
        daan = pupil_http(daphne.url, world.classmate)

        assert choose(noor, daphne.url, world.lesson, "place", world.place.pk).status_code == 200
        expect(card(teacher, "Noor").get_by_test_id("place-cell")).to_contain_text("Stiltehoek")

        redis.stop()
        started = time.monotonic()
        response = choose(daan, daphne.url, world.lesson, "instruction", {"wanted": True})
        assert response.status_code == 200, response.text  # the write does not need Redis
        assert time.monotonic() - started < 5
        assert LogbookEntry.objects.get(pupil=world.classmate, lesson=world.lesson).instruction

        redis.start()  # on the same port
        # After Redis is back, the next change reaches the dashboard, and with it (by the
        # sequence numbers, or by a reconnect) the change made while Redis was down.
        deadline = time.monotonic() + 30
        while True:
            choose(noor, daphne.url, world.lesson, "partner", [world.classmate.pk])
            try:
                expect(card(teacher, "Noor").get_by_test_id("partner-cell")).to_contain_text(
                    "Daan", timeout=2000
                )
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                choose(noor, daphne.url, world.lesson, "partner", [])
        expect(card(teacher, "Daan").get_by_test_id("instruction-cell")).to_contain_text("ja")
    finally:
        daphne.stop()


def test_daphne_restarts_and_nothing_is_lost(world, new_context, second_server, redis):
    from tests.e2e.test_login_flows import log_in_as_noor

    second_server.extra_env["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
    school = second_server.start()
    teacher = new_context(base_url=school.url).new_page()
    log_in_teacher(teacher)
    teacher.goto(f"/leerkracht/les/{world.lesson.pk}/")
    colleague_screen = teacher.context.new_page()  # a second screen: the digibord laptop
    colleague_screen.goto(f"/leerkracht/les/{world.lesson.pk}/")
    for screen in (teacher, colleague_screen):
        expect(screen.locator("[data-dashboard]")).to_have_attribute("data-live", "1")

    pupil = new_context(touch=True, base_url=school.url).new_page()
    log_in_as_noor(pupil, world)
    pupil.goto(f"/leerling/logboek/{world.lesson.pk}/")
    expect(pupil.locator("[data-logbook][data-ready]")).to_have_count(1)
    before = UsageEvent.objects.filter(pupil=world.pupil, verb="logbook_chosen").count()

    school.stop()
    for screen in (teacher, colleague_screen):
        expect(screen.get_by_test_id("connection")).to_contain_text("Geen verbinding")
    # Noor taps while the server is away: the outbox keeps it.
    pupil.get_by_test_id("strip-place").tap()  # one step per screen
    pupil.get_by_test_id("section-place").get_by_test_id("place-Stiltehoek").tap()
    expect(pupil.get_by_test_id("outbox")).to_contain_text("1 wachten")

    school.start()
    # Both screens come back by themselves and show her choice; the outbox sent it once.
    for screen in (teacher, colleague_screen):
        expect(screen.get_by_test_id("connection")).to_contain_text(
            "Weer verbonden", timeout=40_000
        )
        expect(card(screen, "Noor").get_by_test_id("place-cell")).to_contain_text(
            "Stiltehoek", timeout=40_000
        )
    expect(pupil.locator("body[data-outbox-pending='0']")).to_have_count(1, timeout=40_000)
    chosen = UsageEvent.objects.filter(pupil=world.pupil, verb="logbook_chosen")
    assert chosen.count() == before + 1
    assert LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson).place == world.place


@pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="SQLite's single writer; PostgreSQL waits on row locks"
)
def test_a_busy_database_never_shows_database_is_locked(world, tmp_path, server_media):
    daphne = Daphne(tmp_path, server_media, env={"SQLITE_BUSY_TIMEOUT": "1", "REDIS_URL": ""})
    daphne.start()
    try:
        noor = pupil_http(daphne.url, world.pupil)
        path = connection.settings_dict["NAME"]

        def hold_the_lock(seconds, ready):
            other = sqlite3.connect(path, timeout=10, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            ready.set()
            time.sleep(seconds)
            other.execute("ROLLBACK")
            other.close()

        # A short lock: the write waits for it and succeeds.
        ready = threading.Event()
        holder = threading.Thread(target=hold_the_lock, args=(0.5, ready))
        holder.start()
        ready.wait()
        response = choose(noor, daphne.url, world.lesson, "place", world.place.pk)
        holder.join()
        assert response.status_code == 200

        # A lock past the busy timeout: "try again", in Dutch; then the retry stores it once.
        key = "0c7e7a52-2b0f-4c2b-9c49-8a0d3f3b6a11"
        ready = threading.Event()
        holder = threading.Thread(target=hold_the_lock, args=(3, ready))
        holder.start()
        ready.wait()
        response = choose(noor, daphne.url, world.lesson, "instruction", {"wanted": True}, key)
        assert response.status_code == 503
        assert "database" not in response.text.lower() and "locked" not in response.text
        assert response.json()["detail"] == ["Het is nu even heel druk. Probeer het zo nog eens."]
        holder.join()
        for _ in range(2):  # the outbox retries with the same key; twice is still once
            again = choose(noor, daphne.url, world.lesson, "instruction", {"wanted": True}, key)
            assert again.status_code == 200
        assert LogbookEntry.objects.get(pupil=world.pupil, lesson=world.lesson).instruction
        events = UsageEvent.objects.filter(pupil=world.pupil, context__aspect="instruction")
        assert events.count() == 1
        assert Lesson.objects.get(pk=world.lesson.pk).seq > 0
    finally:
        daphne.stop()
