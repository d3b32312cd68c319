"""Lists and the group page cost the same number of queries for 5 or 30 pupils."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classroom import actions


def _grow_to(world, n):
    for i in range(n - world.group.pupils.count()):
        actions.create_pupil(group=world.group, display_name=f"Leerling {i}")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/pupils/",
        "/api/lessons/",
        "/leerkracht/",
        "/leerkracht/groep/{group}/",
        "/leerkracht/groep/{group}/kaarten/",
    ],
)
def test_query_count_stays_flat_as_the_class_grows(world, client, url):
    client.force_login(world.teacher)
    url = url.format(group=world.group.pk)
    _grow_to(world, 5)
    small = _count(client, url)
    _grow_to(world, 30)
    assert _count(client, url) == small


def test_the_class_grid_stays_flat(world, client):
    url = f"/klas/{world.group.class_code}/"
    _grow_to(world, 5)
    small = _count(client, url)
    _grow_to(world, 30)
    assert _count(client, url) == small
