"""Classroom's WebSocket routes (each app has its own routing.py; config/asgi.py puts
them together). Each consumer authorises on connect through classroom.permissions."""

from django.urls import path

from .consumers import ClassConsumer, LessonConsumer

websocket_urlpatterns = [
    path("ws/les/<int:lesson_id>/", LessonConsumer.as_asgi()),
    path("ws/klas/<int:group_id>/", ClassConsumer.as_asgi()),
]
