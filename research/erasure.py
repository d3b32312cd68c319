"""What erasing a pupil removes besides their own rows (`research.actions.erase_pupil`).

Deleting the pupil's account cascades to everything that belongs to them. Their traces
elsewhere do not cascade, and are found here:

- the admin log: entries about the pupil, their account or any row deleted with them
  are deleted; their name is scrubbed out of the others' descriptions;
- django-axes' login records for their username or their login token (in the URL);
- sessions: theirs, and any other that names them (their tile chosen on a device);
- stored idempotency answers of anybody (a classmate's answer lists partner ids and may
  hold names): they are only replay caches, so they are deleted;
- usage events about a row deleted with them;
- their name in every text the school holds: the typed words of classmates and teachers
  (logbook words, notes, comments, observations, titles...). The fields are found from
  the schema, so a new model's text is covered without a change here.

Bytes of deleted rows: SQLite runs with `secure_delete` (config/settings.py), and after
the erasure commits the WAL is checkpointed and truncated, so the file holds no copy.
PostgreSQL keeps dead tuples until VACUUM (docs/research.md, "Erasure").
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from functools import reduce
from operator import or_

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector

from classroom.models import IdempotencyRecord, School, UsageEvent

logger = logging.getLogger(__name__)

# The apps whose rows hold what teachers and pupils type.
TEXT_APPS = ("classroom", "goals", "logbook", "planboard", "research")

# Text fields of those apps that hold codes, keys or machine-made values, not words
# somebody typed: scrubbing them would break them and could find nothing.
NOT_TYPED = {
    "classroom.Group.class_code": "a login code",
    # Other pupils' own names: a classmate called "Zoë Jansen" keeps her name when another
    # Zoë is erased.
    "classroom.Pupil.display_name": "a classmate's own name",
    "classroom.Pupil.picture_code": "pictogram names",
    "classroom.UsageEvent.verb": "a declared verb",
    "classroom.UsageEvent.object_type": "a model name",
    "goals.RubricLevel.icon": "an icon name",
    "planboard.Plan.decided_by": "who decided (pupil, teacher)",
    "logbook.LogbookEntry.decided_by": "who decided each aspect (codes)",
    "research.Study.datasets": "dataset codes",
}
# Models of those apps whose text is handled otherwise.
NOT_SCRUBBED = {
    "classroom.IdempotencyRecord": "answers that mention the pupil are deleted instead",
    "classroom.AuditRecord": "names no pupil by construction (classroom.audit)",
}

# The keys under which a stored answer or a session holds a pupil's id (any key with one
# of these in it: "partners", "leerregie_gekozen_leerling") or a user's.
_PUPIL_HINTS = ("pupil", "partner", "leerling")
_USER_KEYS = frozenset({"user", "actor", "teacher", "set_by", "author"})


def text_fields() -> dict[type[models.Model], list[models.Field]]:
    """Every field of TEXT_APPS that holds typed text: CharFields and TextFields without
    choices, and JSON (whose strings are scrubbed), except NOT_TYPED and NOT_SCRUBBED."""
    found: dict[type[models.Model], list[models.Field]] = {}
    for label in TEXT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in NOT_SCRUBBED:
                continue
            fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField | models.JSONField)
                and not field.choices
                and field.editable
                and f"{model._meta.label}.{field.name}" not in NOT_TYPED
            ]
            if fields:
                found[model] = fields
    return found


def school_paths(model: type[models.Model], max_depth: int = 4) -> list[str]:
    """Lookups from `model` to its school along foreign keys (`pupil__group__school`):
    every one up to three steps, or the shortest ones when the school is further."""
    if model is School:
        return ["pk"]
    by_depth: dict[int, list[str]] = defaultdict(list)
    frontier = [("", model, frozenset({model}))]
    for depth in range(1, max_depth + 1):
        following = []
        for prefix, current, seen in frontier:
            for field in current._meta.concrete_fields:
                if not (field.many_to_one or field.one_to_one):
                    continue
                target = field.related_model
                if target in seen:
                    continue
                path = f"{prefix}{field.name}"
                if target is School:
                    by_depth[depth].append(path)
                else:
                    following.append((f"{path}__", target, seen | {target}))
        frontier = following
    if not by_depth:
        return []
    limit = max(3, min(by_depth))
    return [path for depth, paths in sorted(by_depth.items()) if depth <= limit for path in paths]


def _in_school(model: type[models.Model], school: School) -> Q | None:
    paths = school_paths(model)
    if not paths:
        return None
    return reduce(or_, (Q(**{path: school.pk}) for path in paths))


def _scrub_json(value, scrub):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_json(item, scrub) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, scrub) for key, item in value.items()}
    return value


def scrub_texts(school: School, scrub) -> int:
    """Take the pupil's names out of every typed text of the school. Returns how many
    rows changed."""
    changed = 0
    for model, fields in text_fields().items():
        where = _in_school(model, school)
        if where is None:
            continue
        names = [field.name for field in fields]
        json_fields = {field.name for field in fields if isinstance(field, models.JSONField)}
        updates = []
        # Read first, write after: SQLite must not see its table change under an open read.
        rows = model._base_manager.filter(where).values_list("pk", *names)
        for pk, *values in rows.iterator(chunk_size=2000):
            new = {}
            for name, value in zip(names, values, strict=True):
                if value in (None, "", [], {}):
                    continue
                cleaned = _scrub_json(value, scrub) if name in json_fields else scrub(value)
                if cleaned != value:
                    new[name] = cleaned
            if new:
                updates.append((pk, new))
        for pk, new in updates:
            _write(model, pk, new)
        changed += len(updates)
    return changed


def _write(model, pk, values: dict) -> None:
    if model is UsageEvent:
        UsageEvent.objects.filter(pk=pk).rewrite_context_for_erasure(values["context"])
        return
    rows = model._base_manager.filter(pk=pk)
    try:
        with transaction.atomic():
            rows.update(**values)
    except IntegrityError:
        # A unique name (a place "Hoek van Zoë" next to a "Hoek van [leerling]"): the row
        # keeps a scrubbed name that is its own.
        rows.update(
            **{
                name: f"{value} ({pk})" if isinstance(value, str) else value
                for name, value in values.items()
            }
        )


def doomed_objects(user) -> dict[type[models.Model], set]:
    """The rows deleting `user` deletes (the cascade), by model: their pks."""
    collector = Collector(using=router.db_for_write(type(user)))
    collector.collect([user])
    found: dict[type[models.Model], set] = defaultdict(set)
    for model, instances in collector.data.items():
        found[model].update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        found[queryset.model].update(queryset.values_list("pk", flat=True))
    return found


def forget_references(doomed: dict[type[models.Model], set]) -> None:
    """Admin log entries and usage events about rows that are deleted with the pupil."""
    # The admin logs a proxy model's rows under the proxy's content type.
    content_types = defaultdict(list)
    for content_type in ContentType.objects.all():
        model = content_type.model_class()
        if model is not None:
            content_types[model._meta.concrete_model].append(content_type.pk)
    for model, pks in doomed.items():
        if model._meta.auto_created:
            continue  # a many-to-many row: nobody logs about it
        pks = sorted(pks)
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            LogEntry.objects.filter(
                content_type__in=content_types[model], object_id__in=[str(pk) for pk in chunk]
            ).delete()
            if all(isinstance(pk, int) for pk in chunk):
                UsageEvent.objects.filter(
                    object_type=model.__name__.lower(), object_id__in=chunk
                ).delete()


def scrub_admin_log(school: School, scrub) -> None:
    """The name out of what the admin log says about other rows (a classmate's entry,
    a reaction), for entries by the school's staff and the installation's superusers."""
    entries = LogEntry.objects.filter(
        Q(user__memberships__school=school) | Q(user__is_superuser=True)
    ).distinct()
    for pk, text, message in list(entries.values_list("pk", "object_repr", "change_message")):
        new_message = message
        try:
            parsed = json.loads(message) if message else None
        except ValueError:
            new_message = scrub(message)
        else:
            if parsed is not None:
                cleaned = _scrub_json(parsed, scrub)
                if cleaned != parsed:
                    new_message = json.dumps(cleaned)
        new_text = scrub(text)
        if (new_text, new_message) != (text, message):
            LogEntry.objects.filter(pk=pk).update(object_repr=new_text, change_message=new_message)


def forget_logins(username: str, token: str) -> None:
    """django-axes' records of the pupil's logins and login attempts: by username, and
    by the login token in the URL (their picture-code page)."""
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        where = Q(username=username) | Q(path_info__contains=token)
        if model is AccessAttempt:
            where |= Q(get_data__contains=token) | Q(post_data__contains=token)
            where |= Q(post_data__contains=username)
        model.objects.filter(where).delete()


def _mentions(value, pupil_id: int, user_id: int, scrub, key: str = "") -> bool:
    if isinstance(value, dict):
        # {"pupil": {"id": 7}}: an "id" means what its parent key names.
        return any(
            _mentions(item, pupil_id, user_id, scrub, key if name == "id" else str(name).lower())
            for name, item in value.items()
        )
    if isinstance(value, list):
        return any(_mentions(item, pupil_id, user_id, scrub, key) for item in value)
    if isinstance(value, str):
        return scrub(value) != value
    if isinstance(value, int) and not isinstance(value, bool):
        if any(hint in key for hint in _PUPIL_HINTS):
            return value == pupil_id
        if key in _USER_KEYS or "user" in key:
            return value == user_id
    return False


def forget_stored_answers(school: School, pupil_id: int, user_id: int, scrub) -> int:
    """Stored idempotency answers that mention the pupil (by id or name), of anybody who
    could have seen them: they are replay caches and go whole. Returns how many."""
    records = IdempotencyRecord.objects.filter(
        Q(user_id=user_id)
        | Q(user__pupil__group__school=school)
        | Q(user__memberships__school=school)
        | Q(user__is_superuser=True)
    ).distinct()
    doomed = [
        pk
        for pk, user, body in records.values_list("pk", "user_id", "body").iterator()
        if user == user_id or _mentions(body, pupil_id, user_id, scrub)
    ]
    IdempotencyRecord.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def forget_sessions(pupil_id: int, user_id: int, scrub) -> int:
    """The pupil's sessions, and any other that holds them (a device where their tile was
    tapped in the class grid, but nobody logged in). Returns how many."""
    doomed = []
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user_id) or _mentions(data, pupil_id, user_id, scrub):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def overwrite_deleted_bytes(using: str = "default") -> None:
    """SQLite: copy the WAL into the database file and truncate it, so that no old page
    with the pupil in it stays in the WAL (`secure_delete` has zeroed them in the pages
    written since). Run after the erasure commits; nothing to do on PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _frames, _done = cursor.fetchone()
    if busy:
        # A long reader held an old snapshot: the next checkpoint (SQLite's automatic
        # one, or the next erasure) copies and truncates the rest.
        logger.warning("erasure: the WAL checkpoint was blocked by a reader")
