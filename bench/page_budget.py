"""Page budget: each pupil and teacher page's first load (HTML, CSS and JS, compressed,
photos excluded) and its Largest Contentful Paint with Chromium throttled to a 4x slower
CPU and a 1.6 Mbps / 150 ms RTT network, measured through the DevTools protocol. Pupil
pages at the Chromebook's 1366x657, the kleuter's planbord at the tablet's 800x1280, the
teacher's at the laptop's 1366x657 and the class screens at the digibord's 1920x1080.

    .venv/bin/python bench/page_budget.py        # writes bench/results/page_budget.json

The demo school in a fresh data directory, served by daphne as `make run` serves it.
Every page is loaded cold (a new browser context: no cache, no service worker yet), three
times; the median LCP is reported. The baseline is a bare HTML page with one heading,
served by Python's http.server on the same machine under the same throttling, in the
same run: the floor this network and CPU allow.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NETWORK = {
    "offline": False,
    "latency": 150,  # ms round trip
    "downloadThroughput": 1_600_000 / 8,  # bytes/s
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4
BUDGET_BYTES = 100 * 1024
BUDGET_LCP_MS = 2500
COUNTED = {"Document", "Stylesheet", "Script"}
LCP_SCRIPT = """() => new Promise((resolve) => {
  let last = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) last = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => resolve(last), 500);
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(data_dir: str) -> dict:
    """The demo school, a running lesson for groep 8, and sessions for two pupils."""
    sys.path.insert(0, str(ROOT))
    os.environ["LEERREGIE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from classroom import actions
    from classroom.models import Group, Lesson

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    groep8 = Group.objects.get(name="Groep 8")
    lesson = Lesson.objects.filter(group=groep8).first()
    teacher = groep8.teachers.first()
    actions.start_lesson(lesson, acting_user=teacher)
    from planboard.actions import board_for

    sessions = {}

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    for name in ("Groep 8", "De Beren"):
        group = Group.objects.get(name=name)
        sessions[name] = session(group.pupils.order_by("display_name").first().user)
        sessions[f"teacher {name}"] = session(group.teachers.first())
    beren = Group.objects.get(name="De Beren")
    board = board_for(beren, timezone.localdate())
    laptop, tablet, digibord = (1366, 657), (800, 1280), (1920, 1080)
    return {
        "sessions": sessions,
        # (session, url, role, viewport)
        "pages": [
            ("Groep 8", "/leerling/", "pupil", laptop),
            ("Groep 8", "/leerling/doelenboekje/", "pupil", laptop),
            ("Groep 8", f"/leerling/logboek/{lesson.pk}/", "pupil", laptop),
            ("Groep 8", "/leerling/fotos/", "pupil", laptop),
            ("De Beren", "/leerling/planbord/", "pupil", tablet),
            ("teacher Groep 8", "/leerkracht/", "teacher", laptop),
            ("teacher Groep 8", f"/leerkracht/groep/{groep8.pk}/", "teacher", laptop),
            ("teacher Groep 8", f"/leerkracht/les/{lesson.pk}/", "teacher", laptop),
            ("teacher Groep 8", f"/leerkracht/les/{lesson.pk}/", "teacher", digibord),
            ("teacher Groep 8", f"/leerkracht/les/{lesson.pk}/digibord/", "teacher", digibord),
            ("teacher Groep 8", f"/leerkracht/groep/{groep8.pk}/nieuw/", "teacher", laptop),
            ("teacher De Beren", f"/leerkracht/groep/{beren.pk}/planbord/", "teacher", laptop),
            ("teacher De Beren", f"/leerkracht/planbord/{board.pk}/digibord/", "teacher", digibord),
        ],
    }


def serve_bare(directory: Path) -> str:
    (directory / "index.html").write_text(
        '<!doctype html><html lang="nl"><meta charset="utf-8"><title>bare</title>'
        "<h1>Hoi Noor!</h1><p>Een kale pagina: wat dit netwerk en deze processor toelaten.</p>"
    )
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(directory), **k
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/index.html"


def measure(browser, url: str, session: str | None, host: str, viewport=(1366, 657)) -> dict:
    width, height = viewport
    context = browser.new_context(
        service_workers="block", viewport={"width": width, "height": height}
    )
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    lcp = page.evaluate(LCP_SCRIPT)
    by_kind: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "Other")
        by_kind[kind] = by_kind.get(kind, 0) + size
    context.close()
    return {
        "lcp_ms": round(lcp),
        "bytes_compressed": sum(v for k, v in by_kind.items() if k in COUNTED),
        "bytes_by_type": by_kind,
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages
    from bench.about import this_machine

    data_dir = tempfile.mkdtemp(prefix="leerregie-budget-")
    plan = setup(data_dir)
    port = free_port()
    env = {**os.environ, "LEERREGIE_DATA_DIR": data_dir, "ALLOWED_HOSTS": "127.0.0.1"}
    daphne = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        bare_url = serve_bare(Path(tempfile.mkdtemp(prefix="leerregie-bare-")))
        from playwright.sync_api import sync_playwright

        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            baseline = []
            runs: dict[tuple, list[dict]] = {page: [] for page in plan["pages"]}
            for _ in range(RUNS):
                baseline.append(measure(browser, bare_url, None, "127.0.0.1"))
                for page in plan["pages"]:
                    who, url, _role, viewport = page
                    session = plan["sessions"][who]
                    runs[page].append(measure(browser, base + url, session, "127.0.0.1", viewport))
            browser.close()
        for (_who, url, role, viewport), measured in runs.items():
            results.append(
                {
                    "url": url,
                    "role": role,
                    "viewport": f"{viewport[0]}x{viewport[1]}",
                    "bytes_compressed": max(m["bytes_compressed"] for m in measured),
                    "lcp_ms": statistics.median(m["lcp_ms"] for m in measured),
                    "lcp_runs_ms": [m["lcp_ms"] for m in measured],
                    "bytes_by_type": measured[0]["bytes_by_type"],
                }
            )
    finally:
        daphne.terminate()
        daphne.wait(timeout=10)
    from importlib.metadata import version

    import django

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    report = {
        "bench": "page_budget",
        "pages": results,
        "baseline": {
            "what": "bare HTML page with one heading, Python http.server, same throttling",
            "lcp_ms": statistics.median(m["lcp_ms"] for m in baseline),
            "bytes_compressed": baseline[0]["bytes_compressed"],
        },
        "throttling": {
            "cpu_slowdown": CPU_SLOWDOWN,
            "download_kbps": NETWORK["downloadThroughput"] * 8 / 1000,
            "upload_kbps": NETWORK["uploadThroughput"] * 8 / 1000,
            "rtt_ms": NETWORK["latency"],
            "cache": "disabled (first load)",
        },
        "targets": {"bytes_compressed": f"<= {BUDGET_BYTES}", "lcp_ms": f"< {BUDGET_LCP_MS}"},
        "within_budget": all(
            r["bytes_compressed"] <= BUDGET_BYTES and r["lcp_ms"] < BUDGET_LCP_MS for r in results
        ),
        "runs": RUNS,
        "machine": this_machine(),
        "versions": {
            "django": django.get_version(),
            "playwright": version("playwright"),
            "chromium": chromium.strip(),
        },
    }
    out = ROOT / "bench" / "results" / "page_budget.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
