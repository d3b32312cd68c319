"""Realtime messages handed to the server's event loop (classroom/realtime/handover.py):
a write's thread queues them and does not wait; one task on the loop sends them in the
order they came, so a lesson's events leave the process in sequence order. The browser
tests' servers (config.serve) run this path for every realtime message they send."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from classroom.realtime import handover


@pytest.fixture
def enabled(monkeypatch):
    monkeypatch.setattr(handover, "_enabled", True)
    monkeypatch.setattr(handover, "_loop", None)
    monkeypatch.setattr(handover, "_queue", None)
    monkeypatch.setattr(handover, "_task", None)


def test_outside_the_server_nothing_is_taken_over(monkeypatch):
    monkeypatch.setattr(handover, "_enabled", False)
    monkeypatch.setattr(handover, "_loop", None)

    async def run():
        handover.bind()
        return handover.hand_over("lesson.1", {"type": "x"})

    assert async_to_sync(run)() is False  # the caller sends it itself, as before


def test_messages_from_a_writing_thread_arrive_in_the_order_they_were_handed_over(enabled):
    layer = get_channel_layer()

    async def run():
        channel = await layer.new_channel()
        await layer.group_add("lesson.77", channel)
        handover.bind()
        handed = []

        def write_thread():  # as a request's thread does, after its commit
            for seq in range(1, 51):
                handed.append(handover.hand_over("lesson.77", {"type": "t", "seq": seq}))

        thread = threading.Thread(target=write_thread)
        thread.start()
        received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(50)]
        thread.join()
        return handed, [m["seq"] for m in received]

    handed, seqs = async_to_sync(run)()
    assert all(handed)
    assert seqs == list(range(1, 51))


def test_a_layer_that_fails_loses_that_message_and_the_next_still_goes(enabled, monkeypatch):
    layer = get_channel_layer()
    original = layer.group_send
    failed = []

    async def flaky(group, message):
        if message["seq"] == 2:
            failed.append(message["seq"])
            raise ConnectionError("redis away")
        await original(group, message)

    monkeypatch.setattr(layer, "group_send", flaky)

    async def run():
        channel = await layer.new_channel()
        await layer.group_add("lesson.78", channel)
        handover.bind()
        for seq in (1, 2, 3):
            handover.hand_over("lesson.78", {"type": "t", "seq": seq})
        return [(await asyncio.wait_for(layer.receive(channel), 5))["seq"] for _ in range(2)]

    assert async_to_sync(run)() == [1, 3]
    assert failed == [2]


def test_a_queue_that_is_not_drained_drops_new_messages_instead_of_growing(enabled, monkeypatch):
    monkeypatch.setattr(handover, "LIMIT", 3)

    async def run():
        handover.bind()
        handover._task.cancel()  # a channel layer that takes nothing
        for seq in range(10):
            handover.hand_over("lesson.79", {"type": "t", "seq": seq})
        await asyncio.sleep(0.05)
        return handover._queue.qsize()

    assert async_to_sync(run)() == 3
