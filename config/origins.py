"""The WebSocket Origin check: exactly the school's own origins, scheme and port included.

A browser sends the page's origin with every WebSocket handshake. Channels'
AllowedHostsOriginValidator compares only the host name, so `http://127.0.0.1:9999`,
`http://localhost:3000` or `https://localhost` passed for a server on
`http://127.0.0.1:8000`. Here an origin is allowed when it is

- listed in `WEBSOCKET_ALLOWED_ORIGINS` (full origins, e.g. `https://leerregie.school.nl`),
  or, when that setting is empty (the default),
- the very origin of the server the browser connected to: the scheme of the site
  (`https` with `HTTPS=1`, else `http`) and the handshake's `Host` (host and port), that
  host being one of `ALLOWED_HOSTS`. Behind a reverse proxy that keeps the `Host` header
  this is the public origin.

Everything else is refused before any consumer runs (HTTP 403 on the handshake).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int] | None:
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host.lower().strip("[]"), port or DEFAULT_PORTS[scheme]


def parse_origin(value: str) -> tuple[str, str, int] | None:
    """("https", "school.nl", 443) for "https://school.nl"; None for anything that is not
    a plain origin (a path, user info, "null", a bad port)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return _origin(parts.scheme.lower(), parts.hostname or "", port)


def allowed_origins(host_header: str) -> set[tuple[str, str, int]]:
    listed = {parse_origin(o) for o in getattr(settings, "WEBSOCKET_ALLOWED_ORIGINS", [])}
    listed.discard(None)
    if listed:
        return listed
    host, port = split_domain_port(host_header)
    if not host or not validate_host(host, settings.ALLOWED_HOSTS):
        return set()
    scheme = "https" if getattr(settings, "HTTPS", False) else "http"
    try:
        number = int(port) if port else None
    except ValueError:
        return set()
    own = _origin(scheme, host, number)
    return {own} if own else set()


def origin_allowed(origin: str, host_header: str) -> bool:
    parsed = parse_origin(origin)
    return parsed is not None and parsed in allowed_origins(host_header)


class ExactOriginValidator:
    """ASGI middleware for the WebSocket router: refuses a handshake whose Origin is not
    exactly one of the allowed origins (see the module's docstring)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin", b"").decode("latin1")
            host = headers.get(b"host", b"").decode("latin1")
            if not origin_allowed(origin, host):
                denier = WebsocketDenier()
                return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
