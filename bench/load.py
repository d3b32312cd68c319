"""A whole school at the bell: fan-out, broadcast, handshakes, a write burst and memory.

    .venv/bin/python bench/load.py       # writes bench/results/{fanout,bell,writes,memory}.json

One school of 30 groups of 30 pupils (900), each group with a running lesson, in a fresh
data directory. daphne serves it with the Redis channel layer on a redis-server this
bench starts on a free port. Clients are asyncio `websockets` in this process.

- bell: the 900 pupils open their class's WebSocket (ws/klas/<group>/) within 10 s.
- class fan-out: an event to one class (30 sockets) while all 900 are connected, sent
  through the channel layer as an action sends it: latency from send to each receipt.
  Baseline: a bare `websockets` server in its own process, the same 900 clients, the same
  event to the same 30.
- school broadcast: one event to every class (900 sockets): time until the last has it;
  baseline: the bare server sending to its 900.
- write burst: 900 logbook choices in 10 s over HTTP, on SQLite and on PostgreSQL (when
  reachable at 127.0.0.1:5432): errors, p95, and sustained writes/s against a bare view
  (one INSERT, no permissions, no idempotency) in the same server; with one daphne and
  again with two workers (`config.workers`), each against its own bare view; with the
  queries per write and per connect. The bell is run again with two workers.
- memory: daphne's RSS after 1,000 connect/disconnect cycles and 10,000 messages,
  against its RSS when warm.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GROUPS = int(os.environ.get("BENCH_GROUPS", "30"))
PER_GROUP = 30
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
SCHOOL_ROUNDS = int(os.environ.get("BENCH_SCHOOL_ROUNDS", "20"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/leerregie_bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(values_ms: list[float]) -> dict:
    return {
        "n": len(values_ms),
        "p50_ms": round(percentile(values_ms, 50), 2),
        "p95_ms": round(percentile(values_ms, 95), 2),
        "p99_ms": round(percentile(values_ms, 99), 2),
    }


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def machine() -> dict:
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
    from importlib.metadata import version

    import django

    from bench.about import this_machine

    return {
        "machine": this_machine(),
        "versions": {
            "django": django.get_version(),
            "channels": version("channels"),
            "channels-redis": version("channels-redis"),
            "daphne": version("daphne"),
            "websockets": version("websockets"),
            "redis-server": subprocess.run(
                ["redis-server", "--version"], capture_output=True, text=True
            ).stdout.strip(),
        },
    }


# --- The school --------------------------------------------------------------------------


def setup_school() -> dict:
    """900 pupils in 30 groups, a running lesson each, and every pupil's session."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string

    from classroom import actions

    call_command("migrate", verbosity=0)
    pupils = []
    with transaction.atomic():
        school = actions.create_school(name="Benchschool")
        teacher = actions.create_staff_user(school=school, username="bench", password="x" * 12)
        for g in range(GROUPS):
            group = actions.create_group(
                school=school, name=f"Groep {g}", year_from=6, teachers=[teacher]
            )
            place = actions.create_place(group=group, name="Tafel", capacity=None)
            lesson = actions.create_lesson(group=group, title="Rekenen", place_openness="free")
            actions.start_lesson(lesson, acting_user=teacher)
            for i in range(PER_GROUP):
                pupil = actions.create_pupil(group=group, display_name=f"P{g}-{i}")
                session = SessionStore()
                session["_auth_user_id"] = str(pupil.user_id)
                session["_auth_user_backend"] = "classroom.backends.AccountBackend"
                session["_auth_user_hash"] = pupil.user.get_session_auth_hash()
                session.create()
                pupils.append(
                    {
                        "group": group.pk,
                        "lesson": lesson.pk,
                        "place": place.pk,
                        "session": session.session_key,
                    }
                )
    return {"pupils": pupils, "csrf": _get_new_csrf_string()}


