"""Abuse that the suite checks without a server: request bodies over the limit are refused
before they are read, and nothing of them reaches Django."""

import asyncio
import json

import pytest

from config.limits import BodyLimit


def run(app, headers, chunks):
    """Call `app` as daphne would, with the body in `chunks`; return (status, body,
    how many chunks were read, whether the inner app ran)."""
    state = {"read": 0, "inner": False, "sent": []}

    async def inner(scope, receive, send):
        state["inner"] = True
        while True:
            message = await receive()
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        index = state["read"]
        state["read"] += 1
        return {
            "type": "http.request",
            "body": chunks[index] if index < len(chunks) else b"",
            "more_body": index < len(chunks) - 1,
        }

    async def send(message):
        state["sent"].append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/logbook-entries/choose/",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(BodyLimit(app or inner)(scope, receive, send))
    start = next(m for m in state["sent"] if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in state["sent"] if m["type"] == "http.response.body")
    return start["status"], body, state["read"], state["inner"]


def test_an_announced_oversize_body_is_refused_without_reading_it(settings):
    settings.LANGUAGE_CODE = "nl"
    status, body, read, inner = run(
        None, {"content-type": "application/json", "content-length": str(50 * 2**20)}, [b"x"]
    )
    assert (status, read, inner) == (413, 0, False)
    assert "te groot om te versturen" in json.loads(body)["detail"][0]


def test_a_body_that_grows_too_large_is_cut_off_as_it_arrives(settings):
    chunk = b"x" * (512 * 1024)
    status, _body, read, _inner = run(None, {"content-type": "application/json"}, [chunk] * 40)
    limit_chunks = settings.REQUEST_MAX_BYTES // len(chunk) + 1
    assert status == 413 and read == limit_chunks  # not one chunk more than needed


def test_a_photo_may_be_larger_than_a_form(settings):
    size = settings.REQUEST_MAX_BYTES + 1
    headers = {"content-type": "multipart/form-data; boundary=x", "content-length": str(size)}
    assert run(None, headers, [b"x" * size])[0] == 200
    headers["content-length"] = str(settings.UPLOAD_MAX_BYTES + 1)
    assert run(None, headers, [b"x"])[0] == 413


@pytest.mark.parametrize("length", ["-1", "abc", "1e9"])
def test_a_nonsense_length_is_refused(length):
    assert run(None, {"content-length": length}, [b""])[0] == 413


def test_an_ordinary_request_passes(settings):
    assert run(None, {"content-type": "application/json", "content-length": "2"}, [b"{}"])[:2] == (
        200,
        b"ok",
    )


def test_a_busy_database_answers_try_again_never_database_is_locked(world, client, monkeypatch):
    """The API and pages answer 503 with a Dutch "try again" when the database stays
    locked past its busy timeout (the browser test makes a real lock)."""
    from django.db import OperationalError

    from logbook import entries

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(entries, "choose", locked)
    client.force_login(world.pupil.user)
    response = client.post(
        "/api/logbook-entries/choose/",
        {"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk},
        content_type="application/json",
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert response.json() == {"detail": ["Het is nu even heel druk. Probeer het zo nog eens."]}
    assert "locked" not in response.content.decode()
