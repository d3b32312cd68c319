"""Exactly which realtime messages and usage events each action sends, and that nothing
goes out when its transaction rolls back (docs/realtime.md is the contract)."""

from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from classroom import actions as classroom_actions
from classroom.models import Lesson, UsageEvent
from classroom.realtime import messages, publish
from goals import actions as goal_actions
from logbook import actions as logbook_actions
from logbook import entries
from planboard import actions as planboard_actions
from research import actions as research_actions
from tests.images import jpeg_bytes


@dataclass
class Recorder:
    """A channel layer that keeps what is sent, so the test sees every message."""

    sent: list = field(default_factory=list)

    async def group_send(self, group, message):
        self.sent.append((group, message))


@pytest.fixture
def layer(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(publish, "get_channel_layer", lambda: recorder)
    return recorder


def _photo():
    return SimpleUploadedFile("werk.jpg", jpeg_bytes(), content_type="image/jpeg")


def _reflection(world):
    """Daan's evaluated entry, written straight to the table (it sends nothing)."""
    from django.utils import timezone

    from logbook.models import LogbookEntry

    return LogbookEntry.objects.create(
        pupil=world.classmate, lesson=world.lesson, mood="great", evaluated_at=timezone.now()
    )


# name: (action, [(group, type)], [usage verbs]). Groups use L (world.lesson), C (the
# class), B (today's board), D (Daan, the classmate: his own logbook page) and N (Noor's
# account: every socket of hers).
CASES = {
    "choose": (
        lambda w: entries.choose(pupil=w.pupil, lesson=w.lesson, aspect="place", value=w.place.pk),
        [("lesson.L", "lesson.changed")],
        ["logbook_chosen"],
    ),
    # Daan has no entry yet (opening his logbook made none): the choice makes it.
    "choose, the first": (
        lambda w: entries.choose(
            pupil=w.classmate, lesson=w.lesson, aspect="place", value=w.place.pk
        ),
        [("lesson.L", "lesson.changed")],
        ["logbook_chosen"],
    ),
    "override": (
        lambda w: entries.override(
            acting_user=w.teacher,
            pupil=w.classmate,
            lesson=w.lesson,
            aspect="instruction",
            value={"wanted": True},
        ),
        # and to Daan's own logbook page (logbook/consumers.py), his entry only
        [("lesson.L", "lesson.changed"), ("pupil.D", "entry.changed")],
        ["logbook_overridden"],
    ),
    "choose, what first": (
        lambda w: entries.choose(pupil=w.pupil, lesson=w.lesson, aspect="order", value="hard"),
        [("lesson.L", "lesson.changed")],
        ["logbook_chosen"],
    ),
    "evaluate": (
        lambda w: entries.evaluate(
            pupil=w.pupil, lesson=w.lesson, levels={w.goal.pk: 3}, mood="great"
        ),
        # and a hint to the class's "nieuw van de klas" (its teachers' pages)
        [("lesson.L", "lesson.changed"), ("voice.C", "voice.changed")],
        ["self_assessed", "logbook_evaluated"],
    ),
    "add_photo": (
        lambda w: logbook_actions.add_photo(pupil=w.pupil, upload=_photo(), lesson=w.lesson),
        [("voice.C", "voice.changed")],
        ["photo_added"],
    ),
    # The teacher's thumb on Daan's reflection: the class's teachers' pages, and Daan's
    # own logbook of that lesson (his entry only).
    "react": (
        lambda w: logbook_actions.react(acting_user=w.teacher, entry=_reflection(w), thumb=True),
        [("voice.C", "voice.changed"), ("pupil.D", "entry.changed")],
        ["reacted"],
    ),
    "add_conversation_note": (
        lambda w: logbook_actions.add_conversation_note(
            acting_user=w.teacher, pupil=w.pupil, text="Gesprek"
        ),
        [],
        ["conversation_noted"],
    ),
    "assess_self": (
        lambda w: goal_actions.assess_self(pupil=w.pupil, goal=w.goal, level=3),
        [],
        ["self_assessed"],
    ),
    "assess_as_teacher": (
        lambda w: goal_actions.assess_as_teacher(
            acting_user=w.teacher, pupil=w.pupil, goal=w.goal, level=3
        ),
        [],
        ["teacher_assessed"],
    ),
    "set_star": (
        lambda w: goal_actions.set_star(pupil=w.pupil, goal=w.goal, starred=True),
        [],
        ["goal_starred"],
    ),
    "plan": (
        lambda w: planboard_actions.plan(
            pupil=w.classmate, slot=w.slot2, acting_user=w.classmate.user
        ),
        [("board.B", "board.changed")],
        ["planboard_planned"],
    ),
    "unplan": (
        lambda w: planboard_actions.unplan(plan_obj=w.plan, acting_user=w.pupil.user),
        [("board.B", "board.changed")],
        ["planboard_unplanned"],
    ),
    "move": (
        lambda w: planboard_actions.move(acting_user=w.teacher, plan_obj=w.plan, to_slot=w.slot2),
        [("board.B", "board.changed")],
        ["planboard_moved"],
    ),
    "tick": (
        lambda w: planboard_actions.tick(plan_obj=w.plan, done=True, acting_user=w.pupil.user),
        [("board.B", "board.changed")],
        ["planboard_ticked"],
    ),
    "add_plan_photo": (
        lambda w: planboard_actions.add_plan_photo(pupil=w.pupil, upload=_photo()),
        [("board.B", "board.changed")],
        ["planboard_photo_added"],
    ),
    "set_activity_photo": (
        lambda w: planboard_actions.set_activity_photo(w.activity, _photo()),
        [("board.B", "board.changed")],
        [],
    ),
    "set_slot": (
        lambda w: planboard_actions.set_slot(w.board, w.slot.activity, on=True, compulsory=True),
        [("board.B", "board.changed")],
        [],
    ),
    "end_lesson": (
        lambda w: classroom_actions.end_lesson(w.lesson, acting_user=w.teacher),
        [("lesson.L", "lesson.changed"), ("class.C", "lessons.changed")],
        ["lesson_ended"],
    ),
    "configure_lesson": (
        lambda w: classroom_actions.configure_lesson(w.lesson, differentiation="individual"),
        [("lesson.L", "lesson.changed")],
        [],
    ),
    "configure_lesson_options": (
        lambda w: classroom_actions.configure_lesson(w.lesson, places=[w.place]),
        [("lesson.L", "lesson.changed")],
        [],
    ),
    # Noor held a planbord place and had a logbook entry: both screens hear it; the only
    # event left is one that names no pupil.
    "erase_pupil": (
        lambda w: research_actions.erase_pupil(w.pupil, acting_user=w.school_admin),
        # and her own sockets, whose rights went with her account (4403)
        [
            ("board.B", "board.changed"),
            ("user.N", "rights.changed"),
            ("lesson.L", "lesson.changed"),
        ],
        ["pupil_erased"],
    ),
}


@pytest.fixture
def world(world):
    """The shared world, its lesson leaving "what do I do first?" to the pupils."""
    classroom_actions.configure_lesson(world.lesson, order_openness="free")
    return world


def _groups(world, expected):
    names = {
        "L": world.lesson.pk,
        "C": world.group.pk,
        "B": world.board.pk,
        "D": world.classmate.pk,
        "N": world.pupil.user_id,
    }
    return [(group[:-1] + str(names[group[-1]]), kind) for group, kind in expected]


@pytest.mark.parametrize("name", CASES)
def test_each_action_sends_exactly_its_events_after_commit(
    world, layer, django_capture_on_commit_callbacks, name
):
    run, expected, verbs = CASES[name]
    seq = Lesson.objects.get(pk=world.lesson.pk).seq
    last_event = UsageEvent.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        run(world)
        assert layer.sent == []  # nothing before the commit
    assert [(group, m["type"]) for group, m in layer.sent] == _groups(world, expected)
    for _group, message in layer.sent:
        messages.check(message)  # each fits its declared shape (classroom.realtime.messages)
    new = UsageEvent.objects.filter(pk__gt=last_event).order_by("pk")
    assert [e.verb for e in new] == verbs
    lesson_messages = [m for group, m in layer.sent if m["type"] == "lesson.changed"]
    for message in lesson_messages:
        assert message["lesson"] == world.lesson.pk
        assert message["seq"] == seq + 1  # one change, the next number
        assert Lesson.objects.get(pk=world.lesson.pk).seq == seq + 1


def test_closing_the_evaluation_tells_the_dashboards_and_the_class(
    world, layer, django_capture_on_commit_callbacks
):
    classroom_actions.end_lesson(world.lesson, acting_user=world.teacher)
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        classroom_actions.close_evaluation(world.lesson, acting_user=world.teacher)
    assert [(g, m["type"]) for g, m in layer.sent] == _groups(
        world, [("lesson.L", "lesson.changed"), ("class.C", "lessons.changed")]
    )
    for _group, message in layer.sent:
        messages.check(message)
    assert layer.sent[1][1]["evaluating"] is False and layer.sent[1][1]["running"] is False
    assert UsageEvent.objects.latest("pk").verb == "lesson_evaluation_closed"


def test_a_pupils_change_carries_their_line_and_the_lessons_summary(
    world, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
    ((_group, message),) = layer.sent
    assert message["pupil"] == world.pupil.pk
    assert message["row"]["name"] == "Noor"
    assert message["row"]["state"] == "working"
    assert message["row"]["entry"]["place"] == world.place.pk
    assert message["row"]["entry"]["decided_by"]["place"] == "pupil"
    assert message["summary"]["quadrant"]["enacted"]["pupils_with_data"] == 1
    # Free text never travels: no instruction text, no evaluation words.
    assert "instruction_text" not in message["row"]["entry"]
    assert "evaluation_text" not in message["row"]["entry"]


def test_an_event_says_what_the_snapshot_says(world, layer, django_capture_on_commit_callbacks):
    """Events are built by a lighter path than the snapshot; a dashboard that applies
    them must end where a reload would."""
    from logbook import dashboard

    with django_capture_on_commit_callbacks(execute=True):
        entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
        entries.choose(
            pupil=world.pupil, lesson=world.lesson, aspect="instruction", value={"wanted": True}
        )
        entries.override(
            acting_user=world.teacher,
            pupil=world.classmate,
            lesson=world.lesson,
            aspect="goal",
            value=[world.goal.pk],
        )
    last = [m for _g, m in layer.sent if m["type"] == "lesson.changed"][-1]
    snapshot = dashboard.snapshot(world.lesson)
    assert last["seq"] == snapshot["seq"]
    assert last["summary"] == snapshot["summary"]
    assert last["summary"]["quadrant"]["enacted"]["pupils_with_data"] == 2
    (daans_line,) = [r for r in snapshot["pupils"] if r["pupil"] == world.classmate.pk]
    assert last["row"] == daans_line
    assert daans_line["entry"]["goals"] == [{"id": world.goal.pk, "code": world.goal.code}]


def test_a_change_to_the_lesson_itself_carries_no_line(
    world, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        classroom_actions.configure_lesson(world.lesson, goal_openness="free")
    ((_group, message),) = layer.sent
    assert message["pupil"] is None and message["row"] is None
    assert message["summary"]["openness"]["goal"] == "free"


def test_consecutive_changes_get_consecutive_numbers(
    world, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
        entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="partner", value=[])
        classroom_actions.end_lesson(world.lesson, acting_user=world.teacher)
    seqs = [m["seq"] for _g, m in layer.sent if m["type"] == "lesson.changed"]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]


def test_saving_a_stale_copy_of_the_lesson_does_not_turn_the_number_back(world):
    stale = Lesson.objects.get(pk=world.lesson.pk)
    entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
    current = Lesson.objects.get(pk=world.lesson.pk).seq
    stale.title = "Breuken en procenten"
    stale.save()
    assert Lesson.objects.get(pk=world.lesson.pk).seq == current


class Boom(Exception):
    pass


@pytest.mark.parametrize("name", CASES)
def test_nothing_is_sent_or_recorded_when_the_transaction_rolls_back(
    world, layer, django_capture_on_commit_callbacks, name
):
    run, _expected, _verbs = CASES[name]
    seq = Lesson.objects.get(pk=world.lesson.pk).seq
    events = UsageEvent.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        run(world)
        raise Boom
    assert callbacks == [] and layer.sent == []
    assert UsageEvent.objects.count() == events
    assert Lesson.objects.get(pk=world.lesson.pk).seq == seq


def test_a_refused_action_sends_nothing(world, layer, django_capture_on_commit_callbacks):
    third = classroom_actions.create_pupil(group=world.group, display_name="Ayoub")
    planboard_actions.plan(pupil=world.classmate, slot=world.slot, acting_user=world.classmate.user)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError) as full:
            planboard_actions.plan(pupil=third, slot=world.slot, acting_user=third.user)
        assert full.value.code == "full"
        with pytest.raises(ValidationError):  # the teacher decides the order
            entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="order", value=1)
    assert layer.sent == []


