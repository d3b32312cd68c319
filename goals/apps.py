from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goal booklet")

    def ready(self):
        from . import permissions  # noqa: F401 - declares the goals models' rules
