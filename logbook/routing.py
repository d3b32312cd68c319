"""The logbook's WebSocket routes; config/asgi.py puts every app's routes together."""

from django.urls import path

from .consumers import PupilLessonConsumer, VoiceConsumer

websocket_urlpatterns = [
    path("ws/leerling/les/<int:lesson_id>/", PupilLessonConsumer.as_asgi()),
    path("ws/leerkracht/groep/<int:group_id>/nieuw/", VoiceConsumer.as_asgi()),
]