class Services:
    """redis-server and daphne on free ports, for one database."""

    def __init__(self, data_dir: str, database_url: str | None, workers: int = 1):
        self.data_dir = data_dir
        self.database_url = database_url
        self.workers = workers
        self.redis_port = free_port()
        self.port = free_port()
        self.redis = self.daphne = None

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self) -> dict:
        env = {
            **os.environ,
            "LEERREGIE_DATA_DIR": self.data_dir,
            "REDIS_URL": self.redis_url,
            "REDIS_PREFIX": "leerregie-bench",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": "bench-only",
        }
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        else:
            env.pop("DATABASE_URL", None)
        return env

    def start(self) -> Services:
        self.redis = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.redis_port), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.data_dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.redis_port)
        if self.workers == 1:  # one process (the memory bench reads its RSS), as make run
            command = [sys.executable, "-m", "config.serve", "-b", "127.0.0.1"]
            command += ["-p", str(self.port)]
            command += ["--websocket_connect_timeout", "20", "config.asgi:application"]
        else:  # the production entry point (docs/deploy.md, "Serving on every core")
            command = [sys.executable, "-m", "config.workers", "-b", "127.0.0.1"]
            command += ["-p", str(self.port)]
        self.daphne = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env(), "WORKERS": str(self.workers)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        for process in (self.daphne, self.redis):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


# --- WebSocket clients ------------------------------------------------------------------


class Clients:
    """Many WebSocket clients, each remembering when its last events arrived."""

    def __init__(self):
        self.sockets = []
        self.received: dict[int, list] = {}  # round -> [(client index, arrival time)]
        self.failed = 0
        self.handshakes_ms: list[float] = []
        self.tasks = []
        self.in_room: dict = {}  # room -> sockets connected in it

    async def _listen(self, index, ws):
        import websockets

        try:
            async for raw in ws:
                now = time.time()
                event = json.loads(raw)
                if "round" in event:
                    self.received.setdefault(event["round"], []).append((index, now))
        except websockets.ConnectionClosed:
            pass

    async def connect(self, url, rooms, headers=None, hello=None, spread_s=10.0) -> None:
        """Open a socket per room in `rooms` at an even pace over `spread_s` seconds (the
        bell); `url` is one URL for all or a list, one per socket."""
        import websockets

        urls = url if isinstance(url, list) else [url] * len(rooms)
        headers = headers or [None] * len(urls)
        pause = spread_s / len(urls)

        async def one(i):
            started = time.perf_counter()
            try:
                ws = await websockets.connect(
                    urls[i],
                    origin="http://" + urlsplit(urls[i]).netloc,  # the page's own
                    additional_headers=headers[i],
                    open_timeout=20,
                    ping_interval=None,
                    max_queue=None,
                )
            except Exception:
                self.failed += 1
                return
            self.handshakes_ms.append((time.perf_counter() - started) * 1000)
            if hello is not None:
                await ws.send(json.dumps(hello(i)))
            self.sockets.append(ws)
            self.in_room[rooms[i]] = self.in_room.get(rooms[i], 0) + 1
            self.tasks.append(asyncio.create_task(self._listen(i, ws)))

        starters = []
        for i in range(len(urls)):
            starters.append(asyncio.create_task(one(i)))
            await asyncio.sleep(pause)
        await asyncio.gather(*starters)

    async def connect_pupils(self, url, pupils, spread_s) -> None:
        """Each pupil on their class's socket (`url` + group), logged in by their session."""
        await self.connect(
            [url + f"{p['group']}/" for p in pupils],
            [p["group"] for p in pupils],
            headers=[{"Cookie": f"sessionid={p['session']}"} for p in pupils],
            spread_s=spread_s,
        )

    async def wait_for(self, round_, expected, timeout=10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received.get(round_, [])) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        return self.received.get(round_, [])

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        for task in self.tasks:
            task.cancel()


# --- The bare baseline server ----------------------------------------------------------

