"""WebSocket helpers: connect through the real ASGI stack (Origin check, session login,
the consumer's permission check) as one persona."""

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application


def headers(user=None, origin="http://localhost", host="localhost"):
    """What a browser on http://localhost sends: its origin and the Host it connected to."""
    result = [(b"origin", origin.encode()), (b"host", host.encode())]
    if user is not None:
        client = Client()
        client.force_login(user)
        result.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return result


def connect(path, user=None, origin="http://localhost"):
    """(connected, close code) for one attempt."""
    # Logging in touches the database: outside async code.
    return connect_with(path, headers(user, origin))


def connect_with(path, sent):
    """(connected, close code) for one attempt with these handshake headers."""

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=sent)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()
