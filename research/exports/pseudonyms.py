"""Pseudonyms: HMAC-SHA256 under the study's own key (stored on the server, never
exported), so one pupil has one pseudonym within a study and unlinkable ones across
studies."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = {"pupil": "p_", "staff": "t_", "group": "g_", "lesson": "l_", "study": "s_"}


class Pseudonyms:
    def __init__(self, key: str):
        self._key = bytes.fromhex(key)
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk: int | None) -> str:
        if pk is None:
            return ""
        value = self._cache.get((kind, pk))
        if value is None:
            digest = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
            value = self._cache[(kind, pk)] = PREFIX[kind] + digest[:16]
        return value