BARE_SERVER = r"""
import asyncio, json, sys
import websockets
rooms = {}
async def handler(ws):
    hello = json.loads(await ws.recv())
    if hello.get("control"):
        async for raw in ws:
            event = json.loads(raw)
            targets = rooms.get(event["room"], []) if event["room"] is not None else [
                w for members in rooms.values() for w in members]
            websockets.broadcast(targets, raw)
        return
    rooms.setdefault(hello["room"], []).append(ws)
    try:
        await ws.wait_closed()
    finally:
        rooms[hello["room"]].remove(ws)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), ping_interval=None,
                                max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""


async def fanout_rounds(sides: dict, classes) -> dict:
    """Class rounds then school rounds, each round sent by every side in turn (the first
    side alternating), so that a machine that slows down slows ours and the baseline
    alike. `sides` maps a name to (clients, send); `send(room, event)` delivers one event
    (room None: the whole school)."""
    names = list(sides)
    found = {n: {"class": [], "school": [], "deliveries": 0, "lost": 0} for n in names}

    async def one_round(name, r, room, expected, timeout):
        clients, send = sides[name]
        event = {"type": "lessons.changed", "lesson": 0, "running": True, "round": r}
        event["sent_at"] = time.time()
        await send(room, event)
        got = await clients.wait_for(r, expected, timeout=timeout)
        found[name]["lost"] += expected - len(got)
        return [(t - event["sent_at"]) * 1000 for _i, t in got]

    def in_turn(r):
        return names if r % 2 == 0 else names[::-1]

    for r in range(ROUNDS):
        for name in in_turn(r):
            room = classes[r % len(classes)]
            expected = sides[name][0].in_room.get(room, 0)  # a failed handshake is no loss
            found[name]["class"] += await one_round(name, r, room, expected, 10)
            await asyncio.sleep(0.05)
    for r in range(ROUNDS, ROUNDS + SCHOOL_ROUNDS):
        for name in in_turn(r):
            total = len(sides[name][0].sockets)
            latencies = await one_round(name, r, None, total, 20)
            found[name]["deliveries"] += len(latencies)
            if latencies:
                found[name]["school"].append(max(latencies))
            await asyncio.sleep(0.2)
    return {
        name: {
            "class": summary(f["class"]),
            "school_last_ms": summary(f["school"]),
            "school_deliveries": f["deliveries"],
            "school_expected": len(sides[name][0].sockets) * SCHOOL_ROUNDS,
            "lost": f["lost"],
        }
        for name, f in found.items()
    }


async def bench_sockets(services: Services, plan: dict) -> tuple[dict, dict, dict]:
    from channels.layers import get_channel_layer

    from classroom.realtime.groups import class_group
    from classroom.realtime.publish import encoded

    layer = get_channel_layer()
    pupils = plan["pupils"]
    url = f"ws://127.0.0.1:{services.port}/ws/klas/"
    ours = Clients()
    await ours.connect_pupils(url, pupils, spread_s=10.0)
    bell = {
        "handshakes": len(pupils),
        "failed": ours.failed,
        "window_s": 10,
        "handshake": summary(ours.handshakes_ms),
    }
    classes = sorted({p["group"] for p in pupils})

    async def send_ours(room, event):
        message = encoded(event)  # as classroom.realtime.publish sends every event
        if room is None:
            await asyncio.gather(*(layer.group_send(class_group(g), message) for g in classes))
        else:
            await layer.group_send(class_group(room), message)

    # The bare server, as many clients in the same rooms, connected alongside ours.
    port = free_port()
    bare_process = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)])
    wait_for_port(port)
    import websockets

    bare = Clients()
    bare_url = f"ws://127.0.0.1:{port}/"
    await bare.connect(
        bare_url,
        [p["group"] for p in pupils],
        hello=lambda i: {"room": pupils[i]["group"]},
        spread_s=5.0,
    )
    control = await websockets.connect(bare_url, ping_interval=None)
    await control.send(json.dumps({"control": True}))

    async def send_bare(room, event):
        await control.send(json.dumps({**event, "room": room}))

    await asyncio.sleep(0.5)
    measured = await fanout_rounds({"ours": (ours, send_ours), "bare": (bare, send_bare)}, classes)
    measured_ours, measured_bare = measured["ours"], measured["bare"]
    await asyncio.gather(control.close(), ours.close(), bare.close())
    bare_process.terminate()

    fanout = {
        "class_p50_ms": measured_ours["class"]["p50_ms"],
        "class_p95_ms": measured_ours["class"]["p95_ms"],
        "class_p99_ms": measured_ours["class"]["p99_ms"],
        "class_p95_ratio": round(
            measured_ours["class"]["p95_ms"] / max(measured_bare["class"]["p95_ms"], 0.01), 2
        ),
        # The median round: the time until the last of the 900 had the event.
        "school_last_ms": measured_ours["school_last_ms"]["p50_ms"],
        "school_last_p95_ms": measured_ours["school_last_ms"]["p95_ms"],
        "school_ratio": round(
            measured_ours["school_last_ms"]["p50_ms"]
            / max(measured_bare["school_last_ms"]["p50_ms"], 0.01),
            2,
        ),
        "lost": measured_ours["lost"],
        "deliveries": measured_ours["school_deliveries"],
        "deliveries_expected": measured_ours["school_expected"],
        "sockets": len(ours.sockets),
        "rounds": {"class": ROUNDS, "school": SCHOOL_ROUNDS},
        "ours": measured_ours,
        "baseline": {"what": "bare websockets.broadcast server, own process, rounds "
                     "interleaved with ours", **measured_bare},
        "targets": {"class_p95_ms": "<= 50", "class_p95_ratio": "<= 3",
                    "school_last_ms": "<= 1000", "school_ratio": "<= 8"},
    }  # fmt: skip
    return fanout, bell, {}


# --- Writes -----------------------------------------------------------------------------


def http_post(port, path, session_key, csrf, body) -> tuple[int, float]:
    import http.client

    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body)
        connection.request(
            "POST",
            path,
            body=payload,
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Referer": f"http://127.0.0.1:{port}/",
                "Host": f"127.0.0.1:{port}",
            },
        )
        status = connection.getresponse().status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def burst(port, plan, path_for, body_for, spread_s=10.0) -> dict:
    """One request per pupil, started at an even pace over `spread_s` seconds."""
    pupils = plan["pupils"]
    results = []
    lock = threading.Lock()
    started = time.perf_counter()

    def one(i):
        delay = started + i * spread_s / len(pupils) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        p = pupils[i]
        result = http_post(port, path_for(p), p["session"], plan["csrf"], body_for(p))
        with lock:
            results.append(result)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(len(pupils))))
    latencies = [ms for status, ms in results if 200 <= status < 300]
    return {
        "requests": len(results),
        "errors": sum(1 for status, _ms in results if not 200 <= status < 300),
        **summary(latencies or [0.0]),
        "elapsed_s": round(time.perf_counter() - started, 2),
    }


def sustained(port, plan, path_for, body_for, seconds=5.0, workers=16) -> float:
    """Writes per second with `workers` clients sending back to back."""
    pupils = plan["pupils"]
    done = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(w):
        i = w
        while time.perf_counter() < stop_at:
            p = pupils[i % len(pupils)]
            status, _ms = http_post(port, path_for(p), p["session"], plan["csrf"], body_for(p))
            if 200 <= status < 300:
                with lock:
                    done[0] += 1
            i += workers

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / seconds


def interleave(pupils: list[dict]) -> list[dict]:
    """At the bell every class starts at once: the first pupil of each class, then the
    second of each, and so on (not one class after another)."""
    by_group: dict[int, list] = {}
    for pupil in pupils:
        by_group.setdefault(pupil["group"], []).append(pupil)
    rows = list(by_group.values())
    return [row[i] for i in range(max(map(len, rows))) for row in rows if i < len(row)]


def bench_writes(port, plan) -> dict:
    choose = "/api/logbook-entries/choose/"
    plan = {**plan, "pupils": interleave(plan["pupils"])}

    def body(p):
        return {"lesson": p["lesson"], "aspect": "place", "value": p["place"]}

    result = burst(port, plan, lambda p: choose, body)
    ours_rate = sustained(port, plan, lambda p: choose, body)
    bare_rate = sustained(port, plan, lambda p: "/bench/bare-write/", lambda p: {})
    result.update(
        {
            "writes_per_s": round(ours_rate, 1),
            "bare_writes_per_s": round(bare_rate, 1),
            "ratio_vs_bare": round(ours_rate / bare_rate, 3) if bare_rate else None,
        }
    )
    return result


async def bench_bell(port: int, plan: dict) -> dict:
    """The bell alone: every pupil opens their class's socket within 10 s."""
    clients = Clients()
    await clients.connect_pupils(f"ws://127.0.0.1:{port}/ws/klas/", plan["pupils"], 10.0)
    await clients.close()
    return {
        "handshakes": len(plan["pupils"]),
        "failed": clients.failed,
        "handshake": summary(clients.handshakes_ms),
    }


