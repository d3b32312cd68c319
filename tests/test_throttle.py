"""Guessing is throttled everywhere (classroom/throttle.py, classroom/axes_handler.py):
class codes per address, picture codes per device and pupil with devices and addresses
that guess across pupils slowed, teacher passwords per address across usernames, and the
client address read from X-Forwarded-For only behind a trusted proxy.

No test sleeps: each test has a cache of its own (tests/conftest.py), and `clock` moves
the time the throttles and the in-memory cache see."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import run_checks
from django.test import Client, RequestFactory

from classroom import actions, throttle
from classroom.models import Pupil
from tests.conftest import choose_pupil, enter_picture_code

STRANGER = "203.0.113.66"  # someone who has the class code, at home
SCHOOL = "198.51.100.10"  # the school's own address
WRONG = "moon,moon,moon"  # neither Noor's (sun,fish,star) nor Daan's (moon,tree,car)


@pytest.fixture
def clock(monkeypatch):
    """Move the time that the throttles and Django's in-memory cache read."""

    class Clock:
        now = time.time()

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: clock.now)
    return clock


def grid_url(group):
    return f"/klas/{group.class_code}/"


def pad(client, pupil):
    """`pupil`'s picture-code page, their picture tapped in the grid."""
    choose_pupil(client, pupil)
    return client.get(f"/klas/{pupil.group.class_code}/code/")


def device(address, group=None):
    """A browser at an address; opening the class grid gives it its device cookie."""
    client = Client(REMOTE_ADDR=address)
    if group is not None:
        assert client.get(grid_url(group)).status_code == 200
        assert throttle.DEVICE_COOKIE in client.cookies
    return client


def more_pupils(world, count):
    names = ["Finn", "Mila", "Sara", "Lucas", "Emma", "Noah", "Julia", "Levi", "Tess", "Bram"]
    return [actions.create_pupil(group=world.group, display_name=n) for n in names[:count]]


def unknown_code(i):
    return f"ZZ{i:04d}"


# --- Class codes ------------------------------------------------------------------------


def test_class_code_enumeration_is_refused_after_ten_misses_the_class_still_logs_in(world):
    stranger = device(STRANGER)
    for i in range(10):
        assert stranger.post("/klas/", {"code": unknown_code(i)}).status_code == 400
    refused = stranger.post("/klas/", {"code": unknown_code(10)})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    # Now even the right code is refused, so the wait tells nothing about a guess.
    assert stranger.post("/klas/", {"code": world.group.class_code}).status_code == 429
    assert stranger.get(grid_url(world.group)).status_code == 429
    assert b"Noor" not in stranger.get(grid_url(world.group)).content

    # The class's own devices, at school, are not affected.
    chromebook = device(SCHOOL)
    response = chromebook.post("/klas/", {"code": world.group.class_code.lower()})
    assert response.status_code == 302
    assert "Noor" in chromebook.get(response["Location"]).content.decode()
    assert enter_picture_code(chromebook, world.pupil, "sun,fish,star").status_code == 302


def test_class_grid_misses_count_too(world):
    stranger = device(STRANGER)
    for i in range(5):
        assert stranger.get(f"/klas/{unknown_code(i)}/").status_code == 404
        assert stranger.post("/klas/", {"code": unknown_code(i)}).status_code == 400
    assert stranger.get(f"/klas/{unknown_code(99)}/").status_code == 429


def test_a_right_class_code_does_not_count_as_a_miss(world):
    client = device(SCHOOL)
    for i in range(9):
        assert client.post("/klas/", {"code": unknown_code(i)}).status_code == 400
        for _ in range(3):  # a class opening its grid all morning
            assert client.get(grid_url(world.group)).status_code == 200
            assert client.post("/klas/", {"code": world.group.class_code}).status_code == 302
    assert client.post("/klas/", {"code": unknown_code(9)}).status_code == 400  # the 10th miss
    assert Client(REMOTE_ADDR=SCHOOL).get(grid_url(world.group)).status_code == 429


