"""Strands, blocks, goals with rubrics, and the marks that make up a doelenboekje.

Self-assessments and teacher assessments are kept as history (every mark with its time);
the current level is the latest. The pupil's and the teacher's marks are never mixed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom.models import Group, Pupil, School
from classroom.pictograms import PICTOGRAM_CHOICES

MIN_LEVELS, MAX_LEVELS = 3, 5

# One icon per rubric position, so every booklet speaks the same picture language:
# begun, with help, on my own, I can explain it, I can teach it.
LEVEL_ICONS = ("level-1", "level-2", "level-3", "level-4", "level-5")


class Strand(models.Model):
    """A leerlijn (Getallen, Meten & meetkunde, ...), shared by a school's groups."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="strands")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("strand")
        verbose_name_plural = _("strands")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="strand_unique_per_school")
        ]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    """A period of a group's work, e.g. "Rekenen blok 3", with its goals."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="blocks")
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="block_unique_name_per_group"),
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="block_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.group})"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.start_date <= today <= self.end_date


class Goal(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="goals")
    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="goals")
    code = models.CharField(_("code"), max_length=30)
    statement = models.CharField(_("statement for pupils"), max_length=300)
    description = models.TextField(_("description for teachers"), blank=True)
    pictogram = models.CharField(
        _("pictogram"), max_length=20, blank=True, choices=PICTOGRAM_CHOICES
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The lessons that offer this goal (`choice`) or set it (`fixed`). Declared on this
    # side so that classroom knows nothing of goals; the table kept the name it had when
    # the field was `Lesson.goal_options`, which is still the name from the lesson's side.
    lessons = models.ManyToManyField(
        "classroom.Lesson",
        blank=True,
        related_name="goal_options",
        db_table="classroom_lesson_goal_options",
        verbose_name=_("lessons that offer it"),
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["block", "code"], name="goal_unique_code_per_block")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement}"


class RubricLevel(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(_("level"))
    descriptor = models.CharField(_("descriptor"), max_length=200)
    icon = models.CharField(_("icon"), max_length=20)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "position"], name="level_unique_per_goal"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_LEVELS),
                name="level_position_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.descriptor}"


class SelfAssessment(models.Model):
    """A pupil's own mark on a goal at a moment (zelfbeoordeling)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="self_assessments")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="self_assessments")
    level = models.PositiveSmallIntegerField(_("level"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["goal", "pupil", "created_at"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.goal.code}: {self.level}"


class TeacherAssessment(models.Model):
    """The teacher's judgement of a pupil on a goal, beside (never averaged with) the
    pupil's own."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="teacher_assessments")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="teacher_assessments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("teacher assessment")
        verbose_name_plural = _("teacher assessments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["goal", "pupil", "created_at"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.goal.code}: {self.level}"


class GoalStar(models.Model):
    """A goal the pupil wants to work on next."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="goal_stars")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "goal"], name="star_unique_per_pupil_goal")
        ]

    def __str__(self) -> str:
        return f"{self.pupil} * {self.goal.code}"