def query_counts(plan: dict) -> dict:
    """Queries per write and per connect, counted in this process on the same database
    (the server's code path, through Django's test client and Channels' communicator):
    statements sent, BEGIN and COMMIT not included."""
    from asgiref.sync import async_to_sync
    from channels.testing import WebsocketCommunicator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from config.asgi import application

    pupil = plan["pupils"][-1]
    client = Client(SERVER_NAME="localhost")
    client.cookies["sessionid"] = pupil["session"]
    counts = {}
    for aspect, value in (("place", pupil["place"]),):  # the bench lessons leave the place open
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/logbook-entries/choose/",
                {"lesson": pupil["lesson"], "aspect": aspect, "value": value},
                content_type="application/json",
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
        assert response.status_code == 200, response.content
        counts[f"logbook_choice_{aspect}"] = len(queries)
        counts[f"logbook_choice_{aspect}_statements"] = [
            " ".join(q["sql"].split())[:70] for q in queries.captured_queries
        ]

    async def connect():
        communicator = WebsocketCommunicator(
            application,
            f"/ws/klas/{pupil['group']}/",
            headers=[
                (b"origin", b"http://localhost"),
                (b"host", b"localhost"),
                (b"cookie", f"sessionid={pupil['session']}".encode()),
            ],
        )
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    with CaptureQueriesContext(connection) as queries:
        assert async_to_sync(connect)()
    counts["pupil_connect"] = len(queries)
    return counts


