"""The rekenlogboek entry: what a pupil may choose, and the actions that record choices.

Per aspect the lesson's openness decides what the pupil is offered:
- `fixed`: the teacher's decision is shown; the pupil cannot change it.
- `choice`: the teacher's options (goal and place options on the lesson; for instruction
  yes/no; for partner "alone" or one classmate).
- `free`: everything (the goals of the pupil's current booklet block, starred first; all
  the group's places; alone or up to three classmates).
Every recorded decision says who made it; once the teacher decided an aspect for a pupil
(an override), the pupil's choice no longer replaces it.

`order` ("what do I do first?") is asked only when the lesson leaves it open; it is
recorded like the others, so the quadrant counts the pupil's decision
(personalisation-quadrant.md). A fixed order is the teacher's and cannot be chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import usage
from classroom.idempotency import atomic as write_atomic
from classroom.inputs import check_text
from classroom.models import Lesson, Openness, Place, Pupil
from classroom.quadrant import PUPIL, TEACHER
from classroom.realtime.groups import pupil_group, voice_group
from classroom.realtime.publish import lesson_changed, send_on_commit
from goals import actions as goal_actions
from goals.booklet import current_block
from goals.models import Goal, GoalStar

from .dashboard import hold
from .models import FirstStep, HelpReason, InstructionReason, LogbookEntry, Mood

ENTRY_ASPECTS = ("goal", "instruction", "partner", "place", "order")
MAX_PARTNERS = {Openness.CHOICE: 1, Openness.FREE: 3}


@dataclass
class Offer:
    aspect: str
    openness: str
    options: list  # goals, places or pupils; [True, False] for instruction


def offer(lesson: Lesson, pupil: Pupil, aspect: str) -> Offer:
    openness = lesson.openness(aspect)
    if aspect == "goal":
        if openness == Openness.FREE:
            block = current_block(pupil.group)
            goals = list(block.goals.all()) if block else []
            starred = set(
                GoalStar.objects.filter(pupil=pupil, goal__in=goals).values_list(
                    "goal_id", flat=True
                )
            )
            goals.sort(key=lambda g: (g.pk not in starred, g.position, g.code))
        else:
            goals = list(lesson.goal_options.all())
        return Offer(aspect, openness, goals)
    if aspect == "place":
        places = (
            list(pupil.group.places.all())
            if openness == Openness.FREE
            else list(lesson.place_options.all())
        )
        return Offer(aspect, openness, places)
    if aspect == "partner":
        classmates = list(pupil.group.pupils.filter(active=True).exclude(pk=pupil.pk))
        return Offer(aspect, openness, classmates)
    if aspect == "instruction":
        return Offer(aspect, openness, [True, False])
    if aspect == "order":
        return Offer(aspect, openness, list(FirstStep.values))
    raise ValueError(aspect)


def _fixed_decisions(lesson: Lesson) -> tuple[dict, list[Goal]]:
    """What the lesson's fixed aspects decide for every pupil: the entry's fields, and
    its goals. Not recorded in `decided_by`: the lesson's settings say who decided."""
    fields: dict = {}
    goals: list[Goal] = []
    if lesson.goal_openness == Openness.FIXED:
        goals = list(lesson.goal_options.all())
    if lesson.instruction_openness == Openness.FIXED and lesson.fixed_instruction is not None:
        fields["instruction"] = lesson.fixed_instruction
    if lesson.place_openness == Openness.FIXED:
        places = list(lesson.place_options.all()[:2])
        if len(places) == 1:
            fields["place"] = places[0]
    if lesson.partner_openness == Openness.FIXED:
        fields["alone"] = True
    return fields, goals


def draft_entry(pupil: Pupil, lesson: Lesson) -> tuple[LogbookEntry, list[Goal]]:
    """What the pupil's entry will be once their first action makes it: the lesson's
    fixed decisions, unsaved, and its goals beside it (an unsaved entry has no goals or
    partners of its own). Opening the logbook shows this and writes nothing: an entry
    made by a GET would change the dashboard without a message and count a pupil who
    only looked as "data" in the quadrant."""
    fields, goals = _fixed_decisions(lesson)
    return LogbookEntry(pupil=pupil, lesson=lesson, **fields), goals


