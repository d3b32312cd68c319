"""A teacher prepares lessons in the app (issue 16): the group page is her day, a new
lesson offers only her group's goals and places, a lesson copies to another date, and
one that has not started can be edited and deleted."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from classroom import actions
from classroom.models import Lesson
from goals import actions as goal_actions
from goals.models import Goal

pytestmark = pytest.mark.django_db


def form_data(world, **changes):
    data = {
        "title": "Tafels oefenen",
        "subject": "rekenen",
        "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "goal_openness": "choice",
        "instruction_openness": "free",
        "place_openness": "choice",
        "partner_openness": "fixed",
        "order_openness": "fixed",
        "fixed_instruction": "",
        "differentiation": "level_groups",
        "goal_options": [world.goal.pk],
        "place_options": [world.place.pk],
    }
    return data | changes


def html(response) -> str:
    return response.content.decode()


def checked_values(page: str, name: str) -> set[str]:
    """The values of the checked inputs called `name` (radios and checkboxes)."""
    values = set()
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and " checked" in tag:
            values.add(re.search(r'value="([^"]*)"', tag).group(1))
    return values


def test_the_group_page_opens_on_todays_lessons_with_start(world, client_as):
    planned = actions.create_lesson(group=world.group, title="Spelling", subject="spelling")
    later = actions.create_lesson(
        group=world.group, title="Meten", date=timezone.localdate() + timedelta(days=3)
    )
    page = html(client_as(world.teacher).get(f"/leerkracht/groep/{world.group.pk}/"))
    day = page.index('data-testid="teacher-day"')
    # Today's lessons and what is coming come before the pupil table.
    assert day < page.index("Spelling") < page.index('id="pupils-heading"')
    assert day < page.index("Meten") < page.index('id="pupils-heading"')
    assert page.index('data-testid="new-lesson"') < page.index('id="pupils-heading"')
    # The running lesson opens its dashboard; the planned one starts from here.
    assert f'href="/leerkracht/les/{world.lesson.pk}/" data-testid="open-dashboard"' in page
    assert f'action="/leerkracht/les/{planned.pk}/start/"' in page
    assert f"/leerkracht/les/{later.pk}/bewerken/" in page
    # A given lesson cannot be edited from here, only copied.
    assert f"/leerkracht/les/{world.lesson.pk}/bewerken/" not in page
    assert f"?van={world.lesson.pk}" in page


def test_start_on_the_group_page_starts_the_lesson_and_opens_its_dashboard(world, client_as):
    planned = actions.create_lesson(group=world.group, title="Spelling", subject="spelling")
    response = client_as(world.teacher).post(f"/leerkracht/les/{planned.pk}/start/")
    assert response.status_code == 302
    assert response["Location"] == f"/leerkracht/les/{planned.pk}/"
    planned.refresh_from_db()
    assert planned.is_running


def test_a_new_lesson_offers_only_the_groups_goals_and_places(world, client_as):
    actions.create_place(group=world.other_group, name="Leeskring", icon="quiet")
    page = html(client_as(world.teacher).get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/"))
    assert "Ik kan breuken vergelijken." in page
    assert "Ik kan procenten uitrekenen." in page
    assert world.other_goal.statement not in page
    assert "Stiltehoek" in page and "Leeskring" not in page
    # No multi-select box anywhere: radios and checkboxes a finger can hit.
    assert "<select multiple" not in page and " multiple" not in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_a_new_lesson_is_saved_with_its_options_and_shows_on_the_day(world, client_as):
    client = client_as(world.teacher)
    response = client.post(f"/leerkracht/groep/{world.group.pk}/les/nieuw/", form_data(world))
    assert response.status_code == 302
    assert response["Location"] == f"/leerkracht/groep/{world.group.pk}/"
    lesson = Lesson.objects.get(group=world.group, title="Tafels oefenen")
    assert lesson.date == timezone.localdate() + timedelta(days=2)
    assert (lesson.goal_openness, lesson.instruction_openness) == ("choice", "free")
    assert lesson.differentiation == "level_groups"
    assert list(lesson.goal_options.all()) == [world.goal]
    assert list(lesson.place_options.all()) == [world.place]
    assert lesson.started_at is None
    page = html(client.get(response["Location"]))
    assert "is planned for" in page or "staat gepland" in page
    upcoming = page.index('data-testid="upcoming-lesson-row"')
    assert page.index("Tafels oefenen", upcoming) < page.index('id="pupils-heading"')


def test_another_groups_goal_or_place_is_a_form_error_and_nothing_is_saved(world, client_as):
    client = client_as(world.teacher)
    foreign_place = actions.create_place(group=world.foreign_group, name="Kring", icon="quiet")
    before = Lesson.objects.count()
    for bad in ({"goal_options": [world.other_goal.pk]}, {"place_options": [foreign_place.pk]}):
        response = client.post(
            f"/leerkracht/groep/{world.group.pk}/les/nieuw/", form_data(world, **bad)
        )
        assert response.status_code == 400
        assert 'data-testid="form-error"' in html(response)
    assert Lesson.objects.count() == before


def test_a_bad_form_keeps_what_the_teacher_typed(world, client_as):
    response = client_as(world.teacher).post(
        f"/leerkracht/groep/{world.group.pk}/les/nieuw/",
        form_data(world, title="   ", date="2026-02-30"),
    )
    assert response.status_code == 400
    page = html(response)
    assert page.count('data-testid="form-error"') == 2
    assert checked_values(page, "goal_openness") == {"choice"}
    assert checked_values(page, "differentiation") == {"level_groups"}
    assert checked_values(page, "goal_options") == {str(world.goal.pk)}


def test_presets_and_the_previous_lesson_are_offered(world, client_as):
    page = html(client_as(world.teacher).get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/"))
    presets = re.search(r'id="lesson-presets"[^>]*>(.*?)</script>', page).group(1)
    config = json.loads(presets)
    assert config["presets"]["whole_class"]["goal"] == "fixed"
    assert config["presets"]["free"]["order"] == "free"
    # The previous lesson is the running "Breuken" with its goal option.
    assert config["previous"]["openness"]["goal"] == "choice"
    assert config["previous"]["goal_options"] == [str(world.goal.pk)]
    # All fixed by default: the intended regie reads 0%.
    assert re.search(r"<output data-regie>0%</output>", page)


def test_a_lesson_copies_to_another_date_with_everything_it_offered(world, client_as):
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van={world.lesson.pk}"))
    assert 'value="Breuken"' in page
    assert checked_values(page, "goal_openness") == {"choice"}
    assert checked_values(page, "goal_options") == {str(world.goal.pk)}
    next_week = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert f'value="{next_week}"' in page
    # The copy is saved as it was shown.
    copy = actions.copy_lesson(world.lesson, date=timezone.localdate() + timedelta(days=7))
    assert copy.pk != world.lesson.pk and copy.started_at is None
    assert copy.title == "Breuken" and copy.partner_openness == "choice"
    assert list(copy.goal_options.all()) == [world.goal]


def test_another_groups_lesson_cannot_be_copied_in(world, client_as):
    client = client_as(world.teacher)
    url = f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van={world.other_lesson.pk}"
    assert client.get(url).status_code == 404
    # A malformed source or an impossible date is a fresh form, never an error.
    assert client.get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/?van=²").status_code == 200
    response = client.get(f"/leerkracht/groep/{world.group.pk}/les/nieuw/?datum=2026-02-30")
    assert response.status_code == 200


def test_editing_a_planned_lesson_and_saving_unchanged_keeps_every_field(world, client_as):
    block = goal_actions.create_block(
        group=world.group,
        name="Rekenen blok 2",
        start_date=timezone.localdate() - timedelta(days=60),
        end_date=timezone.localdate() - timedelta(days=30),
    )
    old_goal = goal_actions.create_goal(
        block=block,
        strand=world.strand,
        code="G6-2.1",
        statement="Ik kan delen.",
        levels=["a", "b", "c"],
    )
    planned = actions.create_lesson(
        group=world.group,
        title="Herhaling",
        subject="rekenen",
        date=timezone.localdate() + timedelta(days=1),
        goal_openness="free",
        order_openness="choice",
        fixed_instruction=False,
        differentiation="individual",
        goals=[old_goal, world.goal],
        places=[world.place],
    )
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/les/{planned.pk}/bewerken/"))
    # The saved date shows in the date control (ISO), the older block's goal is ticked.
    assert f'value="{planned.date.isoformat()}"' in page
    assert checked_values(page, "goal_options") == {str(old_goal.pk), str(world.goal.pk)}
    fields = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="(title|date)"[^>]*value="([^"]*)"', page)
    }
    data = fields | {"subject": "rekenen"}
    for name in [
        "goal_openness",
        "instruction_openness",
        "place_openness",
        "partner_openness",
        "order_openness",
        "fixed_instruction",
        "differentiation",
    ]:
        (data[name],) = checked_values(page, name)
    data["goal_options"] = sorted(checked_values(page, "goal_options"))
    data["place_options"] = sorted(checked_values(page, "place_options"))
    before = Lesson.objects.filter(pk=planned.pk).values().get()
    response = client.post(f"/leerkracht/les/{planned.pk}/bewerken/", data)
    assert response.status_code == 302
    assert Lesson.objects.filter(pk=planned.pk).values().get() == before
    assert set(planned.goal_options.all()) == {old_goal, world.goal}
    assert list(planned.place_options.all()) == [world.place]


def test_a_given_lesson_is_not_edited_or_deleted_here(world, client_as):
    client = client_as(world.teacher)
    response = client.get(f"/leerkracht/les/{world.lesson.pk}/bewerken/")
    assert response["Location"] == f"/leerkracht/les/{world.lesson.pk}/"
    response = client.post(f"/leerkracht/les/{world.lesson.pk}/verwijderen/")
    assert response.status_code == 302
    assert Lesson.objects.filter(pk=world.lesson.pk).exists()
    assert world.lesson.logbook_entries.exists()


def test_a_planned_lesson_can_be_deleted(world, client_as):
    planned = actions.create_lesson(group=world.group, title="Weg ermee", goals=[world.goal])
    response = client_as(world.teacher).post(f"/leerkracht/les/{planned.pk}/verwijderen/")
    assert response["Location"] == f"/leerkracht/groep/{world.group.pk}/"
    assert not Lesson.objects.filter(pk=planned.pk).exists()
    assert Goal.objects.filter(pk=world.goal.pk).exists()


def test_a_colleague_cannot_plan_in_a_group_she_does_not_teach(world, client_as):
    client = client_as(world.colleague)
    before = Lesson.objects.count()
    url = f"/leerkracht/groep/{world.group.pk}/les/nieuw/"
    # Not her group: as if it did not exist.
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(world)).status_code == 404
    assert Lesson.objects.count() == before
