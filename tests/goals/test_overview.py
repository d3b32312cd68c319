"""The teacher's goal x pupil overview and the per-pupil booklet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classroom import actions as classroom_actions
from goals import actions
from goals.models import TeacherAssessment

LEVELS = ["Ik ben begonnen", "Het lukt met hulp", "Het lukt alleen", "Ik kan het uitleggen"]


def fill_block(world, pupils: int, goals: int = 15):
    for i in range(pupils - world.group.pupils.count()):
        classroom_actions.create_pupil(group=world.group, display_name=f"Leerling {i:02}")
    for i in range(goals - world.block.goals.count()):
        actions.create_goal(
            block=world.block,
            strand=world.strand,
            code=f"X{i:02}",
            statement=f"Ik kan ding {i}.",
            levels=LEVELS,
        )
    for pupil in world.group.pupils.all():
        for goal in world.block.goals.all()[:3]:
            actions.assess_self(pupil=pupil, goal=goal, level=2)
            actions.assess_as_teacher(acting_user=world.teacher, pupil=pupil, goal=goal, level=1)


def overview_queries(client, world) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/leerkracht/blok/{world.block.pk}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_overview_for_5_and_30_pupils_x_15_goals_runs_the_same_queries(world, client):
    client.force_login(world.teacher)
    fill_block(world, pupils=5)
    small, page = overview_queries(client, world)
    assert page.count('data-testid="overview-row"') == 5
    fill_block(world, pupils=30)
    large, page = overview_queries(client, world)
    assert page.count('data-testid="overview-row"') == 30
    assert page.count('data-testid="cell"') == 30 * 15
    assert large == small


def test_the_overview_shows_the_pupils_and_the_teachers_level_side_by_side(world, client):
    client.force_login(world.teacher)
    _n, page = overview_queries(client, world)
    # Noor: her own 2, the teacher's 1, never averaged.
    noor_row = page.split("Noor</a>")[1].split("</tr>")[0]
    assert '<span class="mark-self" aria-label="leerling">2</span>' in noor_row
    assert '<span class="mark-teacher" aria-label="leerkracht">1</span>' in noor_row


def test_the_filter_shows_goals_where_many_pupils_are_still_at_level_1(world, client):
    client.force_login(world.teacher)
    other = world.block.goals.get(code="G6-3.2")
    actions.assess_self(pupil=world.classmate, goal=other, level=3)
    response = client.get(f"/leerkracht/blok/{world.block.pk}/?filter=level1")
    overview = response.context["overview"]
    # G6-3.1: Noor is at level 1 by the teacher's mark (1 of 2 pupils >= a third).
    assert [g.code for g in overview.goals] == ["G6-3.1"]


def test_the_teacher_assesses_with_a_note_on_the_pupil_page(world, client):
    client.force_login(world.teacher)
    url = f"/leerkracht/leerling/{world.pupil.pk}/doel/{world.goal.pk}/beoordeel/"
    response = client.post(url, {"level": "3", "note": "Legt het goed uit aan Daan."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?blok={world.block.pk}#goal-{world.goal.pk}")
    mark = TeacherAssessment.objects.filter(pupil=world.pupil).last()
    assert (mark.level, mark.note, mark.teacher) == (
        3,
        "Legt het goed uit aan Daan.",
        world.teacher,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Legt het goed uit aan Daan." in page and "Opgeslagen" in page


@pytest.mark.parametrize("level,message", [("", "Kies eerst een niveau."), ("7", "geen niveau 7")])
def test_a_bad_teacher_assessment_says_why_and_saves_nothing(world, client, level, message):
    client.force_login(world.teacher)
    before = TeacherAssessment.objects.count()
    url = f"/leerkracht/leerling/{world.pupil.pk}/doel/{world.goal.pk}/beoordeel/"
    page = client.post(url, {"level": level}, follow=True).content.decode()
    assert message in page
    assert TeacherAssessment.objects.count() == before


def test_the_pupil_booklet_history_for_the_teacher(world, client):
    actions.assess_self(pupil=world.pupil, goal=world.goal, level=3)
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/leerling/{world.pupil.pk}/doelenboekje/").content.decode()
    goal_section = page.split(f'id="goal-{world.goal.pk}"')[1].split("</article>")[0]
    # Two own marks and one teacher mark, each with its level's words, not a bare number.
    assert goal_section.count('data-testid="self-mark"') >= 2
    assert goal_section.count('data-testid="teacher-mark"') >= 1
    descriptor = world.goal.levels.get(position=3).descriptor
    assert f"3 · {descriptor}" in goal_section
    assert "Oefent nog met noemers." in goal_section