def _locked_entry(pupil: Pupil, lesson: Lesson) -> LogbookEntry:
    """The pupil's entry, locked for this transaction. The first action (a choice, an
    override, an evaluation) makes it, with the lesson's fixed decisions filled in, so
    the new entry is part of that action's change: its usage event, its sequence number."""
    entry = LogbookEntry.objects.select_for_update().filter(pupil=pupil, lesson=lesson).first()
    if entry is None:
        fields, goals = _fixed_decisions(lesson)
        # get_or_create: two first actions at once (PostgreSQL) make one entry.
        entry, created = LogbookEntry.objects.get_or_create(
            pupil=pupil, lesson=lesson, defaults=fields
        )
        if not created:
            entry = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
        elif goals:
            entry.goals.set(goals)
    entry.pupil, entry.lesson = pupil, lesson  # already loaded: no query to fetch them again
    return entry


def _set(entry: LogbookEntry, aspect: str, value, options: Offer | None) -> dict:
    """Apply one decision; `options` limits what is allowed (None: anything in the group).
    Returns a small context for the usage event (ids and codes, never free text)."""
    group = entry.pupil.group
    if aspect == "goal":
        ids = _ids(value)
        allowed = (
            {g.pk for g in options.options}
            if options
            else set(Goal.objects.filter(block__group=group).values_list("pk", flat=True))
        )
        if not ids:
            raise ValidationError(_("Choose at least one goal."))
        if not ids <= allowed:
            raise ValidationError(_("You cannot choose that goal in this lesson."))
        entry.goals.set(ids)
        if options:  # the offered goals are loaded already
            return {"goals": sorted(g.code for g in options.options if g.pk in ids)}
        return {"goals": sorted(Goal.objects.filter(pk__in=ids).values_list("code", flat=True))}
    if aspect == "instruction":
        if not isinstance(value, dict) or not isinstance(value.get("wanted"), bool):
            raise ValidationError(_("Say yes or no to the instruction."))
        reason = value.get("reason") or ""
        if reason and reason not in InstructionReason.values:
            raise ValidationError(_("Unknown reason."))
        entry.instruction = value["wanted"]
        entry.instruction_reason = reason if value["wanted"] else ""
        entry.instruction_text = (
            (check_text(value.get("text") or "")[:300]).strip() if value["wanted"] else ""
        )
        return {"instruction": entry.instruction, "reason": entry.instruction_reason or None}
    if aspect == "place":
        place_id = value if isinstance(value, int) else None
        allowed = (
            {p.pk for p in options.options}
            if options
            else set(group.places.values_list("pk", flat=True))
        )
        if place_id not in allowed:
            raise ValidationError(_("You cannot choose that place in this lesson."))
        known = {p.pk: p for p in options.options} if options else {}
        entry.place = known.get(place_id) or Place.objects.get(pk=place_id)
        return {"place": entry.place.name}
    if aspect == "partner":
        ids = _ids(value)
        allowed = (
            {p.pk for p in options.options}
            if options
            else set(group.pupils.exclude(pk=entry.pupil_id).values_list("pk", flat=True))
        )
        if not ids <= allowed:
            raise ValidationError(_("You cannot work with that pupil in this lesson."))
        if options and len(ids) > MAX_PARTNERS[options.openness]:
            raise ValidationError(
                _("Choose at most %(count)s classmates.")
                % {"count": MAX_PARTNERS[options.openness]}
            )
        entry.alone = not ids
        entry.partners.set(ids)
        return {"partners": len(ids)}
    if aspect == "order":
        if value not in FirstStep.values:
            raise ValidationError(_("Tap what you do first."))
        entry.first_step = value
        return {"first_step": value}
    raise ValidationError(_("Unknown choice."))


