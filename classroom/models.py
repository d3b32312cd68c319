"""Schools, groups, teachers, pupils, places and lessons.

Models hold data and its invariants; every change of important state goes through
`classroom.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pictograms import AVATAR_COLOURS, PICTOGRAM_CHOICES, PLACE_ICON_CHOICES

# Class codes avoid characters that children (and teachers) confuse: 0/O, 1/I/L.
CLASS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLASS_CODE_LENGTH = 6


def school_year_of(day) -> int:
    """The school year a day falls in, by the year it starts: it turns on 1 August."""
    return day.year if day.month >= 8 else day.year - 1


def current_school_year() -> int:
    return school_year_of(timezone.localdate())


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Beheer is for the school's administration; teachers prepare and run lessons in the
    # app. Whether they may open Beheer at all is the school admin's choice (decision 0016).
    teachers_use_beheer = models.BooleanField(
        _("teachers may open Beheer"),
        default=True,
        help_text=_(
            "Teachers do their daily work (lessons, goals, places, the planbord) in "
            "Leerregie itself. Turn this off to keep Beheer for the school admins."
        ),
    )
    # With the school's own account (OpenID Connect, classroom/school_account.py) set
    # up, the school may switch local passwords off: its staff sign in only that way.
    local_passwords = models.BooleanField(
        _("staff may log in with a password"),
        default=True,
        help_text=_("Off: the school's staff sign in only with their school account."),
    )
    # A second factor at login: school admins and researchers always need one; the
    # school decides for its teachers (frontend/views/second_factor.py).
    teachers_second_factor = models.BooleanField(
        _("teachers log in with a second factor"),
        default=False,
        help_text=_(
            "School admins always log in with a code from an app on their phone. Turn "
            "this on to ask it of the school's teachers too."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The key with which pupil numbers from the school's administration are stored as
    # digests (classroom/roster.py): made at the first roster import, never shown.
    roster_secret = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    SCHOOL_ADMIN = "school_admin", _("school admin")


class Membership(models.Model):
    """A staff member's place in a school. Teaching a group is `Group.teachers`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    # Managed by the school's staff file (classroom/staff_roster.py): a teacher who came
    # from a file and is no longer in the next one leaves the school.
    from_roster = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="membership_unique_user_school")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.school} ({self.get_role_display()})"


GROUP_LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]


def installation_language() -> str:
    """The installation's LANGUAGE_CODE when it is one of the group languages."""
    code = settings.LANGUAGE_CODE.split("-")[0]
    return code if code in dict(GROUP_LANGUAGES) else GROUP_LANGUAGES[0][0]


class GroupQuerySet(models.QuerySet):
    def current(self):
        """The groups of this school year: not archived by a school year's turn."""
        return self.filter(archived_at__isnull=True)


