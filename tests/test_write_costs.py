"""What a pupil's write and a WebSocket connect cost in queries (issue 20): a budget per
write, the same for 5 and for 30 pupils, with its dashboard event (built after commit from
what the write held) counted in. The test runs inside a transaction, so each budget holds
two savepoint statements that in production are the transaction's BEGIN and COMMIT; the
rest is: session, user with pupil, the object the request names, the write, its sequence
number or version, its usage event, the stored answer (no look-up first: a retry meets
the key's unique constraint), and for the logbook the entry's goals and partners and the
class's summary (two light queries; in a burst left to the coalesced one that follows).
An action inside the write's transaction takes no savepoint of its own."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classroom import actions
from tests import ws
from tests.e2e.test_logbook import add_fractions

# The lesson's quadrant is recomputed per change: its queries must not grow with the class.
CLASS_SIZES = (5, 30)


def _grow_to(world, n):
    for i in range(n - world.group.pupils.count()):
        actions.create_pupil(group=world.group, display_name=f"Leerling {i}")


def _post(client, url, body, capture):
    with CaptureQueriesContext(connection) as queries, capture(execute=True) as callbacks:
        response = client.post(
            url,
            body,
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    assert response.status_code in (200, 201), response.content
    return len(queries), callbacks


@pytest.mark.django_db
@pytest.mark.parametrize("coalesced", [False, True], ids=["summary-each", "summary-coalesced"])
def test_a_logbook_choice_stays_within_its_budget_for_any_class_size(
    world, client, django_capture_on_commit_callbacks, coalesced, monkeypatch, settings
):
    # In the server, a tap within LESSON_SUMMARY_SECONDS of the last summary leaves the
    # class's summary (two queries) to the one that follows (logbook.dashboard.Summaries).
    cut = 0
    if coalesced:
        from logbook import dashboard

        settings.LESSON_SUMMARY_SECONDS = 60
        monkeypatch.setattr(dashboard, "summaries", dashboard.Summaries())
        monkeypatch.setattr(dashboard.handover, "later", lambda delay, job: True)
        cut = 2
    world = add_fractions(world)
    actions.configure_lesson(world.fractions, places=[world.place])
    actions.start_lesson(world.fractions, acting_user=world.teacher)
    client.force_login(world.pupil.user)
    goal = world.block.goals.first()
    daan = world.group.pupils.get(display_name="Daan")
    # (aspect, value, budget): choosing a goal or a partner also rewrites the M2M rows.
    choices = [
        ("instruction", {"wanted": True, "reason": "dont_understand"}, 14 - cut),
        ("place", world.place.pk, 15 - cut),
        ("goal", [goal.pk], 17 - cut),
        ("partner", [daan.pk], 17 - cut),
    ]
    # The first choice makes the entry (get_or_create: four statements more).
    first = {"lesson": world.fractions.pk, "aspect": "order", "value": "easy"}
    actions.configure_lesson(world.fractions, order_openness="free")
    count, _ = _post(
        client, "/api/logbook-entries/choose/", first, django_capture_on_commit_callbacks
    )
    assert count <= 18, count
    seen = {}
    for size in CLASS_SIZES:
        _grow_to(world, size)
        for aspect, value, budget in choices:
            body = {"lesson": world.fractions.pk, "aspect": aspect, "value": value}
            count, callbacks = _post(
                client, "/api/logbook-entries/choose/", body, django_capture_on_commit_callbacks
            )
            assert count <= budget, (aspect, size, count)
            assert callbacks, "the dashboard event is sent after commit"
            seen.setdefault(aspect, set()).add(count)
    # The same cost for 5 and for 30 pupils (a goal or partner chosen again the second
    # time writes no M2M rows, so those two are compared by their budget only).
    assert len(seen["instruction"]) == len(seen["place"]) == 1, seen


@pytest.mark.django_db
def test_a_self_assessment_stays_within_its_budget(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.pupil.user)
    goal = world.block.goals.first()
    count, _ = _post(
        client,
        "/api/self-assessments/",
        {"goal": goal.pk, "level": 2},
        django_capture_on_commit_callbacks,
    )
    assert count <= 9, count


@pytest.mark.django_db
def test_a_planbord_tap_stays_within_its_budget(world, client, django_capture_on_commit_callbacks):
    other = world.group.pupils.exclude(pk=world.pupil.pk).filter(active=True).first()
    client.force_login(other.user)
    count, callbacks = _post(
        client, "/api/plans/", {"slot": world.slot2.pk}, django_capture_on_commit_callbacks
    )
    assert count <= 15, count
    assert callbacks, "the board's screens are told after commit"


@pytest.mark.django_db(transaction=True)
def test_a_websocket_connect_resolves_who_it_is_in_at_most_three_queries(world):
    """Session, the user with their pupil record and group, and for staff their schools
    and groups: at most three; then one for the object the socket follows."""
    lesson = actions.create_lesson(group=world.group, title="Breuken", subject="rekenen")
    for path, user, budget in [
        (f"/ws/les/{lesson.pk}/", world.teacher, 3 + 1),
        (f"/ws/klas/{world.group.pk}/", world.pupil.user, 2 + 1),
        (f"/ws/klas/{world.group.pk}/", world.school_admin, 3 + 1),
    ]:
        sent = ws.headers(user)
        with CaptureQueriesContext(connection) as queries:
            assert ws.connect_with(path, sent) == (True, None), path
        assert len(queries) <= budget, (path, [q["sql"][:60] for q in queries])
