"""A pupil's data rights: everything stored about them as one zip. Erasure is an action
(research.actions.erase_pupil).

The zip has readable files (`pupil.json`, `logbook_entries.json`, ... and the photos) and,
generated from the schema, `tables/<app>.<model>.json`: every row of every model with a
foreign key, one-to-one or many-to-many to the pupil or to their account (the account
itself without its password hash; teachers named as authors), and the rows that refer
to them otherwise: their sessions (decoded, without the session key), django-axes' login
records, and the admin log's entries about them. A new model with a reference to a pupil
is in the download without a change here (tests/research/test_data_download.py).

Only a school admin calls these (the `manage_data` operation on Pupil, research.permissions).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from classroom.models import Pupil, UsageEvent
from goals.models import GoalStar, SelfAssessment, TeacherAssessment
from logbook.models import ConversationNote, LogbookEntry, Photo, Reaction
from planboard.models import Plan, PlanPhoto

from .models import Consent


def _dump(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def pupil_data(pupil: Pupil) -> bytes:
    """A zip: `pupil.json` and one JSON file per kind of record, every photo, and the
    generated `tables/` (see the module's docstring)."""
    entries = LogbookEntry.objects.filter(pupil=pupil).select_related("lesson", "place")
    photos = list(Photo.objects.filter(pupil=pupil).select_related("goal"))
    plan_photos = list(
        PlanPhoto.objects.filter(pupil=pupil).select_related("board", "activity").order_by("pk")
    )
    files = {
        "pupil.json": {
            "name": pupil.display_name,
            "group": pupil.group.name,
            "school": pupil.group.school.name,
            "avatar": pupil.avatar,
            "active": pupil.active,
            "picture_code": pupil.picture_code,
            "exported_at": timezone.now(),
        },
        "logbook_entries.json": [
            {
                "lesson": e.lesson.title,
                "date": e.lesson.date,
                "goals": [g.code for g in e.goals.all()],
                "instruction": e.instruction,
                "instruction_reason": e.instruction_reason,
                "instruction_text": e.instruction_text,
                "instruction_asked": e.instruction_asked,
                "alone": e.alone,
                "partners": [p.display_name for p in e.partners.all()],
                "place": e.place.name if e.place else None,
                "decided_by": e.decided_by,
                "mood": e.mood,
                "evaluation_text": e.evaluation_text,
                "evaluated_at": e.evaluated_at,
            }
            for e in entries.prefetch_related("goals", "partners")
        ],
        "self_assessments.json": list(
            SelfAssessment.objects.filter(pupil=pupil).values("goal__code", "level", "created_at")
        ),
        "teacher_assessments.json": list(
            TeacherAssessment.objects.filter(pupil=pupil).values(
                "goal__code", "level", "note", "created_at"
            )
        ),
        "goal_stars.json": list(
            GoalStar.objects.filter(pupil=pupil).values("goal__code", "created_at")
        ),
        "conversation_notes.json": list(
            ConversationNote.objects.filter(pupil=pupil).values("text", "created_at")
        ),
        "planbord.json": list(
            Plan.objects.filter(pupil=pupil).values(
                "board__date", "slot__activity__name", "position", "done", "decided_by"
            )
        ),
        "reactions.json": [
            {
                "on": "reflection" if r.entry_id else "photo",
                "lesson": (r.entry.lesson.title if r.entry_id else None),
                "photo": f"photos/{r.photo_id}.jpg" if r.photo_id else None,
                "thumb": r.thumb,
                "comment": r.comment,
                "by": r.teacher.get_full_name() or r.teacher.get_username() if r.teacher else None,
                "created_at": r.created_at,
            }
            for r in Reaction.objects.filter(pupil=pupil).select_related("entry__lesson", "teacher")
        ],
        "consents.json": list(
            Consent.objects.filter(pupil=pupil).values("study__title", "status", "set_at")
        ),
        "usage_events.json": list(
            UsageEvent.objects.filter(pupil=pupil).values("time", "verb", "object_type", "context")
        ),
        "photos.json": [
            {
                "file": f"photos/{photo.pk}.jpg",
                "goal": photo.goal.code if photo.goal else None,
                "prompt": photo.prompt,
                "created_at": photo.created_at,
            }
            for photo in photos
        ],
        "planbord_photos.json": [
            {
                "file": f"planbord_photos/{photo.pk}.jpg",
                "date": photo.board.date,
                "activity": photo.activity.name,
                "created_at": photo.created_at,
            }
            for photo in plan_photos
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, _dump(data))
        for label, rows in tables(pupil).items():
            archive.writestr(f"tables/{label}.json", _dump(rows))
        for photo in photos:
            with photo.image.open("rb") as handle:
                archive.writestr(f"photos/{photo.pk}.jpg", handle.read())
        for photo in plan_photos:
            with photo.image.open("rb") as handle:
                archive.writestr(f"planbord_photos/{photo.pk}.jpg", handle.read())
        if pupil.photo:
            with pupil.photo.open("rb") as handle:
                archive.writestr("portrait.jpg", handle.read())
    return out.getvalue()


# --- Generated from the schema ----------------------------------------------------------

THIS_PUPIL = "this pupil"
# Never in the download: a credential, not information about the child.
SECRET_FIELDS = frozenset({"password"})
SESSION_SECRETS = frozenset({"_auth_user_hash"})
# A hash of the session key (django-axes): as good as the key to whoever has the table.
LOGIN_SECRETS = frozenset({"session_hash"})


def references(model: type[models.Model]) -> list[models.Field]:
    """The fields of `model` that point at a pupil or at a user account."""
    targets = (Pupil, get_user_model())
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model in targets
    ]


def referring_models() -> list[type[models.Model]]:
    """Every model with a reference to a pupil or a user, and those two themselves."""
    user_model = get_user_model()
    found = [
        model for model in apps.get_models() if model in (Pupil, user_model) or references(model)
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def _table_name(model: type[models.Model]) -> str:
    return model._meta.label_lower


class _Labels:
    """What a foreign key points at, in words, each looked up once: a teacher by name, the
    pupil as THIS_PUPIL, a lesson or a place by what it is called."""

    def __init__(self, pupil: Pupil):
        self.pupil = pupil
        self.user_model = get_user_model()
        self.cache: dict[tuple[type, object], str | None] = {}

    def of(self, model: type[models.Model], pk) -> str | None:
        if pk is None:
            return None
        if (model is Pupil and pk == self.pupil.pk) or (
            model is self.user_model and pk == self.pupil.user_id
        ):
            return THIS_PUPIL
        key = (model, pk)
        if key not in self.cache:
            obj = model._base_manager.filter(pk=pk).first()
            self.cache[key] = self._word(obj) if obj is not None else None
        return self.cache[key]

    def _word(self, obj) -> str:
        if isinstance(obj, self.user_model):
            pupil = Pupil.objects.filter(user_id=obj.pk).first()
            return pupil.display_name if pupil else obj.get_full_name() or obj.get_username()
        return str(obj)


def _value(obj, field: models.Field, labels: _Labels):
    if field.is_relation:
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        return {"id": pk, "is": labels.of(field.related_model, pk)}
    value = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return value.name if value else None
    return value


def _row(obj, labels: _Labels) -> dict:
    """Every field of one of the pupil's own rows (a secret left out)."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name not in SECRET_FIELDS:
            row[field.name] = _value(obj, field, labels)
    for field in obj._meta.many_to_many:
        row[field.name] = [
            labels.of(field.related_model, pk)
            for pk in getattr(obj, field.name).values_list("pk", flat=True)
        ]
    return row


def _named_row(obj, via: list[str], labels: _Labels) -> dict:
    """A row of somebody else's that names the pupil in a many-to-many (a classmate's
    entry with the pupil as partner): where it names them and its context (a lesson, a
    place), none of that person's own words or name."""
    user_model = get_user_model()
    row = {"id": obj.pk, "named_in": via}
    for field in obj._meta.concrete_fields:
        if (
            field.is_relation
            and field.related_model not in (Pupil, user_model)
            and not references(field.related_model)
        ):
            row[field.name] = _value(obj, field, labels)
    return row


def _model_rows(model, pupil: Pupil, labels: _Labels) -> tuple[list[dict], list]:
    """The model's rows that are the pupil's (or name them), and their pks."""
    user = pupil.user
    fields = references(model)
    own = Q(pk__in=[])
    named = Q(pk__in=[])
    for field in fields:
        value = pupil if field.related_model is Pupil else user
        if field.many_to_many:
            named |= Q(**{field.name: value})
        else:
            own |= Q(**{field.name: value})
    if model is Pupil:
        own |= Q(pk=pupil.pk)
    elif model is get_user_model():
        own |= Q(pk=user.pk)
    rows, pks = [], []
    manager = model._base_manager
    for obj in manager.filter(own).order_by("pk"):
        rows.append(_row(obj, labels))
        pks.append(obj.pk)
    m2m = [field for field in fields if field.many_to_many]
    for obj in manager.filter(named).exclude(own).distinct().order_by("pk"):
        via = [
            f.name
            for f in m2m
            if getattr(obj, f.name).filter(pk=(pupil if f.related_model is Pupil else user).pk)
        ]
        rows.append(_named_row(obj, via, labels))
    return rows, pks


def _sessions(user) -> list[dict]:
    rows = []
    for session in Session.objects.order_by("expire_date"):
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user.pk):
            rows.append(
                {
                    "expire_date": session.expire_date,
                    "data": {k: v for k, v in data.items() if k not in SESSION_SECRETS},
                }
            )
    return rows