# --- Memory -----------------------------------------------------------------------------


async def bench_memory(services: Services, plan: dict) -> dict:
    from channels.layers import get_channel_layer

    from classroom.realtime.groups import class_group
    from classroom.realtime.publish import encoded

    layer = get_channel_layer()
    pupils = plan["pupils"][:100]
    url = f"ws://127.0.0.1:{services.port}/ws/klas/"
    import websockets

    async def cycle(p):
        async with websockets.connect(
            url + f"{p['group']}/",
            origin=f"http://127.0.0.1:{services.port}",
            additional_headers={"Cookie": f"sessionid={p['session']}"},
            ping_interval=None,
        ):
            pass

    # Warm up: a first round of everything, then measure from there.
    for p in pupils:
        await cycle(p)
    warm = rss_mb(services.daphne.pid)
    for n in range(1000):
        await cycle(pupils[n % len(pupils)])
    listeners = Clients()
    await listeners.connect_pupils(url, pupils, spread_s=2.0)
    groups = sorted({p["group"] for p in pupils})
    for n in range(10_000):
        event = {"type": "lessons.changed", "lesson": 0, "running": True, "round": 10_000_000 + n}
        await layer.group_send(class_group(groups[n % len(groups)]), encoded(event))
        if n % 500 == 0:
            await asyncio.sleep(0.05)
    await asyncio.sleep(2)
    received = sum(len(v) for v in listeners.received.values())
    await listeners.close()
    await asyncio.sleep(1)
    after = rss_mb(services.daphne.pid)
    return {
        "rss_warm_mb": round(warm, 1),
        "rss_after_mb": round(after, 1),
        "rss_growth_pct": round((after - warm) / warm * 100, 2),
        "cycles": 1000,
        "messages": 10_000,
        "deliveries": received,
        "target": "rss_growth_pct <= 10",
    }


