"""WebSocket URL routes. Each consumer authorises on connect through classroom.permissions."""

from django.urls import path

from .consumers import BoardConsumer, ClassConsumer, LessonConsumer

websocket_urlpatterns = [
    path("ws/planbord/<int:board_id>/", BoardConsumer.as_asgi()),
    path("ws/les/<int:lesson_id>/", LessonConsumer.as_asgi()),
    path("ws/klas/<int:group_id>/", ClassConsumer.as_asgi()),
]