def _logins(pupil: Pupil) -> dict[str, list[dict]]:
    """django-axes' records of the pupil's logins, found as erasure finds them."""
    username, token = pupil.user.get_username(), pupil.login_token
    out = {}
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        where = Q(username=username) | Q(path_info__contains=token)
        out[_table_name(model)] = [
            {
                field.name: getattr(obj, field.attname)
                for field in model._meta.concrete_fields
                if field.name not in LOGIN_SECRETS
            }
            for obj in model.objects.filter(where).order_by("pk")
        ]
    return out


def _admin_log(user, downloaded: dict[type, list], labels: _Labels) -> list[dict]:
    """The admin log's entries by the pupil's account or about any row in the download."""
    about = Q(user=user)
    for model, pks in downloaded.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return [
        {
            "time": entry.action_time,
            "by": labels.of(get_user_model(), entry.user_id),
            "about": f"{entry.content_type.app_label}.{entry.content_type.model}"
            if entry.content_type
            else None,
            "object_id": entry.object_id,
            "object": entry.object_repr,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag),
            "message": entry.get_change_message(),
        }
        for entry in LogEntry.objects.filter(about).select_related("content_type").order_by("pk")
    ]


def tables(pupil: Pupil) -> dict[str, list[dict]]:
    """Everything stored about the pupil, table by table, generated from the schema:
    `<app_label>.<model_name>` -> rows."""
    labels = _Labels(pupil)
    out: dict[str, list[dict]] = {}
    downloaded: dict[type, list] = defaultdict(list)
    for model in referring_models():
        if model is LogEntry:
            continue  # below: also the entries about the pupil's rows
        rows, pks = _model_rows(model, pupil, labels)
        out[_table_name(model)] = rows
        downloaded[model] = pks
    out[_table_name(LogEntry)] = _admin_log(pupil.user, downloaded, labels)
    out[_table_name(Session)] = _sessions(pupil.user)
    out.update(_logins(pupil))
    return dict(sorted(out.items()))