class Group(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    year_from = models.PositiveSmallIntegerField(
        _("year from"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    year_to = models.PositiveSmallIntegerField(
        _("year to"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    class_code = models.CharField(_("class code"), max_length=12, unique=True)
    picture_code_length = models.PositiveSmallIntegerField(
        _("picture code length"),
        choices=[(2, "2"), (3, "3")],
        default=3,
        help_text=_("How many pictures pupils tap to log in: 2 for toddlers, 3 for older pupils."),
    )
    # Pupils' pages speak the group's language; staff choose their own.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=GROUP_LANGUAGES,
        default=installation_language,
        help_text=_("The language of this group's pupil pages and login."),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_groups",
        verbose_name=_("teachers"),
    )
    # The school year the group is for (by the year it starts). At the school year's
    # turn (classroom/school_year.py) the group is archived: it, its lessons, boards and
    # blocks are read-only from then on, and a group for the new year takes its place.
    school_year = models.PositiveSmallIntegerField(
        _("school year"), default=current_school_year, editable=False
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["year_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_from__gte=1, year_to__lte=8, year_from__lte=models.F("year_to")),
                name="group_years_between_1_and_8",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    school_year_label.fget.short_description = _("school year")

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return _("groep %(year)s") % {"year": self.year_from}
        return _("groep %(start)s-%(end)s") % {"start": self.year_from, "end": self.year_to}


class Pupil(models.Model):
    """A pupil. Each has a Django user without a password, so sessions, the API and
    WebSockets authenticate pupils and teachers the same way."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="pupils")
    display_name = models.CharField(_("display name"), max_length=60)
    avatar = models.CharField(_("avatar"), max_length=20, choices=PICTOGRAM_CHOICES)
    avatar_colour = models.CharField(
        _("avatar colour"), max_length=20, choices=[(c, c) for c in AVATAR_COLOURS]
    )
    photo = models.ImageField(_("photo"), upload_to="pupil-photos/", blank=True)
    # The picture code is printed on login cards, so it is stored readable; it keeps out
    # classmates, not attackers, and the throttles stop guessing (classroom/throttle.py:
    # wrong codes are counted and lock per device, in the cache).
    picture_code = models.CharField(_("picture code"), max_length=80)
    login_token = models.CharField(max_length=32, unique=True, editable=False)
    # No longer counted here (the throttle counts per device); kept at 0.
    failed_code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # The latest lock on any device, for the teacher to see and lift.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    # The pupil's number in the school's administration (ParnasSys, ESIS), as an HMAC
    # digest under the school's roster secret: a roster import finds the pupil again by
    # it; the number itself is not stored, shown or exported (classroom/roster.py).
    roster_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The day the pupil left the school (groep 8 at the school year's turn, or taken off
    # the roster): the retention setting counts from it (research/retention.py).
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def code_sequence(self) -> list[str]:
        return self.picture_code.split(",") if self.picture_code else []

    @property
    def avatar_hex(self) -> str:
        return AVATAR_COLOURS.get(self.avatar_colour, "#555555")

    def is_locked(self, now=None) -> bool:
        """Locked on some device (`classroom.actions.picture_code_locked_until` says
        whether on a given one)."""
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class FormerGroup(models.Model):
    """A group a pupil was in during an earlier school year: their doelenboekje goes on
    showing that group's blocks (goals.booklet.booklet_blocks)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="former_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="former_pupils")

    class Meta:
        verbose_name = _("former group")
        verbose_name_plural = _("former groups")
        constraints = [models.UniqueConstraint(fields=["pupil", "group"], name="former_group_once")]

    def __str__(self) -> str:
        return f"{self.pupil} · {self.group} {self.group.school_year_label}"


class Place(models.Model):
    """A werkplek in a group's classroom or school (instructietafel, stiltehoek, gang)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=80)
    icon = models.CharField(_("icon"), max_length=20, choices=PLACE_ICON_CHOICES, default="table")
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="place_unique_name_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class Openness(models.TextChoices):
    """How open one aspect of a lesson is to pupils (personalisation-quadrant.md)."""

    FIXED = "fixed", _("teacher decides")
    CHOICE = "choice", _("choice from options")
    FREE = "free", _("pupil decides")


class Differentiation(models.TextChoices):
    WHOLE_CLASS = "whole_class", _("whole class")
    LEVEL_GROUPS = "level_groups", _("level groups")
    INDIVIDUAL = "individual", _("individual")


class Subject(models.TextChoices):
    MATH = "rekenen", _("math")
    LANGUAGE = "taal", _("language")
    READING = "lezen", _("reading")
    SPELLING = "spelling", _("spelling")
    WORLD = "wereldorientatie", _("world orientation")
    PLAY = "spelen", _("play and work")
    OTHER = "anders", _("other")


ASPECTS: tuple[str, ...] = ("goal", "instruction", "place", "partner", "order")


def _openness_field(verbose: str) -> models.CharField:
    return models.CharField(
        verbose, max_length=10, choices=Openness.choices, default=Openness.FIXED
    )


class Lesson(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="lessons")
    subject = models.CharField(_("subject"), max_length=30, choices=Subject.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    goal_openness = _openness_field(_("goal"))
    instruction_openness = _openness_field(_("instruction"))
    place_openness = _openness_field(_("place"))
    partner_openness = _openness_field(_("partner"))
    order_openness = _openness_field(_("order"))
    differentiation = models.CharField(
        _("differentiation"),
        max_length=20,
        choices=Differentiation.choices,
        default=Differentiation.WHOLE_CLASS,
    )
    # The teacher's options for `choice` aspects, and the decision for `fixed` ones. The
    # goal options (`lesson.goal_options`) are declared by goals, on Goal.lessons.
    place_options = models.ManyToManyField(
        Place, blank=True, related_name="+", verbose_name=_("place options")
    )
    fixed_instruction = models.BooleanField(
        _("everyone joins the instruction"),
        null=True,
        blank=True,
        help_text=_("Used when instruction is fixed: yes, no, or decide per pupil."),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)
    # The evaluation opens when the lesson ends and stays open until the teacher closes
    # it or the lesson's day is over (`evaluation_open`).
    evaluation_closed_at = models.DateTimeField(
        _("evaluation closed"), null=True, blank=True, editable=False
    )
    # Grows by one with every change the lesson's dashboard shows, in that change's
    # transaction; realtime events carry it so screens can see a missed one.
    seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        # `seq` only ever grows, by UPDATE ... seq + 1 (realtime.publish.lesson_changed);
        # saving a stale copy of the lesson must not turn it back.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "seq"
            ]
        super().save(*args, **kwargs)

    def openness(self, aspect: str) -> str:
        return getattr(self, f"{aspect}_openness")

    @property
    def is_running(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    @property
    def evaluation_open(self) -> bool:
        """Pupils may evaluate: from the start (an early finisher) until the teacher
        closes the evaluation or the lesson's day is over."""
        return (
            self.started_at is not None
            and self.evaluation_closed_at is None
            and self.date >= timezone.localdate()
        )


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an Idempotency-Key, per user.

    A retried request with the same key gets this answer again and changes nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # Method and path: the same key reused for a different request is an error.
    scope = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class AppendOnlyError(Exception):
    pass


class UsageEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("usage events are never updated")

    def rewrite_context_for_erasure(self, context: dict) -> int:
        """The one rewrite the log allows: an erased pupil's name taken out of an event's
        context (a place or activity named after them). Only `research.actions.
        erase_pupil` calls it."""
        return super().update(context=context)


class UsageEvent(models.Model):
    """One thing that happened, append-only. Written by actions in the same transaction as
    the change it describes (a rolled-back change leaves no event), through
    `classroom.usage.record`, which accepts only declared verbs."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    # The pupil the event is about (the actor for pupil actions), for exports and erasure.
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    verb = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    time = models.DateTimeField(auto_now_add=True, db_index=True)
    context = models.JSONField(default=dict, blank=True)

    objects = UsageEventQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from `research`.
        db_table = "research_usageevent"
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


class AuditAction(models.TextChoices):
    EXPORT = "export", _("research export")
    CONSENT_CHANGED = "consent_changed", _("consent changed")
    PUPIL_ERASED = "pupil_erased", _("pupil erased")
    DATA_DOWNLOADED = "data_downloaded", _("pupil's data downloaded")
    ROSTER_IMPORTED = "roster_imported", _("pupils imported")
    STAFF_IMPORTED = "staff_imported", _("teachers imported")
    SECOND_FACTOR_RESET = "second_factor_reset", _("second factor reset")
    SCHOOL_YEAR_TURNED = "school_year_turned", _("new school year")
    RETENTION_APPLIED = "retention_applied", _("retention applied")


class AuditRecord(models.Model):
    """Who exported, changed consent, erased a pupil or downloaded a pupil's data, and
    when. Written only through `classroom.audit.record`; it names the person who did it,
    never a pupil (no pupil id, no name: `detail` holds formats, datasets and counts), so
    it outlives an erasure unchanged."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The username at the time: the record keeps saying who, after the account is gone.
    actor_label = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    # A research study (research.Study; classroom cannot point at it): its id.
    study_id = models.PositiveBigIntegerField(_("study"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["school", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