def test_a_device_that_opened_its_class_keeps_opening_it_while_its_address_waits(world):
    chromebook = device(SCHOOL, world.group)  # yesterday
    prankster = device(SCHOOL)
    for i in range(10):
        prankster.post("/klas/", {"code": unknown_code(i)})
    assert prankster.get(grid_url(world.group)).status_code == 429
    # The Chromebook's signed cookie vouches for its own class, and for no other code.
    assert chromebook.get(grid_url(world.group)).status_code == 200
    assert chromebook.post("/klas/", {"code": world.group.class_code}).status_code == 302
    assert chromebook.get(grid_url(world.other_group)).status_code == 429
    # A forged cookie vouches for nothing.
    forged = Client(REMOTE_ADDR=SCHOOL)
    forged.cookies[throttle.DEVICE_COOKIE] = f"x:{world.group.class_code}"
    assert forged.get(grid_url(world.group)).status_code == 429


def test_the_wait_ends_and_misses_are_forgotten(world, clock):
    stranger = device(STRANGER)
    for i in range(10):
        stranger.post("/klas/", {"code": unknown_code(i)})
    assert stranger.post("/klas/", {"code": unknown_code(10)}).status_code == 429
    clock.advance(10 * 60 + 1)
    assert stranger.post("/klas/", {"code": unknown_code(11)}).status_code == 400
    # Misses with long pauses between them are forgotten.
    for i in range(12):
        clock.advance(10 * 60 + 1)
        assert stranger.post("/klas/", {"code": unknown_code(i)}).status_code == 400


def test_the_start_page_counts_a_remembered_class_code_that_matches_nothing(world):
    stranger = device(STRANGER)
    for i in range(10):
        stranger.cookies["leerregie_klas"] = unknown_code(i)
        page = stranger.get("/")
        assert page.status_code == 200 and page.context["remembered_group"] is None
        assert page.cookies["leerregie_klas"].value == ""  # forgotten
    stranger.cookies["leerregie_klas"] = world.group.class_code
    assert stranger.get("/").context["remembered_group"] is None  # no lookup while waiting
    assert stranger.get(grid_url(world.group)).status_code == 429


def test_the_wait_page_is_dutch_with_a_picture_and_read_aloud(world):
    world.group.language = "en"  # the page must not tell a class's language either
    world.group.save(update_fields=["language"])
    stranger = device(STRANGER)
    for i in range(10):
        stranger.post("/klas/", {"code": unknown_code(i)})
    response = stranger.get(grid_url(world.group))
    assert response.status_code == 429
    assert response["Content-Language"] == "nl"
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "<h1>Even wachten …</h1>" in page
    assert 'src="/static/icons/wait.svg"' in page
    spoken = (
        "Even wachten … Je hebt het heel vaak geprobeerd. Wacht even en probeer het dan nog"
        " een keer. Of vraag je juf of meester om hulp."
    )
    assert f'data-speak="{spoken}"' in page
    assert f'aria-label="Voorlezen: {spoken}"' in page
    assert re.search(r'<a class="button big" href="/klas/\w+/" data-testid="try-again">', page)
    assert "Probeer opnieuw" in page


# --- Picture codes ----------------------------------------------------------------------


def test_a_strangers_wrong_codes_do_not_lock_the_pupil_on_the_class_device(world):
    chromebook = device(SCHOOL, world.group)
    stranger = device(STRANGER, world.group)
    for _ in range(5):
        response = enter_picture_code(stranger, world.pupil, WRONG)
    assert response.status_code == 403 and 'data-testid="locked"' in response.content.decode()
    assert 'data-testid="locked"' in pad(stranger, world.pupil).content.decode()
    # The teacher sees that Noor was locked somewhere, and could lift it.
    assert Pupil.objects.get(pk=world.pupil.pk).is_locked()
    # Noor's own Chromebook never saw those guesses.
    assert 'data-testid="locked"' not in pad(chromebook, world.pupil).content.decode()
    response = enter_picture_code(chromebook, world.pupil, "sun,fish,star")
    assert response.status_code == 302 and response["Location"] == "/leerling/"


def test_another_device_at_the_same_address_is_not_locked_either(world):
    chromebook = device(SCHOOL, world.group)
    classmate = device(SCHOOL, world.group)
    for _ in range(5):
        enter_picture_code(classmate, world.pupil, WRONG)
    assert 'data-testid="locked"' in pad(classmate, world.pupil).content.decode()
    assert enter_picture_code(chromebook, world.pupil, "sun,fish,star").status_code == 302