# --- Main ---------------------------------------------------------------------------------


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    import psycopg

    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def run_backend(database_url: str | None) -> tuple[Services, dict, str]:
    data_dir = tempfile.mkdtemp(prefix="leerregie-load-")
    env = Services(data_dir, database_url).env()
    env.pop("REDIS_URL")  # building the school sends no events anywhere
    # Build the school in a child process (its own Django, on that database).
    subprocess.run(
        [sys.executable, __file__, "--setup", data_dir],
        env=env,
        cwd=ROOT,
        check=True,
    )
    plan = json.loads((Path(data_dir) / "plan.json").read_text())
    services = Services(data_dir, database_url).start()
    return services, plan, data_dir


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        plan = setup_school()
        (Path(sys.argv[2]) / "plan.json").write_text(json.dumps(plan))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--queries":
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        plan = json.loads((Path(sys.argv[2]) / "plan.json").read_text())
        print(json.dumps(query_counts(plan)))
        return

    RESULTS.mkdir(exist_ok=True)
    about = None
    writes = {}
    bells = {}
    backends = [("sqlite", None)]
    if postgres_reachable():
        backends.append(("postgresql", PG_URL))
    for name, url in backends:
        services, plan, data_dir = run_backend(url)
        try:
            env = services.env()
            os.environ.update({k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"})
            os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
            sys.path.insert(0, str(ROOT))
            import django

            django.setup()
            if about is None:
                about = machine()
                fanout, bell, _ = asyncio.run(bench_sockets(services, plan))
                (RESULTS / "fanout.json").write_text(json.dumps({**fanout, **about}, indent=2))
                bell_json = {**bell, **about}
                memory = asyncio.run(bench_memory(services, plan))
                (RESULTS / "memory.json").write_text(json.dumps({**memory, **about}, indent=2))
            # Counted in a child process with its own Django on this backend's database.
            counted = subprocess.run(
                [sys.executable, __file__, "--queries", data_dir],
                env=services.env(),
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            writes[name] = {"queries": json.loads(counted.stdout)}
            writes[name]["workers_1"] = bench_writes(services.port, plan)
            print(name, writes[name], file=sys.stderr)
        finally:
            services.stop()
        # The same school served by two workers (config.workers) on the same database.
        services = Services(data_dir, url, workers=2).start()
        try:
            writes[name]["workers_2"] = bench_writes(services.port, plan)
            bells[f"{name}_workers_2"] = asyncio.run(bench_bell(services.port, plan))
            print(name, writes[name]["workers_2"], file=sys.stderr)
        finally:
            services.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
    report = {
        "backends": writes,
        "window_s": 10,
        "writes": len(plan["pupils"]),
        "targets": {"errors": 0, "p95_ms": "<= 300"},
        "bare": "POST /bench/bare-write/: one INSERT, no permission, idempotency or event",
        **about,
    }
    (RESULTS / "writes.json").write_text(json.dumps(report, indent=2))
    bell_json["with_2_workers"] = bells
    (RESULTS / "bell.json").write_text(json.dumps(bell_json, indent=2))
    for name in ("fanout", "bell", "memory", "writes"):
        print(name, (RESULTS / f"{name}.json").read_text()[:600])


if __name__ == "__main__":
    main()
