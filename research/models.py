"""Studies, consent, design teams and their interventions. The usage event log they read
lives in `classroom` (every app writes it)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_pseudonym_key() -> str:
    return secrets.token_hex(32)


class Dataset(models.TextChoices):
    EVENTS = "events", _("usage events")
    ENTRIES = "entries", _("logbook entries")
    ASSESSMENTS = "assessments", _("assessments")
    QUADRANT = "quadrant", _("lesson quadrant positions")


class Study(models.Model):
    """A research study: which groups, which period, which data. Its researchers export
    pseudonymised data of the pupils whose consent was given."""

    school = models.ForeignKey("classroom.School", on_delete=models.CASCADE, related_name="studies")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    groups = models.ManyToManyField("classroom.Group", related_name="studies")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    datasets = models.JSONField(_("data"), default=list)
    include_free_text = models.BooleanField(
        _("include free text"),
        default=False,
        help_text=_("Pupils' own words and teachers' notes. Off unless the study needs them."),
    )
    coarsen_to_day = models.BooleanField(
        _("dates only"), default=True, help_text=_("Timestamps are cut to the day.")
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "A group with fewer pupils with consent than this is left out of the export, "
            "its rows and its counts. 5 or more is advised."
        ),
    )
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="studies"
    )
    # The key of the study's pseudonyms (HMAC). Never exported, never shown.
    pseudonym_key = models.CharField(max_length=64, default=new_pseudonym_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("consent given")
    REFUSED = "refused", _("consent refused")
    UNKNOWN = "unknown", _("unknown")


class Consent(models.Model):
    """A pupil's (parents') consent for one study. Read at every export, so a withdrawal
    counts for every export made after it."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consents")
    pupil = models.ForeignKey("classroom.Pupil", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("consent"), max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.UNKNOWN
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["study", "pupil"], name="one_consent_per_study_pupil")
        ]

    def __str__(self) -> str:
        return f"{self.study} / {self.pupil_id}: {self.status}"


class Phase(models.TextChoices):
    INTENDED = "beoogd", _("intended (beoogd)")
    EXPERIENCED = "ervaren", _("experienced (ervaren)")
    ENACTED = "werkelijk", _("enacted (werkelijk)")


class Intervention(models.Model):
    """A design team's intervention, piloted in some groups over a period."""

    school = models.ForeignKey(
        "classroom.School", on_delete=models.CASCADE, related_name="interventions"
    )
    title = models.CharField(_("title"), max_length=200)
    practice_question = models.TextField(_("practice question (praktijkvraag)"), blank=True)
    working_hypothesis = models.TextField(_("working hypothesis (werkhypothese)"), blank=True)
    design_requirements = models.TextField(_("design requirements (ontwerpeisen)"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interventions")
    groups = models.ManyToManyField("classroom.Group", related_name="interventions")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title


class InterventionLesson(models.Model):
    """A lesson given as part of an intervention, in one of its phases."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="lesson_links"
    )
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.CASCADE, related_name="intervention_links"
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)

    class Meta:
        verbose_name = _("intervention lesson")
        verbose_name_plural = _("intervention lessons")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "lesson"], name="one_phase_per_intervention_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id}/{self.lesson_id}: {self.phase}"


class Observation(models.Model):
    """A dated note in the design team's log."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="observations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("observation"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"
