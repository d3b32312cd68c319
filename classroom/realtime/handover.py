"""Realtime messages handed to the server's event loop, without the write waiting for them.

A write's messages go out after its transaction commits (publish.send_on_commit). Sent
with `async_to_sync`, the request's thread waits until the channel layer has them; under
daphne that thread is the one every request's database work runs on (Django's
`thread_sensitive` executor), so each write also waited for the event loop, busy with
every other socket, to come round to its message and for Redis to answer. In the server
(`config.serve`, and so `config.workers`) the message is instead put on a queue of that
loop, and one task there sends them in the order they were handed over: the write answers
at once, and a lesson's events still leave the process in sequence order.

Nothing depends on a message arriving (docs/realtime.md): one lost because the server
stopped before sending it, or because Redis was away, is a gap the screen fills from its
snapshot. Outside the server (tests, management commands) messages are sent as before.

This module imports nothing of Django's at import time: `config.serve` enables it before
Django is set up.
"""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)

# A queue longer than this means the channel layer is not taking messages (Redis gone):
# newer messages are dropped, each a gap that screens fill from their snapshot.
LIMIT = 10_000

_enabled = False
_loop: asyncio.AbstractEventLoop | None = None
_queue: asyncio.Queue | None = None
_task: asyncio.Task | None = None


def enable() -> None:
    """Called by the server before it starts: this process hands its messages over."""
    global _enabled
    _enabled = True


def bind() -> None:
    """Called on the event loop for every connection (config/asgi.py); the first binds the
    loop and starts the task that sends."""
    global _loop, _queue, _task
    if not _enabled or (_loop is not None and not _loop.is_closed()):
        return
    _loop = asyncio.get_running_loop()
    _queue = asyncio.Queue()
    _task = _loop.create_task(_send_in_order(_queue))


async def _send_in_order(queue: asyncio.Queue) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    while True:
        group, payload = await queue.get()
        try:
            await layer.group_send(group, payload)
        except Exception:  # a lost message is a gap, never a stopped sender
            logger.warning("realtime message to %s not sent", group, exc_info=True)


def _put(group: str, payload: dict) -> None:
    if _queue.qsize() >= LIMIT:
        logger.warning("realtime queue full: message to %s dropped", group)
        return
    _queue.put_nowait((group, payload))


def hand_over(group: str, payload: dict) -> bool:
    """Queue `payload` for `group` on the server's loop. False when this process has no
    such loop (not the server, or not yet serving): the caller sends it itself."""
    loop = _loop
    if loop is None or loop.is_closed():
        return False
    loop.call_soon_threadsafe(_put, group, payload)
    return True


_jobs: set = set()  # running jobs, held until done (the loop keeps only weak references)


def later(delay: float, job) -> bool:
    """Run `job()` (sync code that may read the database) on the server's sync thread
    after `delay` seconds, and send the `(group, payload)` it returns (or nothing for
    None) in order with the other messages. False when this process has no server loop."""
    loop = _loop
    if loop is None or loop.is_closed():
        return False

    def start():
        task = loop.create_task(_run(job))
        _jobs.add(task)
        task.add_done_callback(_jobs.discard)

    loop.call_soon_threadsafe(loop.call_later, max(delay, 0.0), start)
    return True


async def _run(job) -> None:
    from channels.db import database_sync_to_async

    try:
        result = await database_sync_to_async(job)()
    except Exception:  # a lost summary is caught up by the next change or the snapshot
        logger.warning("realtime job %r failed", job, exc_info=True)
        return
    if result is not None:
        _put(*result)
