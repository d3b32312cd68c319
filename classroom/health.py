"""/healthz: is the database reachable, and does the channel layer deliver?"""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is a health result, not a crash
        return f"error: {type(exc).__name__}"
    finally:
        connection.close()
    return "ok"


async def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error: no channel layer"
    try:
        channel = await layer.new_channel("healthz.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    except Exception as exc:  # Redis down, timeout: report it
        return f"error: {type(exc).__name__}"
    return "ok" if message.get("token") == token else "error: wrong message"


async def healthz(request):
    database = await sync_to_async(_check_database, thread_sensitive=False)()
    channel_layer = await _check_channel_layer()
    healthy = database == "ok" and channel_layer == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "channel_layer": channel_layer,
        },
        status=200 if healthy else 503,
    )
