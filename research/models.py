"""The usage event log: append-only, written by actions in the same transaction as the
change it describes (so a rolled-back change leaves no event)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class UsageEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("usage events are never updated")


class UsageEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    # The pupil the event is about (the actor for pupil actions), for exports and erasure.
    pupil = models.ForeignKey(
        "classroom.Pupil", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    verb = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    group = models.ForeignKey(
        "classroom.Group", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    time = models.DateTimeField(auto_now_add=True, db_index=True)
    context = models.JSONField(default=dict, blank=True)

    objects = UsageEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        ordering = ["time", "id"]
        indexes = [models.Index(fields=["group", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("usage events are never updated")
        super().save(*args, **kwargs)
