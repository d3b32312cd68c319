"""WebSocket URL routes. Each consumer authorises on connect through classroom.permissions."""

websocket_urlpatterns: list = []
