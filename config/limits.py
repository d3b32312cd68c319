"""Request bodies over the limit are refused before they are read: at once when the
announced Content-Length is too large, and as soon as a body without one grows too large.
Uploads (multipart) may be as large as a photo; anything else much smaller."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class BodyTooLarge(Exception):
    pass


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _within(length: str, limit: int) -> bool:
    """Whether an announced Content-Length is a number no larger than `limit`: ASCII
    digits only ("²" is a digit to Python, not to int()), and not thousands of them."""
    return (
        length.isascii()
        and length.isdigit()
        and len(length) <= len(str(limit))
        and int(length) <= limit
    )


def refusal(limit: int) -> bytes:
    """The 413's JSON body, in the school's language (no request to take it from yet)."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _("This is too large to send (more than %(mb)s MB).") % {
            "mb": f"{limit / (1024 * 1024):g}"
        }
    return json.dumps({"detail": [message]}).encode()


class BodyLimit:
    def __init__(self, app):
        self.app = app

    @staticmethod
    def limit_for(scope) -> int:
        content_type = (_header(scope, b"content-type") or "").lower()
        if content_type.startswith("multipart/form-data"):
            return settings.UPLOAD_MAX_BYTES
        return settings.REQUEST_MAX_BYTES

    async def refuse(self, send, limit: int) -> None:
        body = refusal(limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope)
        length = _header(scope, b"content-length")
        if length is not None and not _within(length.strip(), limit):
            return await self.refuse(send, limit)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if not started:
                await self.refuse(send, limit)


class _Discard:
    """Where the body of a refused request goes: nowhere."""

    def write(self, data):
        return len(data)

    def seek(self, *args):
        return 0

    def read(self, *args):
        return b""

    def close(self):
        pass

    closed = False


def install_in_daphne() -> None:
    """daphne (through Twisted) reads a whole request body into a temporary file before
    the application sees the request, so the ASGI guard above alone would answer only
    after a 200 MB upload had arrived. This answers 413 as soon as the headers announce
    too much, and hangs up without reading the body. (Behind a proxy, its own limit,
    e.g. nginx's client_max_body_size, does the same earlier still.)"""
    try:
        from daphne import http_protocol
    except ImportError:  # not served by daphne
        return
    if getattr(http_protocol.WebRequest, "leerregie_limited", False):
        return

    class LimitedWebRequest(http_protocol.WebRequest):
        leerregie_limited = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Twisted would parse a multipart body with the email package on the
            # reactor, before daphne hands the raw body to Django (which parses it
            # again, in a thread): seconds for a 6 MB photo, during which no other
            # request of the class moves. daphne never uses what it parses.
            self._parsePOSTFormSubmission = False

        def gotLength(self, length):  # noqa: N802 - Twisted's name
            content_type = (self.requestHeaders.getRawHeaders(b"content-type") or [b""])[0]
            scope = {"headers": [(b"content-type", content_type)]}
            limit = BodyLimit.limit_for(scope)
            if length is not None and length > limit:
                body = refusal(limit)
                self.channel.transport.write(
                    b"HTTP/1.1 413 Content Too Large\r\n"
                    b"Content-Type: application/json\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
                )
                self.content = _Discard()
                self.channel.loseConnection()
                return
            super().gotLength(length)

    http_protocol.WebRequest = LimitedWebRequest
