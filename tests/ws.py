"""WebSocket helpers: connect through the real ASGI stack (Origin check, session login,
the consumer's permission check) as one persona."""

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application


def headers(user=None, origin="http://localhost"):
    result = [(b"origin", origin.encode())]
    if user is not None:
        client = Client()
        client.force_login(user)
        result.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return result


def connect(path, user=None, origin="http://localhost"):
    """(connected, close code) for one attempt."""
    sent = headers(user, origin)  # logging in touches the database: outside async code

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=sent)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()
