from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    name = "classroom"
    verbose_name = _("Classroom")

    def ready(self):
        # Login events; the TRUSTED_PROXIES check; usage verbs.
        from . import signals, throttle, verbs  # noqa: F401
        from .realtime import rights  # noqa: F401 - sockets follow rights (signals)
