"""Photos never block the class: six 12 MP photos uploaded at once while 20 pupils tap.

    .venv/bin/python bench/photo_load.py      # writes bench/results/photo_load.json

One group of 26 pupils with a running lesson, in a fresh data directory; one daphne
process (Redis channel layer on a redis-server of the bench's own), on SQLite and on
PostgreSQL (when reachable at 127.0.0.1:5432; BENCH_PG_URL names the database, which is
dropped and made again). Clients are threads in this process, sending what the outbox
sends: every write with its own Idempotency-Key.

- taps: 20 pupils tap logbook choices (`POST /api/logbook-entries/choose/`, a place),
  each with 1-3 s between taps. Measured twice in the same server: alone (the
  baseline), and while the six photos are uploaded and processed; the taps counted are
  those that started between the first photo's start and the last photo's answer.
- photos: six pupils upload the same 12 MP JPEG (bench/photo.py's, 6.4 MB, orientation
  6 and GPS) at the same moment (`POST /api/photos/`).
- memory: daphne's RSS sampled every 20 ms; its growth from the warm server (after one
  photo and a round of taps) to the peak during the burst, in total and per photo.

Targets (issue 15): every tap saved, p95 under 500 ms, no 503; peak RSS growth per photo
under 200 MB.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TAPPERS = 20
PHOTOGRAPHERS = 6
# A pupil reads, thinks and taps: one tap every one to three seconds (20 pupils: about
# ten taps a second for the class).
TAP_PAUSE_S = (1.0, 3.0)
BASELINE_S = float(os.environ.get("BENCH_BASELINE_S", "10"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/leerregie_photo_bench")

from bench.load import Services, percentile, rss_mb  # noqa: E402


def summary(values_ms: list[float]) -> dict:
    values_ms = values_ms or [0.0]
    return {
        "n": len(values_ms),
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p95_ms": round(percentile(values_ms, 95), 1),
        "max_ms": round(max(values_ms), 1),
    }


# --- The class ----------------------------------------------------------------------------


def setup_class() -> dict:
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string

    from classroom import actions

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        school = actions.create_school(name="Benchschool")
        teacher = actions.create_staff_user(school=school, username="bench", password="x" * 12)
        group = actions.create_group(school=school, name="Groep 6", year_from=6, teachers=[teacher])
        places = [
            actions.create_place(group=group, name=name, capacity=None)
            for name in ("Tafel", "Stiltehoek", "Gang")
        ]
        lesson = actions.create_lesson(group=group, title="Rekenen", place_openness="free")
        actions.start_lesson(lesson, acting_user=teacher)
        pupils = []
        for i in range(TAPPERS + PHOTOGRAPHERS):
            pupil = actions.create_pupil(group=group, display_name=f"P{i}")
            session = SessionStore()
            session["_auth_user_id"] = str(pupil.user_id)
            session["_auth_user_backend"] = "classroom.backends.AccountBackend"
            session["_auth_user_hash"] = pupil.user.get_session_auth_hash()
            session.create()
            pupils.append(session.session_key)
    return {
        "lesson": lesson.pk,
        "places": [p.pk for p in places],
        "sessions": pupils,
        "csrf": _get_new_csrf_string(),
    }


# --- Requests ------------------------------------------------------------------------------


def post(port, path, session, csrf, body: bytes, content_type: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": content_type,
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Referer": f"http://127.0.0.1:{port}/",
                "Host": f"127.0.0.1:{port}",
                "Idempotency-Key": str(uuid.uuid4()),
                "Accept": "application/json",
            },
        )
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def tap(port, plan, session, place) -> tuple[int, float]:
    body = json.dumps({"lesson": plan["lesson"], "aspect": "place", "value": place}).encode()
    return post(
        port, "/api/logbook-entries/choose/", session, plan["csrf"], body, "application/json"
    )


def upload(port, plan, session, photo: bytes) -> tuple[int, float]:
    boundary = uuid.uuid4().hex
    parts = [
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="lesson"\r\n\r\n{plan["lesson"]}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="IMG.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode(),
        photo,
        f"\r\n--{boundary}--\r\n".encode(),
    ]  # fmt: skip
    return post(
        port, "/api/photos/", session, plan["csrf"], b"".join(parts),
        f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


class Tappers:
    """20 pupils tapping until stopped; every tap is (started at, ms, status)."""

    def __init__(self, port, plan):
        self.port, self.plan = port, plan
        self.taps: list[tuple[float, float, int]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = []

    def _pupil(self, i):
        rng = random.Random(i)
        session = self.plan["sessions"][i]
        n = 0
        time.sleep(rng.uniform(0, 0.4))
        while not self.stop.is_set():
            place = self.plan["places"][n % len(self.plan["places"])]
            started = time.perf_counter()
            status, ms = tap(self.port, self.plan, session, place)
            with self.lock:
                self.taps.append((started, ms, status))
            n += 1
            time.sleep(rng.uniform(*TAP_PAUSE_S))

    def start(self):
        self.threads = [threading.Thread(target=self._pupil, args=(i,)) for i in range(TAPPERS)]
        for thread in self.threads:
            thread.start()
        return self

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                self.samples.append((time.perf_counter(), rss_mb(self.pid)))
            except (OSError, RuntimeError):
                return
            time.sleep(0.02)

    def peak_between(self, start, end) -> float:
        return max(mb for t, mb in self.samples if start <= t <= end)


def timeline(taps, start, end) -> list:
    """Per second of the burst: [second, taps started, slowest ms]."""
    rows = []
    for second in range(int(end - start) + 1):
        inside = [ms for t, ms, _s in taps if start + second <= t < start + second + 1]
        rows.append([second, len(inside), round(max(inside), 1) if inside else None])
    return rows


def tap_report(taps, start, end) -> dict:
    inside = [(ms, status) for t, ms, status in taps if start <= t <= end]
    saved = [ms for ms, status in inside if 200 <= status < 300]
    return {
        **summary(saved),
        "taps": len(inside),
        "saved": len(saved),
        "not_saved": len(inside) - len(saved),
        "status_503": sum(1 for _ms, status in inside if status == 503),
    }


def bench_backend(services: Services, plan: dict, photo: bytes) -> dict:
    port = services.port
    photographers = plan["sessions"][TAPPERS:]
    # Warm: every code path once (a photo, a round of taps), then let it settle.
    status, _ms = upload(port, plan, photographers[0], photo)
    assert status == 201, f"the warm-up photo was answered {status}"
    for i in range(TAPPERS):
        tap(port, plan, plan["sessions"][i], plan["places"][0])
    time.sleep(1.0)
    sampler = RssSampler(services.daphne.pid)
    sampler.start()
    time.sleep(0.3)
    warm_rss = rss_mb(services.daphne.pid)

    tappers = Tappers(port, plan).start()
    baseline_start = time.perf_counter()
    time.sleep(BASELINE_S)
    baseline_end = time.perf_counter()

    answers: list[tuple[int, float]] = []
    barrier = threading.Barrier(PHOTOGRAPHERS)

    def photographer(session):
        barrier.wait()
        answers.append(upload(port, plan, session, photo))

    threads = [threading.Thread(target=photographer, args=(s,)) for s in photographers]
    burst_start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    burst_end = time.perf_counter()
    time.sleep(1.0)
    tappers.finish()
    time.sleep(1.0)
    sampler.stopped.set()
    sampler.join()
    after_rss = rss_mb(services.daphne.pid)
    peak = sampler.peak_between(burst_start, burst_end + 1.0)
    growth = peak - warm_rss
    return {
        "taps_alone": tap_report(tappers.taps, baseline_start, baseline_end),
        "taps_during_photos": tap_report(tappers.taps, burst_start, burst_end),
        "taps_per_second_of_the_burst": timeline(tappers.taps, burst_start, burst_end),
        "photos": {
            "uploaded": PHOTOGRAPHERS,
            "stored": sum(1 for status, _ms in answers if status == 201),
            "statuses": sorted(status for status, _ms in answers),
            "burst_s": round(burst_end - burst_start, 2),
            **{k: v for k, v in summary([ms for _s, ms in answers]).items() if k != "n"},
        },
        "memory": {
            "rss_warm_mb": round(warm_rss, 1),
            "rss_peak_mb": round(peak, 1),
            "rss_after_mb": round(after_rss, 1),
            "peak_growth_mb": round(growth, 1),
            "peak_growth_per_photo_mb": round(growth / PHOTOGRAPHERS, 1),
        },
    }


# --- Main ------------------------------------------------------------------------------------


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def run_backend(database_url: str | None, photo: bytes) -> dict:
    data_dir = tempfile.mkdtemp(prefix="leerregie-photo-load-")
    services = Services(data_dir, database_url)
    env = services.env()
    env.pop("REDIS_URL")  # building the class sends no events anywhere
    subprocess.run([sys.executable, __file__, "--setup", data_dir], env=env, cwd=ROOT, check=True)
    plan = json.loads((Path(data_dir) / "plan.json").read_text())
    services.start()
    try:
        return bench_backend(services, plan, photo)
    finally:
        services.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        import django

        django.setup()
        (Path(sys.argv[2]) / "plan.json").write_text(json.dumps(setup_class()))
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    from importlib.metadata import version

    import django

    from bench.about import this_machine
    from bench.photo import twelve_megapixel_jpeg

    photo = twelve_megapixel_jpeg()
    backends = {"sqlite": None}
    if postgres_reachable():
        backends["postgresql"] = PG_URL
    results = {}
    for name, url in backends.items():
        results[name] = run_backend(url, photo)
        print(name, json.dumps(results[name]), file=sys.stderr)
    met = all(
        r["taps_during_photos"]["p95_ms"] < 500
        and r["taps_during_photos"]["not_saved"] == 0
        and r["taps_during_photos"]["status_503"] == 0
        and r["photos"]["stored"] == PHOTOGRAPHERS
        and r["memory"]["peak_growth_per_photo_mb"] < 200
        for r in results.values()
    )
    report = {
        "bench": "photo_load",
        "backends": results,
        "setup": {
            "tappers": TAPPERS,
            "photos_at_once": PHOTOGRAPHERS,
            "photo": {"width": 4000, "height": 3000, "bytes": len(photo)},
            "tap_pause_s": list(TAP_PAUSE_S),
            "daphne_processes": 1,
            "baseline": f"the same 20 pupils tapping for {BASELINE_S:g} s without photos, "
            "same server, just before the burst",
        },
        "targets": {
            "taps_during_photos.p95_ms": "< 500",
            "taps_during_photos.not_saved": 0,
            "taps_during_photos.status_503": 0,
            "memory.peak_growth_per_photo_mb": "< 200",
        },
        "met": met,
        "machine": {**this_machine(), "load_average_1_5_15": list(os.getloadavg())},
        "versions": {
            "django": django.get_version(),
            "daphne": version("daphne"),
            "pillow": version("pillow"),
            "pillow-heif": version("pillow-heif"),
        },
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "photo_load.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(path.read_text())


if __name__ == "__main__":
    main()
