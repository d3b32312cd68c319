"""Recording usage events. Called only from actions, inside their transaction."""

from __future__ import annotations

from .models import UsageEvent


def record(
    verb: str,
    *,
    actor,
    obj=None,
    pupil=None,
    group=None,
    lesson=None,
    context: dict | None = None,
) -> UsageEvent:
    """Append one event. `obj` names what the event is about (type and id only)."""
    return UsageEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        pupil=pupil,
        verb=verb,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "pk", None),
        group=group,
        lesson=lesson,
        context=context or {},
    )
