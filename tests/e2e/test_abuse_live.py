"""Abuse against the real server: a hundred rapid picture-code guesses, an oversize body
announced by a client that never sends it, and a WebSocket from a foreign site."""

import asyncio
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
import requests
import websockets
from django.test import Client

from classroom.models import Pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hundred_rapid_guesses_lock_the_pupil_and_keep_them_locked(world, server):
    """Someone who does not know Noor's code hammers her card: five guesses are judged,
    the fifth locks her, the other ninety-five get no answer about the code at all."""
    grid = f"{server}/klas/{world.group.class_code}/"
    choose, pad = grid + "kies/", grid + "code/"

    # The grid's CSRF token, fetched once (without keeping the grid's device cookie: the
    # guesser is one device): a locked pad has no form, but a guesser keeps posting with
    # the token they already have.
    token = requests.get(grid, timeout=30).cookies["csrftoken"]

    def post(session, url, data):
        return session.post(
            url,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": grid},
            allow_redirects=False,
            timeout=30,
        )

    def tapped_noor():
        """A new session in which Noor's picture was tapped (her token in the body)."""
        session = requests.Session()
        session.cookies.set("csrftoken", token)
        assert post(session, choose, {"pupil": world.pupil.login_token}).status_code == 302
        return session

    def guess(_):
        response = post(tapped_noor(), pad, {"code": "moon,moon,moon"})
        return response.status_code, 'data-testid="locked"' in response.text

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(guess, range(100)))
    # No server error; four "Oeps, not your code", and the lock notice for the fifth guess
    # and every guess after it (some of those raced into the check and met the lock there).
    assert {status for status, _locked in results} <= {200, 403}
    assert results.count((403, False)) == 4
    assert sum(locked for _status, locked in results) == 96
    assert Pupil.objects.get(pk=world.pupil.pk).is_locked()
    # Even the right code does not open her card now.
    session = tapped_noor()
    late = post(session, pad, {"code": "sun,fish,star"})
    assert late.status_code == 200 and 'data-testid="locked"' in late.text
    assert "_auth_user_id" not in str(session.cookies)


def test_an_oversize_body_is_refused_before_it_is_sent(world, server):
    client = Client()
    client.force_login(world.pupil.user)
    host = urlparse(server)
    with socket.create_connection((host.hostname, host.port), timeout=5) as sock:
        sock.sendall(
            (
                "POST /api/logbook-entries/choose/ HTTP/1.1\r\n"
                f"Host: {host.netloc}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {200 * 1024 * 1024}\r\n"
                f"Cookie: sessionid={client.cookies['sessionid'].value}\r\n\r\n"
            ).encode()
        )
        started = time.monotonic()
        answer = sock.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")
    assert time.monotonic() - started < 2  # not after 200 MB that never came


def test_a_websocket_from_a_foreign_site_is_refused(world, server):
    client = Client()
    client.force_login(world.teacher)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = server.replace("http", "ws") + f"/ws/les/{world.lesson.pk}/"

    async def attempt(origin):
        try:
            async with websockets.connect(
                url, origin=origin, additional_headers={"Cookie": cookie}, open_timeout=5
            ) as ws:
                await ws.send("{}")
                return "open"
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    assert asyncio.run(attempt(server)) == "open"  # the school's own page may
    assert asyncio.run(attempt("http://evil.example")) == 403
    # The same host on another port or scheme is another site too.
    host, port = server.rsplit(":", 1)
    assert asyncio.run(attempt(f"{host}:{int(port) + 1}")) == 403
    assert asyncio.run(attempt(server.replace("http://", "https://"))) == 403
