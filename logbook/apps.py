from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "logbook"
    verbose_name = _("Logbook")

    def ready(self):
        from classroom.realtime.messages import declare
        from classroom.realtime.publish import register_lesson_event

        from . import dashboard, messages, permissions, verbs  # noqa: F401 - rules; verbs

        register_lesson_event(dashboard.event, messages.LessonChanged)
        declare("lesson.summary", messages.LessonSummary)
        declare("entry.changed", messages.EntryChanged)
        declare("voice.changed", messages.VoiceChanged)
