"""The audit log: who exported research data, changed consent, erased a pupil or
downloaded a pupil's data, and when (`AuditRecord`).

A record names the person who did it and the school (and group, study), never a pupil:
`detail` holds what was done in general terms (a format, the datasets, counts). So an
erasure leaves the log as it was, and reading the log tells nobody which child it was.
Called by the actions and the read-only endpoints that do these things (an export and a
data download change nothing else), inside their transaction where there is one.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditAction, AuditRecord, Group, School

# Keys that would name or point at a pupil: refused, so a careless caller fails in tests
# instead of writing a name into a log that outlives erasure.
_REFUSED_KEYS = frozenset(
    {"pupil", "pupils", "pupil_id", "pupil_ids", "name", "names", "display_name", "username"}
)


def _plain(value):
    """JSON-safe, as stored (dates and the like as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(
    action: str,
    *,
    actor,
    school: School,
    group: Group | None = None,
    study=None,
    **detail,
) -> AuditRecord:
    """Append one record. `study` is a research study (or its id); `detail` are the
    general facts (format, datasets, counts). Raises ValueError for an undeclared action
    or a detail key that would name a pupil: a programming error, never a user's."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    refused = _REFUSED_KEYS & set(detail)
    if refused:
        raise ValueError(f"audit records name no pupil: {sorted(refused)}")
    authenticated = actor is not None and actor.is_authenticated
    return AuditRecord.objects.create(
        action=action,
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "",
        school=school,
        group=group,
        study_id=getattr(study, "pk", study),
        detail=_plain(detail),
    )
