"""The lesson on the digibord (issue 17 item 3): numbers per place and per goal, the
instruction group and the lesson's position, for the whole class to see; no name."""

import re

import pytest

from logbook import entries

pytestmark = pytest.mark.django_db


def test_the_class_screen_counts_and_names_nobody(world, client):
    entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="place", value=world.place.pk)
    entries.choose(
        pupil=world.classmate, lesson=world.lesson, aspect="instruction", value={"wanted": True}
    )
    client.force_login(world.teacher)
    for url in (
        f"/leerkracht/les/{world.lesson.pk}/digibord/",
        f"/leerkracht/les/{world.lesson.pk}/digibord/?fotos=1",
    ):
        page = client.get(url).content.decode()
        body = page.split('data-testid="lesson-digibord"')[1]
        for pupil in world.group.pupils.all():
            assert pupil.display_name not in body
        assert world.teacher.username not in body.split("<script")[0]
        places = body.split('data-testid="ld-places"')[1].split("</ul>")[0]
        assert re.search(r"Stiltehoek</span><strong>1<small> / 4</small>", places)
        goals = body.split('data-testid="ld-goals"')[1].split("</ul>")[0]
        assert "Ik kan breuken vergelijken.</span><strong>1</strong>" in goals  # Noor's goal
        assert 'data-testid="ld-instruction-count">1<' in body
        assert 'data-testid="ld-quadrant"' in body
    # The instruction group's pictures only when the teacher asks for them.
    assert 'data-testid="ld-instruction-pictures"' in page
    plain = client.get(f"/leerkracht/les/{world.lesson.pk}/digibord/").content.decode()
    assert 'data-testid="ld-instruction-pictures"' not in plain
