"""Idempotent writes: one mechanism for every pupil write endpoint.

A client sends `Idempotency-Key: <uuid>` with a write. The first request runs and its
answer is stored with the key, in the same transaction as the write itself. A retry with
the same key (a Chromebook that lost the wifi before the answer arrived, a double tap)
gets the stored answer with `Idempotent-Replayed: true` and writes nothing. Two requests
with the same key at the same moment: one wins the unique constraint, the other's whole
transaction rolls back and it answers with the winner's stored response.

Slow work that writes nothing (decoding a photo) must not run inside that transaction:
on SQLite it would hold the one write lock, and every classmate's tap would wait for it.
Such a view names a `prepare` step: it runs after the replay check and outside any
transaction, and only the short write and the stored answer happen inside.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# Longer than any outbox waits in practice (a Chromebook closed over the summer holiday
# is six weeks); a retry after that is stored again.
KEEP_DAYS = 90


def _key(request) -> uuid.UUID | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({"detail": [_("The Idempotency-Key must be a UUID.")]}) from None


def _replay(record: IdempotencyRecord, scope: str) -> Response:
    if record.scope != scope:
        raise ValidationError({"detail": [_("This Idempotency-Key was used for another request.")]})
    return Response(record.body, status=record.status, headers={REPLAYED: "true"})


def _stored(user, key) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, key=key).first()


_state = threading.local()


def atomic(function):
    """`transaction.atomic` for an action on a pupil's write path: inside the transaction
    `run` opened for the write it takes no savepoint of its own (two statements fewer),
    since any error there rolls the whole write back; called anywhere else it is
    `transaction.atomic` as it is."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        inside = getattr(_state, "depth", 0) > 0 and transaction.get_connection().in_atomic_block
        with transaction.atomic(savepoint=not inside):
            return function(*args, **kwargs)

    return wrapper


def run(request, handler: Callable[..., Response], prepare: Callable[[], object] | None = None):
    """Run `handler` (which writes through actions) at most once per user and key.
    With `prepare`, its result is handed to `handler`; it runs first, outside the
    transaction, and not at all for a retry that finds its stored answer.

    Without `prepare` the write does not look for a stored answer first: a retry is rare
    (a lost answer, a double tap), a look-up on every write is not. The write runs, and
    storing its answer then meets the key's unique constraint, which rolls the retry's
    whole transaction back; a retry whose write now fails (the seat it took is full, with
    its own plan) looks for the stored answer before it answers."""
    key = _key(request)
    if key is None:
        return handler(prepare()) if prepare else handler()
    scope = f"{request.method} {request.path}"
    user = request.user
    if prepare is not None:
        # The slow step must not run again for a retry: look first.
        existing = _stored(user, key)
        if existing is not None:
            return _replay(existing, scope)
    arguments = (prepare(),) if prepare else ()
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        with transaction.atomic():
            response = handler(*arguments)
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    user=user, key=key, scope=scope, status=response.status_code, body=response.data
                )
    except Exception:
        # Storing the answer met the unique constraint (a retry, or a simultaneous request
        # that stored it first), or a retry's write failed: ours rolled back, and the
        # stored answer is the answer.
        existing = _stored(user, key)
        if existing is None:
            raise
        return _replay(existing, scope)
    finally:
        _state.depth -= 1
    if not 200 <= response.status_code < 300:
        existing = _stored(user, key)
        if existing is not None:
            return _replay(existing, scope)
    return response


def idempotent(view_method=None, *, prepare: str | None = None):
    """Decorator for DRF view methods (`create`, extra actions) that write.

    `@idempotent(prepare="name")`: the view's method `name(request)` runs first, outside
    the transaction, and the decorated method receives its result as `prepared=`."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, request, *args, **kwargs):
            if prepare is None:
                return run(request, lambda: method(self, request, *args, **kwargs))
            return run(
                request,
                lambda prepared: method(self, request, *args, prepared=prepared, **kwargs),
                prepare=lambda: getattr(self, prepare)(request),
            )

        return wrapper

    return decorate(view_method) if view_method is not None else decorate


def purge(days: int = KEEP_DAYS) -> int:
    """Forget stored answers older than `days`: they hold pupils' entries, and a retry
    that late no longer comes. Returns how many were removed."""
    cutoff = timezone.now() - timedelta(days=days)
    removed, _per_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return removed
