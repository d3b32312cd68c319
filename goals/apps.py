from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goal booklet")

    def ready(self):
        from classroom.actions import register_lesson_option

        from . import actions, permissions, verbs  # noqa: F401 - rules; usage verbs

        register_lesson_option(
            "goals", actions.set_goal_options, lambda lesson: list(lesson.goal_options.all())
        )
