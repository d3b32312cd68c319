"""Pseudonyms and codes: HMAC-SHA256 under the study's own key (stored on the server, never
exported), so one pupil, event or label has one pseudonym within a study and unlinkable
ones across studies."""

from __future__ import annotations

import hashlib
import hmac
import uuid

PREFIX = {
    "pupil": "p_",
    "staff": "t_",
    "group": "g_",
    "lesson": "l_",
    "study": "s_",
    "event": "e_",
    "intervention": "i_",
}
# Teacher-typed labels: exported as `<kind>_<code>`, never as their text.
LABEL_KINDS = ("place", "activity")
# Exact timestamps are moved by up to this many seconds, the same within one day of one
# study (so the order and the gaps within a day stay true), differently in every study.
JITTER_SECONDS = 1800


class Pseudonyms:
    def __init__(self, key: str):
        self._key = bytes.fromhex(key)
        self._cache: dict[tuple[str, object], str] = {}

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def __call__(self, kind: str, pk: int | None) -> str:
        if pk is None:
            return ""
        value = self._cache.get((kind, pk))
        if value is None:
            value = self._cache[(kind, pk)] = PREFIX[kind] + self._digest(f"{kind}:{pk}")[:16]
        return value

    def event(self, pk: int) -> str:
        """An event's per-study code: keyed BLAKE2b (fast, and not cached: a million
        events are a normal export)."""
        return "e_" + hashlib.blake2b(b"event:%d" % pk, key=self._key, digest_size=8).hexdigest()

    def label(self, kind: str, text: str | None) -> str:
        """The per-study code of a teacher-typed label (`place_3f9a0c1d`): the same text
        (in any capitals, spacing) gives the same code within the study."""
        if not text:
            return ""
        norm = " ".join(text.casefold().split())
        value = self._cache.get((kind, norm))
        if value is None:
            value = self._cache[(kind, norm)] = f"{kind}_{self._digest(f'label:{kind}:{norm}')[:8]}"
        return value

    def namespace(self) -> uuid.UUID:
        """The study's UUID namespace (xAPI statement ids: uuid5 of it and the event)."""
        return uuid.UUID(self._digest("xapi-namespace")[:32])

    def day_shift(self, day: str) -> int:
        """Seconds to move exact timestamps of this (UTC) day by, in ±JITTER_SECONDS."""
        value = int(self._digest(f"jitter:{day}")[:8], 16)
        return value % (2 * JITTER_SECONDS + 1) - JITTER_SECONDS

    def order_seed(self) -> str:
        """A secret seed for shuffling rows in Python (Export._shuffle)."""
        return self._digest("shuffle")

    def order_key(self) -> tuple[int, int, int, int]:
        """Keys and a prime modulus for ordering rows by a keyed hash in SQL (see
        `Export.order`): the same in every export of the study."""
        m = 2_147_483_647
        digest = self._digest("order")
        a, b, c = (int(digest[i : i + 8], 16) % (m - 2) + 1 for i in (0, 8, 16))
        return a, b, c, m