def test_the_teacher_unlocks_the_pupil_on_every_device(world, clock):
    first, second = device(STRANGER, world.group), device(SCHOOL, world.group)
    for _ in range(5):
        enter_picture_code(first, world.pupil, WRONG)
    actions.unlock_pupil(Pupil.objects.get(pk=world.pupil.pk))
    clock.advance(60)
    for _ in range(5):  # a later lock on another device ...
        enter_picture_code(second, world.pupil, WRONG)
    # ... does not bring back the lock the teacher lifted.
    assert enter_picture_code(first, world.pupil, "sun,fish,star").status_code == 302


def test_a_device_wrong_for_three_pupils_is_slowed_before_it_locks_anyone(world, clock):
    finn = more_pupils(world, 1)[0]
    stranger = device(STRANGER, world.group)
    for pupil in (world.pupil, world.classmate, finn):
        assert enter_picture_code(stranger, pupil, WRONG).status_code == 403
    slowed = enter_picture_code(stranger, world.pupil, WRONG)
    assert slowed.status_code == 429
    assert 0 < int(slowed["Retry-After"]) <= 30
    assert "Even wachten" in slowed.content.decode()
    assert not any(Pupil.objects.get(pk=p.pk).is_locked() for p in (world.pupil, finn))
    # One code per 30 seconds from now on.
    clock.advance(31)
    assert enter_picture_code(stranger, world.pupil, WRONG).status_code == 403
    assert enter_picture_code(stranger, world.classmate, WRONG).status_code == 429
    # Other devices, also at the same address, are not slowed.
    assert enter_picture_code(device(STRANGER, world.group), finn, WRONG).status_code == 403


def test_pupils_who_then_log_in_do_not_count_against_a_shared_tablet(world):
    finn, mila = more_pupils(world, 2)
    tablet = device(SCHOOL, world.group)
    # Noor and Daan each mistype once, then get in; switching pupil logs them out.
    for pupil, code in ((world.pupil, "sun,fish,star"), (world.classmate, "moon,tree,car")):
        assert enter_picture_code(tablet, pupil, WRONG).status_code == 403
        assert enter_picture_code(tablet, pupil, code).status_code == 302
        tablet.post("/leerling/wissel/")
    for pupil in (finn, mila):
        assert enter_picture_code(tablet, pupil, WRONG).status_code == 403
    assert enter_picture_code(tablet, finn, WRONG).status_code == 403  # not slowed


def test_an_address_wrong_for_ten_pupils_is_slowed_whatever_its_devices(world):
    pupils = more_pupils(world, 8) + [world.pupil, world.classmate]
    for pair in range(5):  # a new device for every two pupils
        stranger = device(STRANGER, world.group)
        for pupil in pupils[2 * pair : 2 * pair + 2]:
            assert enter_picture_code(stranger, pupil, WRONG).status_code == 403
    newcomer = device(STRANGER, world.group)
    assert enter_picture_code(newcomer, world.pupil, WRONG).status_code == 429
    # The school is another address.
    assert enter_picture_code(device(SCHOOL, world.group), world.pupil, WRONG).status_code == 403


def test_new_devices_for_every_few_guesses_do_not_escape_the_address_count(world):
    for _ in range(10):  # 30 wrong codes for Noor, never five on one device
        stranger = device(STRANGER, world.group)
        for _ in range(3):
            assert enter_picture_code(stranger, world.pupil, WRONG).status_code == 403
    stranger = device(STRANGER, world.group)
    assert enter_picture_code(stranger, world.pupil, WRONG).status_code == 429
    chromebook = device(SCHOOL, world.group)
    assert enter_picture_code(chromebook, world.pupil, "sun,fish,star").status_code == 302


