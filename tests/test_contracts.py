"""Events as a contract in code: every usage verb and every realtime message has a declared
shape, the code records nothing undeclared, and the generated docs match the declarations."""

import re
from pathlib import Path
from typing import TypedDict

import pytest
from django.conf import settings

from classroom import schema, usage
from classroom.models import UsageEvent
from classroom.realtime import messages

ROOT = Path(settings.BASE_DIR)
APPS = ["classroom", "goals", "logbook", "planboard", "research", "frontend"]


def _source():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def test_every_verb_the_code_records_is_declared_and_every_declared_verb_is_recorded():
    recorded = set()
    for _path, text in _source():
        # `usage.record("verb", ...)`, or one of two verbs by a conditional expression.
        for first, second in re.findall(
            r'usage\.record\(\s*"([a-z_]+)"(?: if \w+ else "([a-z_]+)")?', text
        ):
            recorded |= {first, second} - {""}
    assert recorded <= set(usage.VERBS)
    assert set(usage.VERBS) <= recorded, set(usage.VERBS) - recorded


def test_every_verb_says_what_it_means_with_a_meaning_for_each_context_key():
    assert len(usage.VERBS) >= 17
    for verb in usage.VERBS.values():
        assert verb.description and verb.app
        for key, (type_name, meaning) in verb.keys().items():
            assert type_name and meaning.meaning, (verb.name, key)


def test_the_usage_events_doc_is_generated_from_the_declarations():
    doc = (ROOT / "docs" / "usage-events.md").read_text(encoding="utf-8")
    assert doc == usage.markdown(), "run: python manage.py usage_events"


def test_an_undeclared_verb_cannot_be_recorded(db):
    with pytest.raises(usage.UndeclaredVerb):
        usage.record("made_up", actor=None)
    assert not UsageEvent.objects.exists()


@pytest.mark.parametrize(
    "verb, context",
    [
        ("self_assessed", {"goal": "G1"}),  # a required key missing
        ("self_assessed", {"goal": "G1", "level": "3"}),  # text where a number goes
        ("self_assessed", {"goal": "G1", "level": 3, "name": "Noor"}),  # an undeclared key
        ("logbook_chosen", {"aspect": "mood", "openness": "free"}),  # not an aspect
        ("planboard_ticked", {"activity": "Bouwhoek", "done": 1}),  # 1 is not a boolean
        ("lesson_started", {"note": "x"}),  # no context declared at all
    ],
)
def test_a_context_that_does_not_fit_its_verb_is_refused(db, verb, context):
    with pytest.raises(schema.ShapeError):
        usage.record(verb, actor=None, context=context)
    assert not UsageEvent.objects.exists()


def test_every_realtime_message_type_has_a_shape():
    assert set(messages.MESSAGES) == {
        "lesson.changed",
        "lesson.summary",
        "lessons.changed",
        "board.changed",
        "entry.changed",
        "voice.changed",
        "session.ended",
        "rights.changed",
    }
    for shape in messages.MESSAGES.values():
        assert schema.is_typeddict(shape)


@pytest.mark.parametrize(
    "message",
    [
        {"type": "board.changed", "board": 1},  # no version
        {"type": "board.changed", "board": 1, "version": 2, "name": "Noor"},
        {"type": "lessons.changed", "lesson": 1, "running": "yes"},
        {"type": "lesson.changed", "lesson": 1, "seq": 2, "pupil": None, "row": None},
        {"type": "shouted", "lesson": 1},
    ],
)
def test_a_message_that_does_not_fit_its_shape_is_caught(message):
    with pytest.raises(schema.ShapeError):
        messages.check(message)


def test_a_message_that_fits_passes_with_its_encoded_text():
    messages.check({"type": "board.changed", "board": 1, "version": 2, "text": "{}"})


class _Inner(TypedDict):
    n: int


class _Outer(TypedDict):
    items: list[_Inner]
    maybe: str | None


@pytest.mark.parametrize(
    "value, ok",
    [
        ({"items": [{"n": 1}], "maybe": None}, True),
        ({"items": [], "maybe": "x"}, True),
        ({"items": [{"n": True}], "maybe": None}, False),
        ({"items": [{"n": 1}]}, False),
        ({"items": {"n": 1}, "maybe": None}, False),
    ],
)
def test_the_shape_check_walks_nested_shapes(value, ok):
    if ok:
        schema.check(value, _Outer)
    else:
        with pytest.raises(schema.ShapeError):
            schema.check(value, _Outer)
