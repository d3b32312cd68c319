"""The planbord's WebSocket routes; config/asgi.py puts every app's routes together."""

from django.urls import path

from .consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/planbord/<int:board_id>/", BoardConsumer.as_asgi()),
]
