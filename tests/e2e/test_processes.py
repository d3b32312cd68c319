"""A school served by several processes (issue 20): two daphne processes on free ports,
sharing the test database and a redis-server of the test's own. What is written through
one is seen live through the other, in order; the last seat taken through both at once
is taken once; logging out through one closes the sockets held by the other. And
`config.workers`, the production entry point, runs its workers on one port."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import requests
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from classroom import actions
from planboard.models import Plan, Slot
from tests.e2e.conftest import ROOT, SERVER_SETTINGS, Daphne, _database_url_for_test_db, _free_port
from tests.e2e.test_faults import pupil_http, redis  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers(tmp_path, redis):  # noqa: F811
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"}
    first = Daphne(tmp_path, tmp_path, env=env).start()
    try:
        second = Daphne(tmp_path, tmp_path, env=env).start()
        try:
            yield first, second
        finally:
            second.stop()
    finally:
        first.stop()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _socket(server, path, session):
    return connect(
        server.url.replace("http", "ws") + path,
        origin=server.url,
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=20,
    )


def _choose(http, server, lesson, aspect, value):
    response = http.post(
        f"{server.url}/api/logbook-entries/choose/",
        json={"lesson": lesson.pk, "aspect": aspect, "value": value},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response


def _changes(ws, count):
    """The next `count` `lesson.changed` events (a coalesced `lesson.summary` may come
    between them)."""
    events = []
    while len(events) < count:
        event = json.loads(ws.recv(timeout=15))
        if event["type"] == "lesson.changed":
            events.append(event)
    return events


def _until_quiet(ws, quiet_s=3.0):
    messages = []
    while True:
        try:
            messages.append(json.loads(ws.recv(timeout=quiet_s)))
        except TimeoutError:
            return messages


def test_a_burst_through_both_processes_ends_on_the_summary_a_snapshot_gives(world, two_servers):
    """Thirty-odd taps at once, through both processes: every change arrives, fewer
    summaries are computed than changes were made (each process coalesces its own), and
    the newest summary the dashboard gets is the one a fresh snapshot shows."""
    first, second = two_servers
    pupils = list(world.group.pupils.filter(active=True)[:8])
    while len(pupils) < 8:
        pupils.append(actions.create_pupil(group=world.group, display_name=f"Kind {len(pupils)}"))
    servers = [first, second] * 4
    sessions = [(pupil_http(s.url, p), s) for p, s in zip(pupils, servers, strict=True)]
    teacher = _session_cookie(world.teacher)
    with _socket(second, f"/ws/les/{world.lesson.pk}/", teacher) as ws:
        start = threading.Barrier(len(sessions))

        def taps(http, server):
            start.wait()
            for aspect, value in (
                ("place", world.place.pk),
                ("instruction", {"wanted": True}),
                ("instruction", {"wanted": False}),
                ("place", world.place.pk),
            ):
                _choose(http, server, world.lesson, aspect, value)

        threads = [threading.Thread(target=taps, args=pair) for pair in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        messages = _until_quiet(ws)
    changes = [m for m in messages if m["type"] == "lesson.changed"]
    made = 4 * len(sessions)
    seqs = sorted(m["seq"] for m in changes)
    assert seqs == list(range(seqs[0], seqs[0] + made)), seqs  # every change, none twice
    summaries = [(m["seq"], m["summary"]) for m in changes if m["summary"] is not None]
    summaries += [(m["covers"], m["summary"]) for m in messages if m["type"] == "lesson.summary"]
    assert 0 < len(summaries) < made, (len(summaries), made)
    newest = max(summaries, key=lambda pair: pair[0])
    snapshot = requests.get(
        f"{first.url}/api/lessons/{world.lesson.pk}/dashboard/",
        cookies={"sessionid": teacher},
        timeout=30,
    ).json()
    assert newest[0] == snapshot["seq"] == seqs[-1]
    assert newest[1] == snapshot["summary"]


def test_a_choice_through_one_process_reaches_a_dashboard_on_the_other_in_order(world, two_servers):
    first, second = two_servers
    noor = pupil_http(first.url, world.pupil)
    with _socket(second, f"/ws/les/{world.lesson.pk}/", _session_cookie(world.teacher)) as ws:
        _choose(noor, first, world.lesson, "place", world.place.pk)
        _choose(noor, first, world.lesson, "instruction", {"wanted": True})
        _choose(noor, first, world.lesson, "partner", [world.classmate.pk])
        events = _changes(ws, 3)
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 3)), seqs  # in order, none missing
    assert all(e["pupil"] == world.pupil.pk for e in events)
    assert events[0]["row"]["entry"]["place"] == world.place.pk
    assert events[1]["row"]["entry"]["instruction"] is True
    assert [p["name"] for p in events[2]["row"]["entry"]["partners"]] == ["Daan"]


def test_the_last_seat_taken_through_both_processes_at_once_is_taken_once(world, two_servers):
    first, second = two_servers
    slot = Slot.objects.get(pk=world.slot.pk)  # Bouwhoek: 2 seats, Noor on one
    free = slot.capacity - slot.taken
    assert free == 1
    classmates = list(world.group.pupils.filter(active=True).exclude(plans__board=slot.board)[:2])
    while len(classmates) < 2:
        classmates.append(actions.create_pupil(group=world.group, display_name="Sam"))
    sessions = [pupil_http(s.url, p) for s, p in zip(two_servers, classmates, strict=True)]
    start = threading.Barrier(2)
    answers = {}

    def tap(i):
        start.wait()
        answers[i] = sessions[i].post(
            f"{two_servers[i].url}/api/plans/", json={"slot": slot.pk}, timeout=30
        )

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [201, 409], [a.text for a in answers.values()]
    slot = Slot.objects.get(pk=slot.pk)
    assert slot.taken == slot.capacity
    assert Plan.objects.filter(slot=slot, seated=True).count() == slot.capacity
    full = next(a for a in answers.values() if a.status_code == 409)
    assert full.json()["detail"] == ["Vol!"]


def test_logging_out_through_one_process_closes_the_sockets_on_the_other(world, two_servers):
    first, second = two_servers
    session = _session_cookie(world.teacher)
    with _socket(second, f"/ws/les/{world.lesson.pk}/", session) as ws:
        browser = requests.Session()
        token = "b" * 32
        browser.cookies.set("sessionid", session)
        browser.cookies.set("csrftoken", token)
        response = browser.post(
            f"{first.url}/logout/",
            headers={"X-CSRFToken": token, "Referer": first.url + "/"},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code in (200, 302), response.status_code
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=15)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def _workers_env(**extra):
    """The test servers' environment (tests/e2e/conftest.py) with two workers."""
    env = {**os.environ, "DATABASE_URL": _database_url_for_test_db(), "WORKERS": "2", **extra}
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = SERVER_SETTINGS
    return env


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


