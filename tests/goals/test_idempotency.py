"""A retried pupil write with the same Idempotency-Key stores once and answers the same."""

import threading
import uuid

import pytest
from django.db import close_old_connections
from django.test import Client

from classroom.models import UsageEvent
from goals.models import GoalStar, SelfAssessment
from tests.conftest import build_world


def post(client, url, data, key):
    return client.post(url, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_twice_stores_one_mark_and_replays_the_answer(world, client):
    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    before = SelfAssessment.objects.count(), UsageEvent.objects.count()
    first = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, key)
    second = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert (SelfAssessment.objects.count(), UsageEvent.objects.count()) == (
        before[0] + 1,
        before[1] + 1,
    )


def test_a_new_key_is_a_new_mark(world, client):
    client.force_login(world.pupil.user)
    for _ in range(2):
        post(
            client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, str(uuid.uuid4())
        )
    assert SelfAssessment.objects.filter(pupil=world.pupil, level=3).count() == 2


def test_without_a_key_every_request_counts(world, client):
    client.force_login(world.pupil.user)
    for _ in range(2):
        client.post(
            "/api/self-assessments/",
            {"goal": world.goal.pk, "level": 3},
            content_type="application/json",
        )
    assert SelfAssessment.objects.filter(pupil=world.pupil, level=3).count() == 2


def test_a_key_that_is_not_a_uuid_is_refused(world, client):
    client.force_login(world.pupil.user)
    response = post(
        client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, "een-twee-drie"
    )
    assert response.status_code == 400
    assert "UUID" in response.content.decode()
    assert not SelfAssessment.objects.filter(level=3).exists()


def test_a_key_reused_for_another_request_is_refused(world, client):
    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, key)
    response = post(client, f"/api/goals/{world.goal.pk}/star/", {"starred": True}, key)
    assert response.status_code == 400
    assert not GoalStar.objects.exists()


def test_keys_are_per_user(world, client):
    key = str(uuid.uuid4())
    client.force_login(world.pupil.user)
    post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, key)
    client.force_login(world.classmate.user)
    response = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 4}, key)
    assert response.status_code == 201 and response.json()["pupil"] == world.classmate.pk


def test_a_refused_write_does_not_burn_the_key(world, client):
    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    bad = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 9}, key)
    assert bad.status_code == 400
    good = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 4}, key)
    assert good.status_code == 201


def test_starring_is_idempotent_too(world, client):
    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    for _ in range(3):
        response = post(client, f"/api/goals/{world.goal.pk}/star/", {"starred": True}, key)
    assert response.json() == {"starred": True}
    assert GoalStar.objects.filter(pupil=world.pupil).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_with_one_key_store_one_mark(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    key = str(uuid.uuid4())
    before = SelfAssessment.objects.count()
    start = threading.Barrier(12)
    responses, errors = [], []

    def send():
        client = Client()
        client.force_login(world.pupil.user)
        try:
            start.wait()
            responses.append(
                post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 4}, key)
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert [r.status_code for r in responses] == [201] * 12
    assert len({r.json()["id"] for r in responses}) == 1
    assert SelfAssessment.objects.count() == before + 1
    assert UsageEvent.objects.filter(verb="self_assessed", context__level=4).count() == 1


def test_old_stored_answers_are_purged_and_recent_ones_still_replay(world, client):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from classroom.models import IdempotencyRecord

    client.force_login(world.pupil.user)
    old_key, recent_key = str(uuid.uuid4()), str(uuid.uuid4())
    post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 2}, old_key)
    post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, recent_key)
    IdempotencyRecord.objects.filter(key=old_key).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [uuid.UUID(recent_key)]
    # The recent retry is still answered from the store; nothing is written twice.
    again = post(client, "/api/self-assessments/", {"goal": world.goal.pk, "level": 3}, recent_key)
    assert again["Idempotent-Replayed"] == "true"
    assert SelfAssessment.objects.filter(pupil=world.pupil, level=3).count() == 1


def test_purging_needs_at_least_a_day(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("purge_idempotency_keys", days=0)


def test_a_retry_whose_write_would_now_be_refused_still_gets_the_stored_answer(world, client):
    """The write runs again for a retry (no look-up first); when it is refused now (the
    lesson ended meanwhile), the stored answer is still the answer, and nothing is written."""
    from classroom import actions
    from classroom.models import Lesson

    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    body = {"lesson": world.lesson.pk, "aspect": "place", "value": world.place.pk}
    first = post(client, "/api/logbook-entries/choose/", body, key)
    assert first.status_code == 200
    actions.end_lesson(world.lesson, acting_user=world.teacher)
    before = Lesson.objects.get(pk=world.lesson.pk).seq, UsageEvent.objects.count()
    again = post(client, "/api/logbook-entries/choose/", body, key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert (Lesson.objects.get(pk=world.lesson.pk).seq, UsageEvent.objects.count()) == before
    # A new key is refused as the lesson now is.
    fresh = post(client, "/api/logbook-entries/choose/", body, str(uuid.uuid4()))
    assert fresh.status_code == 400


def test_a_retry_that_runs_again_is_rolled_back_whole(world, client):
    from classroom.models import Lesson

    client.force_login(world.pupil.user)
    key = str(uuid.uuid4())
    body = {"lesson": world.lesson.pk, "aspect": "instruction", "value": {"wanted": True}}
    first = post(client, "/api/logbook-entries/choose/", body, key)
    before = Lesson.objects.get(pk=world.lesson.pk).seq, UsageEvent.objects.count()
    again = post(client, "/api/logbook-entries/choose/", body, key)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    # Its sequence number and usage event went with the rollback.
    assert (Lesson.objects.get(pk=world.lesson.pk).seq, UsageEvent.objects.count()) == before
