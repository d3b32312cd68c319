"""ASGI entry point: HTTP through Django, WebSockets through Channels.

HTTP request bodies over the limit are refused before they are read (config/limits.py).
The WebSocket stack accepts exactly the school's own origins (config/origins.py: scheme,
host and port) and authenticates by the Django session; each consumer then checks that
the user may see what it joins.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

from classroom.realtime import handover  # noqa: E402
from classroom.realtime import routing as classroom_routing  # noqa: E402
from classroom.realtime.quiet import QuietURLRouter  # noqa: E402
from config.limits import BodyLimit, install_in_daphne  # noqa: E402
from config.origins import ExactOriginValidator  # noqa: E402
from logbook import routing as logbook_routing  # noqa: E402
from planboard import routing as planboard_routing  # noqa: E402

# Every app's routes; each app owns its consumers.
websocket_urlpatterns = [
    *classroom_routing.websocket_urlpatterns,
    *planboard_routing.websocket_urlpatterns,
    *logbook_routing.websocket_urlpatterns,
]

install_in_daphne()


class HandOver:
    """Binds the server's event loop for realtime messages on its first connection
    (classroom/realtime/handover.py; only where the server enabled it)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        handover.bind()
        return await self.app(scope, receive, send)


application = HandOver(
    ProtocolTypeRouter(
        {
            "http": BodyLimit(django_asgi_app),
            "websocket": ExactOriginValidator(
                AuthMiddlewareStack(QuietURLRouter(websocket_urlpatterns))
            ),
        }
    )
)
