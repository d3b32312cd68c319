"""The usage-event log: its verbs, declared once, and the one way to record an event.

Every app declares the verbs it records (its `verbs.py`, loaded at `ready()`): a name, a
sentence a researcher reads, and the shape of its context as a `TypedDict` whose keys are
`Annotated` with a `Key` (what the key means, and whether exports carry it). `record`
refuses a verb nobody declared and a context that does not fit its shape, so the export
codebook and `docs/usage-events.md`, both generated from these declarations, cannot drift
from what is stored.

`record` is called only from actions, inside their transaction (decision 0006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict, get_args

from . import schema
from .models import UsageEvent


@dataclass(frozen=True)
class Key:
    """What one context key means (for the codebook); `exported=False` keeps it out of
    research exports. `label` names the kind of a text a teacher typed (a place's or an
    activity's name): exports carry a per-study code of that kind instead of the text."""

    meaning: str
    exported: bool = True
    label: str = ""


class NoContext(TypedDict):
    pass


@dataclass(frozen=True)
class Verb:
    name: str
    description: str
    context: type = NoContext
    app: str = ""

    def keys(self) -> dict[str, tuple[str, Key]]:
        """Each context key: its type's name and its `Key`."""
        out = {}
        for name, tp in schema.fields(self.context).items():
            key = next((m for m in get_args(tp)[1:] if isinstance(m, Key)), None)
            if key is None:
                raise TypeError(f"context key {self.name}.{name} has no Key(meaning)")
            out[name] = (schema.describe(tp), key)
        return out

    def exported_keys(self) -> frozenset[str]:
        return frozenset(name for name, (_type, key) in self.keys().items() if key.exported)

    def label_keys(self) -> dict[str, str]:
        """Exported keys whose text a teacher typed, with the kind of label."""
        return {
            name: key.label
            for name, (_type, key) in self.keys().items()
            if key.exported and key.label
        }


VERBS: dict[str, Verb] = {}


class UndeclaredVerb(LookupError):
    pass


def declare(name: str, description: str, context: type = NoContext, *, app: str = "") -> Verb:
    """Declare a verb (once). Its context keys must each say what they mean."""
    if name in VERBS and VERBS[name] != Verb(name, description, context, app):
        raise ValueError(f"usage verb {name!r} is declared twice")
    verb = Verb(name, description, context, app)
    verb.keys()  # every key carries its meaning, checked at declaration
    VERBS[name] = verb
    return verb


def verb(name: str) -> Verb:
    try:
        return VERBS[name]
    except KeyError:
        raise UndeclaredVerb(f"usage verb {name!r} is not declared") from None


def record(
    verb_name: str,
    *,
    actor,
    obj=None,
    pupil=None,
    group=None,
    lesson=None,
    context: dict | None = None,
) -> UsageEvent:
    """Append one event. `obj` names what the event is about (type and id only). Raises
    UndeclaredVerb or schema.ShapeError: a programming error, never a user's."""
    declared = verb(verb_name)
    context = context or {}
    schema.check(context, declared.context, f"{verb_name}.context")
    return UsageEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        pupil=pupil,
        verb=verb_name,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "pk", None),
        group=group,
        lesson=lesson,
        context=context,
    )


def markdown() -> str:
    """`docs/usage-events.md`, generated from the declarations (a test keeps the file
    equal to this)."""
    lines = [
        "# Usage events",
        "",
        "Generated from the verbs the apps declare (`classroom.usage`, each app's",
        "`verbs.py`); `python manage.py usage_events` writes this file again. A test fails",
        "when it is out of date. Exports carry the keys marked *exported*.",
        "",
    ]
    for v in sorted(VERBS.values(), key=lambda v: (v.app, v.name)):
        sentence = v.description[:1].upper() + v.description[1:] + "."
        lines += [f"## `{v.name}` ({v.app})", "", sentence, ""]
        keys = v.keys()
        if keys:
            lines += ["| key | type | meaning | exported |", "|---|---|---|---|"]
            for name, (type_name, key) in keys.items():
                exported = "yes" if key.exported else "no"
                lines.append(f"| `{name}` | {type_name} | {key.meaning} | {exported} |")
        else:
            lines.append("No context.")
        lines.append("")
    return "\n".join(lines)
