"""Publishing realtime messages: only from actions, only after the transaction commits.

Messages are small hints ("board 7 is now at version 12"); screens then fetch the state.
Channel layers deliver at most once, so nothing depends on a message arriving: a screen
that misses one catches up on the next, or when it reconnects.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def send_on_commit(group: str, message: dict) -> None:
    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:  # a lost hint must never fail the write that caused it
            logger.warning("realtime message to %s not sent", group, exc_info=True)

    transaction.on_commit(send)
