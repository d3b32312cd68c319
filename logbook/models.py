"""Photos of pupils' work (reflection) and the teacher's rekengesprek notes.

Logbook entries, instruction requests and evaluations follow (issue 4, second part).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classroom.models import Lesson, Pupil
from goals.models import Goal


class Prompt(models.TextChoices):
    WENT_WELL = "went_well", _("What went well?")
    WANT_TO_LEARN = "want_to_learn", _("What do I still want to learn?")


class Photo(models.Model):
    """A photo a pupil took of their work. Stored without metadata under a generated
    name in MEDIA_ROOT, served only through a permission check."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="photos")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    prompt = models.CharField(_("prompt"), max_length=20, choices=Prompt.choices, blank=True)
    image = models.ImageField(upload_to="photos/")
    thumbnail = models.ImageField(upload_to="photos/thumbs/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.created_at:%Y-%m-%d %H:%M}"


class ConversationNote(models.Model):
    """A short note after a rekengesprek. For teachers only: pupils never see it."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="conversation_notes")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="conversation_notes")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("conversation note")
        verbose_name_plural = _("conversation notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.created_at:%Y-%m-%d}"


class InstructionReason(models.TextChoices):
    DONT_UNDERSTAND = "dont_understand", _("I don't get it yet")
    WANT_TO_BE_SURE = "want_to_be_sure", _("I want to be sure")
    WANT_MORE = "want_more", _("I want to learn more")
    OTHER = "other", _("Something else")


class HelpReason(models.TextChoices):
    """Why a pupil asks for help, in pictures (issue 17): the teacher sees the queue; the
    class does not."""

    DONT_UNDERSTAND = "dont_understand", _("I don't get it")
    DONE = "done", _("I'm done")
    MISSING = "missing", _("I'm missing something")


class Mood(models.TextChoices):
    GREAT = "great", _("It went well")
    OK = "ok", _("It went okay")
    HARD = "hard", _("It was hard")


class FirstStep(models.TextChoices):
    """ "What do I do first?": the pupil's own order, asked when the lesson's `order` is open."""

    EASY = "easy", _("Something easy first")
    HARD = "hard", _("The hardest first")


class LogbookEntry(models.Model):
    """A pupil's rekenlogboek page for one lesson: what, how, with whom, where, and how
    it went. `decided_by` records per aspect who made the decision ("pupil"/"teacher")."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="logbook_entries")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="logbook_entries")
    goals = models.ManyToManyField(Goal, blank=True, related_name="+")
    instruction = models.BooleanField(_("joins the instruction"), null=True, blank=True)
    instruction_reason = models.CharField(
        _("reason"), max_length=20, choices=InstructionReason.choices, blank=True
    )
    instruction_text = models.CharField(_("in my own words"), max_length=300, blank=True)
    # What the pupil asked, kept when the teacher decides otherwise: the dashboard warns
    # about a pupil who asked for the instruction and is not in the group.
    instruction_asked = models.BooleanField(_("asked for the instruction"), default=False)
    alone = models.BooleanField(_("works alone"), null=True, blank=True)
    partners = models.ManyToManyField(Pupil, blank=True, related_name="+")
    place = models.ForeignKey(
        "classroom.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_step = models.CharField(
        _("what I do first"), max_length=10, choices=FirstStep.choices, blank=True
    )
    decided_by = models.JSONField(default=dict, blank=True)
    # An open help request: why, since when, and when the teacher said "ik kom eraan".
    # Only the open one is kept here; every request is a usage event.
    help_reason = models.CharField(
        _("asks for help"), max_length=20, choices=HelpReason.choices, blank=True
    )
    help_asked_at = models.DateTimeField(null=True, blank=True)
    help_coming_at = models.DateTimeField(null=True, blank=True)
    mood = models.CharField(_("how did it go"), max_length=10, choices=Mood.choices, blank=True)
    evaluation_text = models.TextField(_("evaluation"), blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        ordering = ["lesson", "pupil__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "lesson"], name="one_entry_per_pupil_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.pupil} · {self.lesson}"


class Reaction(models.Model):
    """The teacher's answer to a pupil's work in "nieuw van de klas": a thumb or a short
    comment on a reflection (the lesson's logbook entry) or a photo. The pupil sees it
    on their own pages; it goes with the pupil when they are erased."""

    COMMENT_LENGTH = 140

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="reactions")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entry = models.ForeignKey(
        LogbookEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    thumb = models.BooleanField(_("thumb up"), default=False)
    comment = models.CharField(_("comment"), max_length=COMMENT_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(entry__isnull=False, photo__isnull=True)
                    | models.Q(entry__isnull=True, photo__isnull=False)
                ),
                name="reaction_on_one_thing",
            ),
            # One thumb per teacher and thing (two quick taps store one).
            models.UniqueConstraint(
                fields=["teacher", "entry"],
                condition=models.Q(thumb=True, entry__isnull=False),
                name="one_thumb_per_teacher_entry",
            ),
            models.UniqueConstraint(
                fields=["teacher", "photo"],
                condition=models.Q(thumb=True, photo__isnull=False),
                name="one_thumb_per_teacher_photo",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} · {'👍' if self.thumb else self.comment[:20]}"