def test_config_workers_serves_one_port_from_several_processes(world, redis, tmp_path):  # noqa: F811
    workers_server = Daphne(
        tmp_path,
        tmp_path,
        env={"WORKERS": "2", "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"},
        command=["config.workers"],
    ).start()  # answers /healthz on its one port
    process = workers_server.process
    try:
        workers = _children(process.pid)
        assert len(workers) == 2, workers
        # A worker that dies is replaced; the port keeps answering meanwhile.
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while len(set(_children(process.pid)) - {workers[0]}) < 2:
            assert time.monotonic() < deadline, _children(process.pid)
            time.sleep(0.2)
        with urllib.request.urlopen(f"{workers_server.url}/healthz", timeout=5) as r:
            assert r.status == 200
        workers = _children(process.pid)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        for pid in workers:  # every worker stopped with it
            assert not os.path.exists(f"/proc/{pid}") or _is_zombie(pid), pid
    finally:
        workers_server.stop()


def _is_zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split(") ")[1].startswith("Z")


def test_config_workers_refuses_several_workers_without_redis():
    result = subprocess.run(
        [sys.executable, "-m", "config.workers", "-p", str(_free_port())],
        cwd=ROOT,
        env=_workers_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "WORKERS=2 needs REDIS_URL" in result.stderr