@pytest.mark.django_db(transaction=True)
def test_with_a_real_commit_the_message_goes_out_after_it(transactional_db, layer):
    from tests.conftest import build_world

    world = build_world()
    layer.sent.clear()
    with transaction.atomic():
        entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
        assert layer.sent == []
    assert [m["type"] for _g, m in layer.sent] == ["lesson.changed"]


@pytest.fixture
def server_loop(monkeypatch, settings):
    """As in the server: a change within LESSON_SUMMARY_SECONDS of the last summary plans
    one (here kept in a list and run by the test, as the server's loop would run it)."""
    from logbook import dashboard

    settings.LESSON_SUMMARY_SECONDS = 60
    monkeypatch.setattr(dashboard, "summaries", dashboard.Summaries())
    planned = []

    def later(delay, job):
        planned.append((delay, job))
        return True

    monkeypatch.setattr(dashboard.handover, "later", later)
    return planned


def test_a_burst_of_changes_gets_one_coalesced_summary_that_a_snapshot_agrees_with(
    world, layer, server_loop, django_capture_on_commit_callbacks
):
    from logbook import dashboard

    burst = [
        (world.pupil, "place", world.place.pk),
        (world.pupil, "instruction", {"wanted": True}),
        (world.classmate, "place", world.place.pk),
    ]
    for pupil, aspect, value in burst:  # each change's event is built after its own commit
        with django_capture_on_commit_callbacks(execute=True):
            entries.choose(pupil=pupil, lesson=world.lesson, aspect=aspect, value=value)
    first, second, third = (m for _g, m in layer.sent)
    start = first["seq"]
    assert [m["seq"] for m in (first, second, third)] == [start, start + 1, start + 2]
    # The first change of a quiet lesson has its summary at once; the two after it have
    # their lines (nothing waits for them) and one summary is planned for both.
    assert first["summary"] is not None
    assert second["summary"] is None and third["summary"] is None
    assert third["row"]["name"] == "Daan"
    ((delay, job),) = server_loop
    assert 59 < delay <= 60
    group, message = job()
    assert group == f"lesson.{world.lesson.pk}"
    messages.check(message)
    assert message["type"] == "lesson.summary" and message["covers"] == start + 2
    snapshot = dashboard.snapshot(world.lesson)
    assert message["summary"] == snapshot["summary"]
    assert message["summary"] != first["summary"]  # the two later changes are in it
    # After it ran, the next change plans the next summary.
    with django_capture_on_commit_callbacks(execute=True):
        entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="instruction",
                       value={"wanted": False})  # fmt: skip
    assert layer.sent[-1][1]["summary"] is None
    assert len(server_loop) == 2


def test_a_change_to_the_lesson_itself_always_carries_the_summary(
    world, layer, server_loop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="place", value=world.place.pk)
        classroom_actions.configure_lesson(world.lesson, goal_openness="free")
    _first, (_group, change) = layer.sent
    assert change["pupil"] is None
    assert change["summary"]["openness"]["goal"] == "free"
    assert not server_loop


def test_with_no_server_loop_every_change_carries_its_summary(
    world, layer, settings, django_capture_on_commit_callbacks
):
    settings.LESSON_SUMMARY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        for aspect, value in (("place", world.place.pk), ("instruction", {"wanted": True})):
            entries.choose(pupil=world.pupil, lesson=world.lesson, aspect=aspect, value=value)
    assert all(m["summary"] is not None for _g, m in layer.sent)
