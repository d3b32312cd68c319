"""The planbord for groep 1-2: activities (corners), a board per group and day, and each
child's plan on it.

Capacity means "at the same time" and is enforced by the database: a slot counts the
children who are there now in `taken` (the plans that hold a seat, `Plan.seated`), a
check constraint keeps it at or below `capacity`, and taking a seat is one conditional
UPDATE. Two children tapping the last place at the same moment cannot both get it, and a
child holds at most one seat on a board (a partial unique constraint): the seat of the
activity they are at now (decision 0008).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from classroom.models import Group, Pupil
from classroom.pictograms import ACTIVITY_PICTURE_CHOICES
from goals.models import Goal


class Activity(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("name"), max_length=80)
    pictogram = models.CharField(_("picture"), max_length=20, choices=ACTIVITY_PICTURE_CHOICES)
    # The teacher's own photo of the corner, shown instead of the picture (a small,
    # cleaned JPEG: classroom.images), served only to the group.
    photo = models.ImageField(_("photo of the corner"), upload_to="planboard/corners/", blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="activities")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="activity_unique_per_group"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_1"),
        ]

    def __str__(self) -> str:
        return self.name


class DayPart(models.TextChoices):
    DAY = "day", _("whole day")
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")


class Board(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="boards")
    date = models.DateField(_("date"))
    part = models.CharField(
        _("part of the day"), max_length=10, choices=DayPart.choices, default=DayPart.DAY
    )
    # Bumped by every change; screens compare it to know they are up to date.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("planning board")
        verbose_name_plural = _("planning boards")
        ordering = ["-date", "part"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "part"], name="board_unique_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date} {self.get_part_display()}"


class Slot(models.Model):
    """An activity on one board, with that day's capacity and whether it is a moetje."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="slots")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    compulsory = models.BooleanField(_("compulsory (moetje)"), default=False)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-compulsory", "activity__name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "activity"], name="slot_unique_per_board"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="slot_not_overfull"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.taken}/{self.capacity})"

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity


class Plan(models.Model):
    """A child on an activity, in the child's own order (first, then, ...)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="plans")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="plans")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="plans")
    position = models.PositiveSmallIntegerField(default=1)
    done = models.BooleanField(default=False)
    # Holds one of the slot's seats: the child is there now (their first activity not
    # done). A later plan ("Then: ...") and a full moetje wait without a seat.
    seated = models.BooleanField(default=False)
    decided_by = models.CharField(max_length=10, default="pupil")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "slot"], name="plan_once_per_slot"),
            models.UniqueConstraint(
                fields=["pupil", "board"], condition=Q(seated=True), name="plan_one_seat_at_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.slot.activity}"


class PlanPhoto(models.Model):
    """A photo a kleuter took of their work at an activity of the planbord. The planbord
    keeps its own photos (it does not know the logbook's): cleaned by classroom.images,
    stored under a generated name, served only through a permission check."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="plan_photos")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="photos")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="planboard/photos/")
    thumbnail = models.ImageField(upload_to="planboard/photos/thumbs/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("planning board photo")
        verbose_name_plural = _("planning board photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.pupil} · {self.activity} {self.created_at:%Y-%m-%d %H:%M}"
