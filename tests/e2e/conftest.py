"""Browser tests: a real daphne serving the test database, driven by Playwright in
Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium these tests skip, unless REQUIRE_BROWSER=1 (CI), where a
missing browser fails the run.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import FAST_HASHERS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SERVER_SETTINGS = "tests.e2e.server_settings"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def server_media(tmp_path_factory):
    return tmp_path_factory.mktemp("server-media")


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, server_media):
    """Overrides the root fixture: the tests read the files the server wrote. The
    server hashes passwords with the same fast hasher (tests/e2e/server_settings.py)."""
    settings.MEDIA_ROOT = server_media
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url_for_test_db() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Daphne:
    """A daphne process on the test database and media, on one loopback port. It can
    be stopped and started again on the same port (a server-side cut)."""

    def __init__(self, log_dir: Path, media: Path, port: int | None = None, env=None, command=None):
        self.extra_env = dict(env or {})
        # What runs: daphne as `make run` starts it, or another entry point on the port.
        self.command = command or [
            "config.serve",
            "--websocket_connect_timeout",
            "20",
            "config.asgi:application",
        ]
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.media = media
        self.log_path = log_dir / f"daphne-{self.port}.log"
        self.process = None

    def start(self) -> "Daphne":
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_test_db(),
            "MEDIA_ROOT": str(self.media),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
            **self.extra_env,
        }
        log = self.log_path.open("a")
        module, *rest = self.command
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, "-b", "127.0.0.1", "-p", str(self.port), *rest],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"daphne did not start; see {self.log_path}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def server(django_db_setup, tmp_path_factory, server_media):
    """daphne on a free loopback port, on the same test database and media as the tests."""
    daphne = Daphne(tmp_path_factory.mktemp("daphne"), server_media).start()
    yield daphne.url
    daphne.stop()


@pytest.fixture
def second_server(django_db_setup, tmp_path_factory, server_media):
    """Another daphne on the same database, for tests that stop and restart a server."""
    daphne = Daphne(tmp_path_factory.mktemp("daphne2"), server_media)
    yield daphne
    daphne.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests' own ORM calls
    # (setting up pupils, checking what was stored) are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


CSP_WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  console.error(
    `CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});"""


def _csp_violation(message, violations: list[str]) -> None:
    if message.text.startswith("CSP-VIOLATION"):
        violations.append(message.text)


@pytest.fixture
def new_context(browser, server, request):
    """Browser contexts as a Dutch school's devices: nl-NL, and a touch screen for pupils."""
    contexts = []

    def make(touch: bool = False, locale: str = "nl-NL", base_url: str | None = None):
        context = browser.new_context(
            base_url=base_url or server,
            locale=locale,
            has_touch=touch,
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(10_000)
        # The pages run under their Content-Security-Policy: anything it blocks fails
        # the test (an inline script, a foreign image...), not just a console line.
        context.add_init_script(CSP_WATCH)
        context.on("console", lambda message: _csp_violation(message, violations))
        contexts.append(context)
        return context

    violations: list[str] = []
    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"))
        context.close()
    assert not violations, f"the Content-Security-Policy blocked: {violations}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


WORLD_PASSWORD = "correct horse 42"  # noqa: S105 - the test world's staff password


def staff_login(page, username: str, password: str = WORLD_PASSWORD) -> None:
    """Log a staff member in on /login/, with the code of their phone when the second
    step asks for one (tests/otp.py; their authenticator is set up first)."""
    from django.contrib.auth import get_user_model

    from frontend.views.second_factor import needs_second_factor
    from tests.otp import code_of

    user = get_user_model().objects.get(username__iexact=username.strip())
    needed = needs_second_factor(user)
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    if needed:
        code = code_of(user)  # sets the phone up before the password is sent
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()
