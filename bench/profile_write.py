"""Where a pupil's write spends its time: a profile of logbook choices against the bare view.

    .venv/bin/python bench/profile_write.py   # writes bench/results/write_profile.json

One class of 30 pupils with a running lesson, in a fresh SQLite data directory, with the
Redis channel layer when `REDIS_URL` is set (a local redis-server otherwise is not
started: the in-memory layer is used and the result says so). In this process, through
Django's test client (the server's request path from the middleware on, without daphne,
which the bare view shares): `ROUNDS` rounds, each 30 choices (one per pupil, the place and
the instruction in turn) and 30 bare writes (`POST /bench/bare-write/`, one INSERT),
interleaved, then the same again under cProfile. The result gives the mean time per
request of each, their ratio, the statements per choice, and the profiled time split into
the phases of a write (each phase's cumulative time per choice, and its share).
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))

# Phases of a write: (name, what it is, the functions whose cumulative time it is). A
# function's cumulative time includes what it calls, so phases nest (the idempotency
# wrapper holds the action); the result gives each as a share of the whole request.
PHASES = [
    ("request", "the whole request, from the test client's handler",
     [("django/test/client.py", "request")]),
    ("middleware_before_view", "session, authentication and the user's pupil record",
     [("django/contrib/sessions/backends/db.py", "load"),
      ("classroom/backends.py", "get_user")]),
    ("drf_dispatch", "DRF's view: parsing, permissions, the action and the answer",
     [("rest_framework/views.py", "dispatch")]),
    ("request_validation", "the request's body checked, with the lesson it names looked up "
     "through the declared rules", [("rest_framework/serializers.py", "is_valid")]),
    ("idempotency", "the stored-answer look-up, the transaction and the stored answer",
     [("classroom/idempotency.py", "run")]),
    ("action", "logbook.entries.choose: the checks, the entry, the write, its usage event",
     [("logbook/entries.py", "choose")]),
    ("answer", "the entry serialised for the API's answer",
     [("rest_framework/serializers.py", "data")]),
    ("event_after_commit", "the dashboard event built and sent after commit",
     [("classroom/realtime/publish.py", "send")]),
    ("event_build", "of which: the event built (the class's quadrant read and computed)",
     [("logbook/dashboard.py", "event")]),
    ("channel_send", "of which: handed to the channel layer",
     [("asgiref/sync.py", "__call__")]),
    ("database", "time inside the database driver (every statement of the request)",
     [("~", "<method 'execute' of 'sqlite3.Cursor' objects>"),
      ("~", "<method 'commit' of 'sqlite3.Connection' objects>")]),
]  # fmt: skip


def setup():
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from classroom import actions

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        school = actions.create_school(name="Profielschool")
        teacher = actions.create_staff_user(school=school, username="prof", password="x" * 12)
        group = actions.create_group(school=school, name="Groep 6", year_from=6, teachers=[teacher])
        place = actions.create_place(group=group, name="Tafel", capacity=None)
        lesson = actions.create_lesson(
            group=group, title="Rekenen", place_openness="free", instruction_openness="free"
        )
        actions.start_lesson(lesson, acting_user=teacher)
        sessions = []
        for i in range(30):
            pupil = actions.create_pupil(group=group, display_name=f"P{i}")
            session = SessionStore()
            session["_auth_user_id"] = str(pupil.user_id)
            session["_auth_user_backend"] = "classroom.backends.AccountBackend"
            session["_auth_user_hash"] = pupil.user.get_session_auth_hash()
            session.create()
            sessions.append(session.session_key)
    return lesson.pk, place.pk, sessions


def run_round(clients, bare, lesson, place, n, timings):
    """30 choices and 30 bare writes, interleaved; appends (kind, seconds)."""
    for i, client in enumerate(clients):
        if (n + i) % 2:
            body = {"lesson": lesson, "aspect": "place", "value": place}
        else:
            body = {"lesson": lesson, "aspect": "instruction", "value": {"wanted": n % 4 < 2}}
        started = time.perf_counter()
        response = client.post(
            "/api/logbook-entries/choose/",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        timings["choice"].append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        started = time.perf_counter()
        response = bare.post("/bench/bare-write/", {}, content_type="application/json")
        timings["bare"].append(time.perf_counter() - started)
        assert response.status_code == 200


def phase_times(stats: pstats.Stats, choices: int) -> dict:
    """Each phase's cumulative time per choice. Where several functions of one file share
    a name (a property and its override), the outermost (largest) is taken, not the sum."""
    result = {}
    for phase, what, functions in PHASES:
        total = 0.0
        for suffix, name in functions:
            total += max(
                (
                    ct
                    for (filename, _line, fname), (_cc, _nc, _tt, ct, _c) in stats.stats.items()
                    if fname == name and (filename.endswith(suffix) or suffix == filename)
                ),
                default=0.0,
            )
        result[phase] = {"what": what, "ms_per_request": round(total / choices * 1000, 3)}
    return result


def child(data_dir: str) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    lesson, place, sessions = setup()
    clients = []
    for key in sessions:
        client = Client(SERVER_NAME="localhost")
        client.cookies["sessionid"] = key
        clients.append(client)
    bare = Client(SERVER_NAME="localhost")
    warm = {"choice": [], "bare": []}
    run_round(clients, bare, lesson, place, 0, warm)
    timings = {"choice": [], "bare": []}
    for n in range(1, ROUNDS + 1):
        run_round(clients, bare, lesson, place, n, timings)
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # Every statement the request sends (Django's query log is reset per request).
    with connection.execute_wrapper(count):
        clients[0].post(
            "/api/logbook-entries/choose/",
            {"lesson": lesson, "aspect": "place", "value": place},
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    # The profile: bare writes run too (interleaved as above) but only the choices'
    # phases are read; the database phase is counted for the choices alone by profiling
    # them separately.
    profiler = cProfile.Profile()
    profiled = {"choice": [], "bare": []}
    for n in range(ROUNDS + 1, 2 * ROUNDS + 1):
        for i, client in enumerate(clients):
            body = (
                {"lesson": lesson, "aspect": "place", "value": place}
                if (n + i) % 2
                else {"lesson": lesson, "aspect": "instruction", "value": {"wanted": n % 4 < 2}}
            )
            profiler.enable()
            response = client.post(
                "/api/logbook-entries/choose/",
                body,
                content_type="application/json",
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            profiler.disable()
            assert response.status_code == 200, response.content
            profiled["choice"].append(1)
    choices = len(profiled["choice"])
    stats = pstats.Stats(profiler)
    if os.environ.get("PROFILE_DUMP"):
        stats.dump_stats(os.environ["PROFILE_DUMP"])
    phases = phase_times(stats, choices)
    whole = phases["request"]["ms_per_request"]
    for value in phases.values():
        value["share"] = round(value["ms_per_request"] / whole, 3) if whole else None
    top = []
    stats.sort_stats("tottime")
    for (filename, line, name), (_cc, nc, tt, _ct, _callers) in list(
        sorted(stats.stats.items(), key=lambda kv: -kv[1][2])
    )[:25]:
        top.append(
            {
                "function": f"{Path(filename).name}:{line}({name})",
                "calls_per_request": round(nc / choices, 1),
                "own_ms_per_request": round(tt / choices * 1000, 3),
            }
        )
    choice_ms = statistics.mean(timings["choice"]) * 1000
    bare_ms = statistics.mean(timings["bare"]) * 1000
    return {
        "choices": len(timings["choice"]),
        "choice_ms_mean": round(choice_ms, 3),
        "choice_ms_median": round(statistics.median(timings["choice"]) * 1000, 3),
        "bare_ms_mean": round(bare_ms, 3),
        "bare_ms_median": round(statistics.median(timings["bare"]) * 1000, 3),
        "ratio_bare_over_choice": round(bare_ms / choice_ms, 3),
        "statements_per_choice": len(statements),
        "statements": [" ".join(sql.split())[:70] for sql in statements],
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
        "profiled_phases": phases,
        "profiled_top_own_time": top,
        "note": "profiled times are inflated by cProfile; compare shares, not milliseconds",
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        result = child(sys.argv[2])
        (Path(sys.argv[2]) / "result.json").write_text(json.dumps(result))
        return
    import subprocess

    sys.path.insert(0, str(ROOT))
    from bench.load import machine

    data_dir = tempfile.mkdtemp(prefix="leerregie-profile-")
    env = {
        **os.environ,
        "LEERREGIE_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "localhost",
        "REDIS_PREFIX": "leerregie-profile",
    }
    env.pop("DATABASE_URL", None)
    try:
        subprocess.run([sys.executable, __file__, "--child", data_dir], env=env, check=True)
        result = json.loads((Path(data_dir) / "result.json").read_text())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    result.update(machine())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "write_profile.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "profiled_top_own_time"}, indent=2))


if __name__ == "__main__":
    main()