def _ids(value) -> set[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ValidationError(_("A list of numbers is needed."))
    return set(value)


@write_atomic
def choose(*, pupil: Pupil, lesson: Lesson, aspect: str, value) -> LogbookEntry:
    """The pupil's own choice. Sends: usage event `logbook_chosen`; `lesson.changed`."""
    if aspect not in ENTRY_ASPECTS:
        raise ValidationError(_("Unknown choice."))
    if lesson.group_id != pupil.group_id:
        raise ValidationError(_("This lesson is not in this pupil's group."))
    if not lesson.is_running:
        raise ValidationError(_("This lesson is not running."))
    if lesson.openness(aspect) == Openness.FIXED:
        raise ValidationError(_("Your teacher decides this in this lesson."))
    entry = _locked_entry(pupil, lesson)
    if entry.decided_by.get(aspect) == TEACHER:
        raise ValidationError(_("Your teacher has chosen this for you."))
    context = _set(entry, aspect, value, offer(lesson, pupil, aspect))
    if aspect == "instruction":
        entry.instruction_asked = entry.instruction
    entry.decided_by = {**entry.decided_by, aspect: PUPIL}
    entry.save()
    lesson_changed(lesson.pk, pupil.pk, lesson=lesson, entry=hold(entry))
    usage.record(
        "logbook_chosen",
        actor=pupil.user,
        obj=entry,
        pupil=pupil,
        group=pupil.group,
        lesson=lesson,
        context={"aspect": aspect, "openness": lesson.openness(aspect), **context},
    )
    return entry


@write_atomic
def override(*, acting_user, pupil: Pupil, lesson: Lesson, aspect: str, value) -> LogbookEntry:
    """The teacher decides an aspect for a pupil (e.g. puts them in the instruction
    group). Recorded as the teacher's decision. Sends: `logbook_overridden`;
    `lesson.changed`."""
    if aspect not in ENTRY_ASPECTS:
        raise ValidationError(_("Unknown choice."))
    if lesson.group_id != pupil.group_id:
        raise ValidationError(_("This lesson is not in this pupil's group."))
    entry = _locked_entry(pupil, lesson)
    context = _set(entry, aspect, value, None)
    entry.decided_by = {**entry.decided_by, aspect: TEACHER}
    entry.save()
    lesson_changed(lesson.pk, pupil.pk, lesson=lesson, entry=hold(entry))
    # The pupil's own logbook follows without a reload (logbook/consumers.py).
    send_on_commit(pupil_group(pupil.pk), lambda: own_entry_event(entry.pk, held=entry))
    usage.record(
        "logbook_overridden",
        actor=acting_user,
        obj=entry,
        pupil=pupil,
        group=pupil.group,
        lesson=lesson,
        context={"aspect": aspect, **context},
    )
    return entry


# --- Help without losing face --------------------------------------------------------


def _waited(entry: LogbookEntry) -> int:
    return int((timezone.now() - entry.help_asked_at).total_seconds()) if entry.help_asked_at else 0


def _help_changed(entry: LogbookEntry) -> None:
    entry.save(update_fields=["help_reason", "help_asked_at", "help_coming_at", "updated_at"])
    lesson_changed(entry.lesson_id, entry.pupil_id, lesson=entry.lesson, entry=hold(entry))
    send_on_commit(pupil_group(entry.pupil_id), lambda: own_entry_event(entry.pk, held=entry))


@write_atomic
def ask_help(*, pupil: Pupil, lesson: Lesson, reason: str) -> LogbookEntry:
    """The pupil asks for help with a pictured reason; only the teacher's screens show
    it. Asking again with another reason keeps the place in the queue. Sends:
    `help_asked`; `lesson.changed`; `entry.changed` to the pupil."""
    if reason not in HelpReason.values:
        raise ValidationError(_("Tap why you need help."))
    if lesson.group_id != pupil.group_id:
        raise ValidationError(_("This lesson is not in this pupil's group."))
    if not lesson.is_running:
        raise ValidationError(_("This lesson is not running."))
    entry = _locked_entry(pupil, lesson)
    if entry.help_reason == reason:
        return entry  # the same tap twice: still in the queue, nothing new
    if not entry.help_reason:
        entry.help_asked_at, entry.help_coming_at = timezone.now(), None
    entry.help_reason = reason
    _help_changed(entry)
    usage.record(
        "help_asked",
        actor=pupil.user,
        obj=entry,
        pupil=pupil,
        group=pupil.group,
        lesson=lesson,
        context={"reason": reason},
    )
    return entry


@write_atomic
def answer_help(*, acting_user, pupil: Pupil, lesson: Lesson) -> LogbookEntry:
    """The teacher says "ik kom eraan": the pupil sees it at once. Sends: `help_answered`."""
    entry = _locked_entry(pupil, lesson)
    if not entry.help_reason:
        raise ValidationError(_("%(name)s is not asking for help.") % {"name": pupil.display_name})
    if entry.help_coming_at is None:
        entry.help_coming_at = timezone.now()
        _help_changed(entry)
        usage.record(
            "help_answered",
            actor=acting_user,
            obj=entry,
            pupil=pupil,
            group=pupil.group,
            lesson=lesson,
            context={"reason": entry.help_reason, "waited_seconds": _waited(entry)},
        )
    return entry


@write_atomic
def close_help(*, acting_user, pupil: Pupil, lesson: Lesson) -> LogbookEntry:
    """The request ends: the pupil taps "ik kan verder", or the teacher has helped.
    Closing what is not open changes nothing. Sends: `help_closed`."""
    entry = _locked_entry(pupil, lesson)
    if not entry.help_reason:
        return entry
    context = {
        "reason": entry.help_reason,
        "by": PUPIL if acting_user == pupil.user else TEACHER,
        "waited_seconds": _waited(entry),
    }
    entry.help_reason, entry.help_asked_at, entry.help_coming_at = "", None, None
    _help_changed(entry)
    usage.record(
        "help_closed",
        actor=acting_user,
        obj=entry,
        pupil=pupil,
        group=pupil.group,
        lesson=lesson,
        context=context,
    )
    return entry


@write_atomic
def evaluate(*, pupil: Pupil, lesson: Lesson, levels: dict[int, int], mood: str, text: str = ""):
    """End of the lesson: progress per chosen goal (also marked in the doelenboekje), how
    it went, and optional words. Sends `logbook_evaluated` and `self_assessed` per goal;
    `lesson.changed`; `voice.changed` (the class's "nieuw van de klas")."""
    if lesson.group_id != pupil.group_id:
        raise ValidationError(_("This lesson is not in this pupil's group."))
    if lesson.started_at is None:
        raise ValidationError(_("This lesson has not started yet."))
    if not lesson.evaluation_open:
        raise ValidationError(_("The evaluation of this lesson is closed."))
    if mood not in Mood.values:
        raise ValidationError(_("Tap how it went."))
    text = check_text(text)
    entry = _locked_entry(pupil, lesson)
    chosen = {g.pk: g for g in entry.goals.all()}
    if not set(levels) <= set(chosen):
        raise ValidationError(_("You can only mark the goals you chose."))
    for goal_id, level in levels.items():
        goal_actions.assess_self(pupil=pupil, goal=chosen[goal_id], level=level)
    entry.mood = mood
    entry.evaluation_text = text.strip()
    entry.evaluated_at = timezone.now()
    entry.save()
    lesson_changed(lesson.pk, pupil.pk, lesson=lesson, entry=hold(entry))
    voice_changed(pupil.group_id)
    usage.record(
        "logbook_evaluated",
        actor=pupil.user,
        obj=entry,
        pupil=pupil,
        group=pupil.group,
        lesson=lesson,
        context={"mood": mood, "goals": len(levels), "has_text": bool(entry.evaluation_text)},
    )
    return entry


def voice_changed(group_id: int) -> None:
    """After commit: the class's "nieuw van de klas" pages fetch again (a hint only)."""
    send_on_commit(voice_group(group_id), {"type": "voice.changed", "group": group_id})


def own_entry_event(entry_id: int, held: LogbookEntry | None = None) -> dict:
    """`entry.changed` for the pupil's own screens: their entry as it was committed, in
    ids and codes (logbook.messages.EntryChanged). The page fetches its labels itself.
    `held`: the entry as the action wrote it, its goals and partners loaded (`hold`)."""
    entry = held or (
        LogbookEntry.objects.select_related("lesson")
        .prefetch_related("goals", "partners")
        .get(pk=entry_id)
    )
    decided = entry.decided_by
    return {
        "type": "entry.changed",
        "lesson": entry.lesson_id,
        "pupil": entry.pupil_id,
        "entry": {
            "goals": sorted(g.pk for g in entry.goals.all()),
            "instruction": entry.instruction,
            "instruction_reason": entry.instruction_reason or None,
            "alone": entry.alone,
            "partners": sorted(p.pk for p in entry.partners.all()),
            "place": entry.place_id,
            "first_step": entry.first_step or None,
            "mood": entry.mood or None,
            "evaluated": entry.evaluated_at is not None,
            "decided_by": {aspect: decided.get(aspect) for aspect in ENTRY_ASPECTS},
        },
    }
