"""A study's events as CSV, 1,000,000 rows, against a bare SELECT → csv.writer loop over
the same table, in the same run.

    .venv/bin/python bench/export.py           # writes bench/results/export.json

The database is a fresh SQLite file in a temporary directory (or DATABASE_URL, when set,
for PostgreSQL), filled once. Each measured run is a child process, so its peak RSS is
its own: `rss_growth_mb` is the peak minus the RSS just before the first row is read.
Runs alternate bare / ours, three each; the medians are reported.

"bare": `SELECT time, verb, actor_id, pupil_id, group_id, lesson_id, object_type, context
FROM research_usageevent` through the database cursor straight into csv.writer.
"ours": `research.exports.Export(study).csv("events")`: consent and period filters,
pseudonyms, coarsened dates, the context filtered to its exported keys.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def setup_django(data_dir: str):
    sys.path.insert(0, str(ROOT))
    os.environ["LEERREGIE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


class Sink:
    """Counts bytes and throws them away (the network, for the bench)."""

    def __init__(self):
        self.bytes = 0

    def write(self, data):
        self.bytes += len(data)
        return len(data)


def fill(study_id_file: Path) -> None:
    """One school, one group of 30 pupils with consent, ROWS events."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from classroom import actions
    from classroom.models import UsageEvent
    from research import actions as research_actions

    school = actions.create_school(name="Benchschool")
    teacher = actions.create_staff_user(school=school, username="bench.teacher", password="x" * 12)
    group = actions.create_group(school=school, name="Groep 6", year_from=6, teachers=[teacher])
    pupils = [actions.create_pupil(group=group, display_name=f"Leerling {i}") for i in range(30)]
    lesson = actions.create_lesson(group=group, title="Rekenen")
    today = timezone.localdate()
    study = research_actions.save_study(
        None,
        school=school,
        title="Bench",
        groups=[group],
        start_date=today - timedelta(days=400),
        end_date=today,
        datasets=["events"],
    )
    for pupil in pupils:
        research_actions.set_consent(study=study, pupil=pupil, status="given", acting_user=teacher)
    table = UsageEvent._meta.db_table
    start = timezone.now() - timedelta(days=300)
    contexts = [
        json.dumps({"aspect": "goal", "openness": "choice", "goals": ["G6-3.1"]}),
        json.dumps({"aspect": "place", "openness": "free", "place": "Stiltehoek"}),
        json.dumps({"goal": "G6-3.2", "level": 3}),
        json.dumps({"mood": "great", "goals": 1, "has_text": False}),
    ]
    verbs = ["logbook_chosen", "logbook_chosen", "self_assessed", "logbook_evaluated"]
    sql = (  # the table name comes from the model, not from input
        f"INSERT INTO {table} (actor_id, pupil_id, verb, object_type, object_id, group_id, "  # noqa: S608
        "lesson_id, time, context) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(ROWS):
            pupil = pupils[i % 30]
            kind = i % 4
            batch.append(
                (
                    pupil.user_id,
                    pupil.pk,
                    verbs[kind],
                    "logbookentry",
                    i,
                    group.pk,
                    lesson.pk,
                    start + timedelta(seconds=i * 20),
                    contexts[kind],
                )
            )
            if len(batch) == 10000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    study_id_file.write_text(str(study.pk))


def measure(kind: str, study_id: int) -> dict:
    """One run, in this (child) process."""
    import csv

    from django.db import connection

    from classroom.models import UsageEvent
    from research.exports import Export
    from research.models import Study

    sink = Sink()
    rows = 0
    if kind == "bare":
        table = UsageEvent._meta.db_table
        connection.ensure_connection()
        before = rss_mb()
        started = time.perf_counter()
        writer = csv.writer(sink)
        with connection.cursor() as cursor:
            columns = "time, verb, actor_id, pupil_id, group_id, lesson_id, object_type, context"
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - the model's table
            while True:
                chunk = cursor.fetchmany(2000)
                if not chunk:
                    break
                writer.writerows(chunk)
                rows += len(chunk)
    else:
        export = Export(Study.objects.get(pk=study_id))
        before = rss_mb()
        started = time.perf_counter()
        for chunk in export.csv("events"):
            sink.write(chunk)
        rows = export.rows_written
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": seconds,
        "bytes": sink.bytes,
        "rss_before_mb": before,
        "rss_peak_mb": peak_rss_mb(),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
    from bench.about import this_machine

    if len(sys.argv) == 4 and sys.argv[1] == "--run":
        setup_django(os.environ["LEERREGIE_DATA_DIR"])
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
        return
    data_dir = tempfile.mkdtemp(prefix="leerregie-bench-")
    setup_django(data_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    marker = Path(data_dir) / "study"
    started = time.perf_counter()
    fill(marker)
    print(f"filled {ROWS} events in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    study_id = int(marker.read_text())
    runs = {"bare": [], "ours": []}
    env = {**os.environ, "LEERREGIE_DATA_DIR": data_dir}
    for _ in range(RUNS):
        for kind in ("bare", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, "--run", kind, str(study_id)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            runs[kind].append(result)
            print(kind, result, file=sys.stderr)

    def median(kind, key):
        return statistics.median(r[key] for r in runs[kind])

    rows = runs["ours"][0]["rows"]
    assert all(r["rows"] == ROWS for r in runs["bare"] + runs["ours"]), "row counts differ"
    ours_rate = rows / median("ours", "seconds")
    bare_rate = ROWS / median("bare", "seconds")
    import django

    result = {
        "bench": "export",
        "rows": rows,
        "rss_growth_mb": round(
            statistics.median(r["rss_peak_mb"] - r["rss_before_mb"] for r in runs["ours"]), 1
        ),
        "throughput_ratio": round(ours_rate / bare_rate, 3),
        "ours": {
            "rows_per_s": round(ours_rate),
            "seconds_median": round(median("ours", "seconds"), 2),
            "bytes": runs["ours"][0]["bytes"],
        },
        "bare": {
            "rows_per_s": round(bare_rate),
            "seconds_median": round(median("bare", "seconds"), 2),
            "rss_growth_mb": round(
                statistics.median(r["rss_peak_mb"] - r["rss_before_mb"] for r in runs["bare"]), 1
            ),
            "bytes": runs["bare"][0]["bytes"],
        },
        "database": connection.vendor,
        "targets": {"rss_growth_mb": "< 100", "throughput_ratio": ">= 0.5"},
        "runs": RUNS,
        "machine": this_machine(),
        "versions": {"django": django.get_version()},
    }
    out = ROOT / "bench" / "results" / "export.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
