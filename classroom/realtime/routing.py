"""WebSocket URL routes. Each consumer authorises on connect through classroom.permissions."""

from django.urls import path

from .consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/planbord/<int:board_id>/", BoardConsumer.as_asgi()),
]
