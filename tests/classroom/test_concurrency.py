"""Simultaneous wrong codes cannot slip past the lock."""

import threading

import pytest
from django.db import close_old_connections

from classroom import actions
from tests.conftest import build_world


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_wrong_codes_lock_after_exactly_five(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    results, errors = [], []
    start = threading.Barrier(20)

    def guess():
        try:
            start.wait()
            results.append(actions.check_picture_code(world.pupil, ["moon", "moon", "moon"]))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 20 and not any(r.ok for r in results)
    # Exactly five guesses were judged (the fifth set the lock); the lock answered the rest.
    assert sorted(r.attempts_left for r in results if r.attempts_left) == [1, 2, 3, 4]
    assert sum(1 for r in results if r.locked) == 16
    world.pupil.refresh_from_db()
    assert world.pupil.is_locked()
    assert not actions.check_picture_code(world.pupil, ["sun", "fish", "star"]).ok
