from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanboardConfig(AppConfig):
    name = "planboard"
    verbose_name = _("Planning board")

    def ready(self):
        from classroom.actions import register_group_successor

        from . import messages, permissions, verbs  # noqa: F401 - declares the planbord models' rules
        from .actions import copy_activities

        register_group_successor(copy_activities)
