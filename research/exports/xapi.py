"""The events as a JSON array of xAPI 1.0.3 statements."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from .columns import verb_text

if TYPE_CHECKING:
    from .datasets import Export


def statements(export: Export) -> Iterator[bytes]:
    yield b"["
    first = True
    for n, event in enumerate(export.event_rows(), start=1):
        statement = export.statement(n, *event)
        yield (b"" if first else b",\n") + json.dumps(statement, ensure_ascii=False).encode()
        first = False
    yield b"]\n"


def statement(
    export: Export,
    n,
    moment,
    verb,
    role,
    actor,
    pupil,
    group,
    lesson,
    kind,
    context,
    lesson_id,
    event_id,
) -> dict:
    base = settings.RESEARCH_XAPI_BASE.rstrip("/")
    study = export.pseudonym("study", export.study.pk)
    home = f"{base}/studies/{study}"
    who = actor or pupil or "unknown"
    result = {
        # uuid5 of the study's own namespace (from its key) and the event: the same in
        # every export of this study, unlinkable to any other study, and no id.
        "id": str(uuid.uuid5(export.pseudonym.namespace(), f"event:{event_id}")),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": home, "name": who},
        },
        "verb": {"id": f"{base}/verbs/{verb}", "display": {"en": verb_text(verb)}},
        "object": {
            "objectType": "Activity",
            "id": f"{home}/{'lessons/' + lesson if lesson else 'groups/' + group}",
            "definition": {"type": f"{base}/activity-types/{kind or 'lesson'}"},
        },
        "timestamp": export.exact(moment),
        "context": {
            "extensions": {
                f"{base}/extensions/group": group,
                f"{base}/extensions/actor-role": role,
                f"{base}/extensions/details": context,
            }
        },
        "version": "1.0.3",
    }
    if export.study.coarsen_to_day:
        result["timestamp"] = timezone.localtime(moment).date().isoformat() + "T00:00:00Z"
    code, phase = export.intervention(lesson_id)
    if code:
        result["context"]["extensions"][f"{base}/extensions/intervention"] = code
        result["context"]["extensions"][f"{base}/extensions/phase"] = phase
    return result
