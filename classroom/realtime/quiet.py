"""Quiet logs for what any stranger can send: an unknown WebSocket path or a frame that
is not JSON is logged once per client address and kind per minute, as one line without
a traceback, and answered with a documented close code (docs/realtime.md):

- 4404: no such WebSocket route (the handshake is closed before anything runs);
- 4400: a frame that is not JSON (the live sockets expect nothing from the client; a JSON
  frame is ignored).
"""

from __future__ import annotations

import logging
import time

from channels.routing import URLRouter

logger = logging.getLogger("leerregie.websocket")

NOT_FOUND = 4404
BAD_FRAME = 4400
EVERY_SECONDS = 60
_last: dict[tuple[str, str], float] = {}


def client_of(scope) -> str:
    client = scope.get("client") or ("?", 0)
    return str(client[0])


def log_once(scope, kind: str, detail: str) -> None:
    """One warning line per (client address, kind) and minute; the rest is counted away."""
    key = (client_of(scope), kind)
    now = time.monotonic()
    if now - _last.get(key, -EVERY_SECONDS) < EVERY_SECONDS:
        return
    if len(_last) > 10_000:  # a flood of addresses cannot grow this without end
        _last.clear()
    _last[key] = now
    logger.warning("websocket %s from %s: %s", kind, key[0], detail[:200])


class QuietURLRouter(URLRouter):
    """Channels' router, but an unknown path closes with 4404 and one quiet log line
    instead of a traceback per request."""

    async def __call__(self, scope, receive, send):
        path = scope.get("path_remaining", scope.get("path", "")) or ""
        outermost = scope["type"] == "websocket" and "path_remaining" not in scope
        known = any(route.pattern.match(path.lstrip("/")) for route in self.routes)
        if outermost and not known:
            log_once(scope, "unknown path", path)
            await receive()  # the handshake's websocket.connect
            await send({"type": "websocket.close", "code": NOT_FOUND})
            return None
        return await super().__call__(scope, receive, send)