def test_without_a_reachable_cache_pupils_still_log_in(world, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("no cache")

    for name in ("get", "add", "incr", "set"):
        monkeypatch.setattr(LocMemCache, name, down)
    client = Client(REMOTE_ADDR=SCHOOL)
    assert client.post("/klas/", {"code": unknown_code(1)}).status_code == 400
    assert enter_picture_code(client, world.pupil, WRONG).status_code == 403
    assert enter_picture_code(client, world.pupil, "sun,fish,star").status_code == 302


# --- Teacher passwords ------------------------------------------------------------------


def test_one_address_trying_a_password_across_many_usernames_is_locked(world):
    guesser = Client(REMOTE_ADDR=STRANGER)
    for i in range(19):
        response = guesser.post("/login/", {"username": f"juf.{i}", "password": "Welkom01"})
        assert response.status_code == 200, i
    response = guesser.post("/login/", {"username": "meester.x", "password": "Welkom01"})
    assert response.status_code == 429
    assert "Te veel verkeerde wachtwoorden" in response.content.decode()
    # Every username is locked from that address now, even with the right password.
    right = {"username": "juf.mirjam", "password": "correct horse 42"}
    assert guesser.post("/login/", right).status_code == 429
    # The teacher at school logs in.
    assert Client(REMOTE_ADDR=SCHOOL).post("/login/", right).status_code == 302


def test_a_username_that_then_logs_in_no_longer_counts_for_its_address(world):
    school = Client(REMOTE_ADDR=SCHOOL)
    right = {"username": "juf.mirjam", "password": "correct horse 42"}
    for _ in range(4):
        school.post("/login/", {"username": "juf.mirjam", "password": "typo"})
    assert school.post("/login/", right).status_code == 302
    school.logout()
    for i in range(19):
        assert school.post("/login/", {"username": f"x{i}", "password": "x"}).status_code == 200
    assert school.post("/login/", right).status_code == 302


# --- The client address -----------------------------------------------------------------


def address(settings, remote, forwarded=None, trusted=()):
    settings.TRUSTED_PROXIES = list(trusted)
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return throttle.client_address(RequestFactory().get("/", **meta))


def test_x_forwarded_for_is_ignored_unless_the_request_comes_from_a_trusted_proxy(settings):
    assert address(settings, STRANGER, "1.2.3.4") == STRANGER
    assert address(settings, STRANGER, "1.2.3.4", trusted=["10.0.0.1"]) == STRANGER
    # From the proxy: the right-most address it did not add itself; what the client wrote
    # further left is ignored.
    assert address(settings, "10.0.0.1", "1.2.3.4, " + STRANGER, ["10.0.0.1"]) == STRANGER
    # A chain of trusted proxies, given as a network.
    chain = f"1.2.3.4, {STRANGER}, 10.2.0.7"
    assert address(settings, "10.0.0.1", chain, ["10.0.0.0/8"]) == STRANGER
    # Ports, brackets and IPv4 written as IPv6.
    assert address(settings, "10.0.0.1", f"{STRANGER}:4711", ["10.0.0.1"]) == STRANGER
    assert address(settings, "10.0.0.1", "[2001:db8::7]:443", ["10.0.0.1"]) == "2001:db8::7"
    assert address(settings, "::ffff:10.0.0.1", STRANGER, ["10.0.0.1"]) == STRANGER
    # No header, or a broken one: the proxy itself is counted, never a made-up address.
    assert address(settings, "10.0.0.1", None, ["10.0.0.1"]) == "10.0.0.1"
    assert address(settings, "10.0.0.1", "1.2.3.4, bogus", ["10.0.0.1"]) == "10.0.0.1"


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(10):  # forging the left of the header does not help
        proxy.post(
            "/klas/", {"code": unknown_code(i)}, HTTP_X_FORWARDED_FOR=f"9.9.9.{i}, {STRANGER}"
        )
    assert proxy.post("/klas/", {"code": "x"}, HTTP_X_FORWARDED_FOR=STRANGER).status_code == 429
    school = proxy.post("/klas/", {"code": world.group.class_code}, HTTP_X_FORWARDED_FOR=SCHOOL)
    assert school.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_throttle(world):
    client = Client(REMOTE_ADDR=STRANGER)
    for i in range(10):
        client.post("/klas/", {"code": unknown_code(i)}, HTTP_X_FORWARDED_FOR=f"9.9.9.{i}")
    response = client.post("/klas/", {"code": "x"}, HTTP_X_FORWARDED_FOR="9.9.9.99")
    assert response.status_code == 429


def test_an_ipv6_client_is_counted_per_64_network(world):
    for i in range(10):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").post("/klas/", {"code": unknown_code(i)})
    assert Client(REMOTE_ADDR="2001:db8:1:2::ff").get(grid_url(world.group)).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get(grid_url(world.group)).status_code == 200


def test_django_axes_counts_the_same_client_address(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    proxy.post(
        "/login/",
        {"username": "juf.mirjam", "password": "wrong"},
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {STRANGER}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [STRANGER]


def test_a_trusted_proxy_that_is_not_an_address_is_a_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "proxy.example"]
    assert "leerregie.E001" in [message.id for message in run_checks()]
    settings.TRUSTED_PROXIES = ["10.0.0.1", "2001:db8::/32"]
    assert "leerregie.E001" not in [message.id for message in run_checks()]
