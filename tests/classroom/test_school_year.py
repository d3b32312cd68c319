"""The school year's turn (classroom/school_year.py, issue 21 item 2): a preview that says
where each pupil goes and who needs a choice; the turn archives the year's groups
(read-only, for pages, API and rules alike) and starts the next with new groups, class
codes and picture codes; groep 8 leaves; the doelenboekje keeps last year's blocks; and
the retention setting removes what is past its time (research/retention.py)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from classroom import actions, school_year
from classroom.models import (
    AuditRecord,
    FormerGroup,
    Group,
    Lesson,
    Pupil,
    UsageEvent,
    current_school_year,
)
from classroom.permissions import can, readable
from goals import actions as goal_actions
from goals.models import Block
from planboard.models import Activity, Board
from research import actions as research_actions
from research import retention

User = get_user_model()


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def turn_open(settings):
    """The turn opens a year ahead here, so the tests turn the year whatever the date
    (test_the_turn_opens_in_the_summer_only keeps the real 8 weeks)."""
    settings.SCHOOL_YEAR_TURN_WEEKS = 52


def _school(world):
    """De Linde with a group for every year its pupils go to, a groep 8 and a 1-2."""
    groep7 = actions.create_group(school=world.school, name="Groep 7", year_from=7)
    groep4 = actions.create_group(school=world.school, name="Groep 4", year_from=4)
    groep8 = actions.create_group(
        school=world.school, name="Groep 8", year_from=8, teachers=[world.colleague]
    )
    kleuters = actions.create_group(
        school=world.school, name="De Beren", year_from=1, year_to=2, teachers=[world.teacher]
    )
    lars = actions.create_pupil(group=groep8, display_name="Lars")
    bo = actions.create_pupil(group=kleuters, display_name="Bo")
    fien = actions.create_pupil(group=kleuters, display_name="Fien")
    # Fien was in a 1-2 group last year too: she is in her second year of it.
    earlier = actions.create_group(school=world.school, name="De Beren", year_from=1, year_to=2)
    Group.objects.filter(pk=earlier.pk).update(
        archived_at=timezone.now() - timedelta(days=120), school_year=current_school_year() - 1
    )
    FormerGroup.objects.create(pupil=fien, group=earlier)
    return {"groep7": groep7, "groep4": groep4, "groep8": groep8, "kleuters": kleuters} | {
        "lars": lars,
        "bo": bo,
        "fien": fien,
    }


def _targets(plan):
    return {m.pupil.display_name: (m.target.name if m.target else None) for m in plan.moves}


def test_the_preview_names_each_pupil_without_a_group_for_next_year(world):
    plan = school_year.plan(world.school)
    # Groep 6 goes to 7 and groep 3 to 4, and the school has neither yet.
    assert sorted(plan.errors) == [
        "Daan: geen groep heeft volgend jaar groep 7. Kies een groep.",
        "Noor: geen groep heeft volgend jaar groep 7. Kies een groep.",
        "Sem: geen groep heeft volgend jaar groep 4. Kies een groep.",
    ]
    with pytest.raises(ValidationError):
        actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    assert not Group.objects.filter(archived_at__isnull=False).exists()
    # The admin's choice settles it.
    pupils = {m.pupil.display_name: m.pupil.pk for m in plan.moves}
    chosen = school_year.plan(
        world.school,
        {pupils["Noor"]: str(world.group.pk), pupils["Daan"]: "leave", pupils["Sem"]: "leave"},
    )
    assert chosen.errors == []
    assert _targets(chosen) == {"Noor": "Groep 6", "Daan": None, "Sem": None}


def test_the_default_plan_moves_up_keeps_a_first_year_kleuter_and_lets_groep_8_go(world):
    s = _school(world)
    plan = school_year.plan(world.school)
    assert plan.errors == []
    assert _targets(plan) == {
        "Noor": "Groep 7",
        "Daan": "Groep 7",
        "Sem": "Groep 4",
        "Lars": None,  # groep 8 leaves the school
        "Bo": "De Beren",  # first year of the 1-2 group: stays
        "Fien": "Groep 3",  # second year of it: goes up
    }
    assert plan.counts == {"groups": 6, "moving": 5, "leaving": 1}
    assert (plan.from_year, plan.to_year) == (current_school_year(), current_school_year() + 1)
    # Parallel groups: the one whose name matches.
    actions.create_group(school=world.school, name="Groep 7b", year_from=7)
    actions.create_group(school=world.school, name="Groep 6b", year_from=6)
    sixb = actions.create_pupil(group=world.school.groups.get(name="Groep 6b"), display_name="Ilse")
    assert _targets(school_year.plan(world.school))[sixb.display_name] == "Groep 7b"
    assert s["groep8"].pupils.count() == 1  # the preview changed nothing


def test_the_turn_archives_the_year_and_starts_the_next(world, django_assert_max_num_queries):
    s = _school(world)
    noor = world.pupil
    old_code, old_card = noor.picture_code, noor.login_token
    old_class_code = world.group.class_code
    plan = actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    new_year = current_school_year() + 1
    old = Group.objects.get(pk=world.group.pk)
    assert old.archived_at is not None and old.school_year == current_school_year()
    current = {g.name: g for g in world.school.groups.current()}
    assert sorted(current) == ["De Beren", "Groep 3", "Groep 4", "Groep 6", "Groep 7", "Groep 8"]
    assert {g.school_year for g in current.values()} == {new_year}
    # The new groups: same years, teachers, places and corners; a new class code.
    six = current["Groep 6"]
    assert (six.year_from, six.year_to) == (6, 6)
    assert list(six.teachers.all()) == [world.teacher]
    assert list(six.places.values_list("name", "icon", "capacity")) == [("Stiltehoek", "quiet", 4)]
    assert sorted(Activity.objects.filter(group=six).values_list("name", flat=True)) == [
        "Bouwhoek",
        "Leeshoek",
    ]
    assert six.class_code != old_class_code
    assert not six.lessons.exists() and not six.blocks.exists()
    # Pupils went up with new login cards; the old group is their former group.
    noor.refresh_from_db()
    assert noor.group == current["Groep 7"]
    assert noor.picture_code != old_code or noor.login_token != old_card
    assert noor.login_token != old_card
    assert list(noor.former_groups.values_list("group_id", flat=True)) == [world.group.pk]
    assert Pupil.objects.get(pk=s["bo"].pk).group == current["De Beren"]
    assert Pupil.objects.get(pk=s["fien"].pk).group == current["Groep 3"]
    lars = Pupil.objects.get(pk=s["lars"].pk)
    left = (lars.active, lars.left_on, lars.group_id)
    assert left == (False, timezone.localdate(), s["groep8"].pk)
    record = AuditRecord.objects.get(action="school_year_turned")
    assert record.detail == {
        "school_year": f"{new_year}-{new_year + 1}",
        "groups": 6,
        "moving": 5,
        "leaving": 1,
    }
    assert plan.counts == {"groups": 6, "moving": 5, "leaving": 1}
    # Once a year: the next turn is refused until the new year has begun.
    with pytest.raises(ValidationError, match="is hier al begonnen"):
        actions.turn_school_year(school=world.school, acting_user=world.school_admin)


def test_last_years_lessons_boards_and_blocks_are_read_only(world):
    _school(world)
    actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    teacher = world.teacher
    lesson = Lesson.objects.get(pk=world.lesson.pk)
    assert can(teacher, "read", lesson)
    assert not can(teacher, "change", lesson) and not can(teacher, "run", lesson)
    board = Board.objects.get(pk=world.board.pk)
    assert can(teacher, "read", board) and not can(teacher, "change", board)
    block = Block.objects.get(pk=world.block.pk)
    assert can(teacher, "read", block) and not can(teacher, "change", block)
    client = Client()
    client.force_login(teacher)
    # The API refuses a change; the lesson page (a teacher's dashboard) too.
    response = client.patch(
        f"/api/lessons/{lesson.pk}/", {"title": "Nog eens"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get(reverse("frontend:lesson", args=[lesson.pk])).status_code == 403
    # The old group reads as an archive; the home page lists it apart.
    page = client.get(reverse("frontend:group", args=[world.group.pk])).content.decode()
    assert "niet meer veranderen" in page
    assert "Breuken" in page and "Rekenen blok 3" in page
    home = client.get(reverse("frontend:teacher-home")).content.decode()
    assert "Eerdere schooljaren" in home
    # The old class code no longer opens a class.
    old_class = reverse("frontend:class-grid", args=[world.group.class_code])
    assert client.get(old_class).status_code == 404
    # A pupil cannot mark last year's goal again.
    noor = Pupil.objects.get(pk=world.pupil.pk)
    with pytest.raises(ValidationError):
        goal_actions.assess_self(pupil=noor, goal=world.goal, level=3)


def test_the_doelenboekje_shows_last_years_blocks(world):
    _school(world)
    actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    noor = Pupil.objects.get(pk=world.pupil.pk)
    seven = noor.group
    this_year = goal_actions.create_block(
        group=seven,
        name="Rekenen blok 1",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + timedelta(days=30),
    )
    assert set(readable(noor.user, Block.objects.all())) == {this_year, world.block}
    client = Client()
    client.force_login(noor.user)
    page = client.get(reverse("frontend:pupil-booklet")).content.decode()
    assert "Eerdere schooljaren" in page and "Rekenen blok 3" in page
    old = client.get(reverse("frontend:pupil-booklet-block", args=[world.block.pk]))
    text = old.content.decode()
    assert "Ik kan breuken vergelijken." in text  # last year's goal, with her marks
    assert "een blok van een eerder schooljaar" in text
    # Daan's old group is no booklet of Sem's: another group's block stays out of reach.
    sem = Pupil.objects.get(pk=world.other_pupil.pk)
    client.force_login(sem.user)
    assert (
        client.get(reverse("frontend:pupil-booklet-block", args=[world.block.pk])).status_code
        == 404
    )
    # Noor's teacher this year opens her booklet at last year's block.
    client.force_login(world.teacher)
    actions.assign_teacher(group=seven, user=world.teacher)
    url = reverse("frontend:teacher-pupil-booklet", args=[noor.pk])
    page = client.get(url, {"blok": world.block.pk}).content.decode()
    assert "Ik kan breuken vergelijken." in page and "alleen lezen" in page


def test_the_turn_page_previews_changes_and_applies(world):
    _school(world)
    client = Client()
    client.force_login(world.teacher)
    url = reverse("frontend:school-year", args=[world.school.pk])
    assert client.get(url).status_code == 403  # a teacher, not the school's admin
    client.force_login(world.school_admin)
    page = client.get(url).content.decode()
    assert "Nieuw schooljaar" in page and "gaat van school" in page
    noor = world.pupil.pk
    response = client.post(url, {f"pupil-{noor}": "leave", "confirm": "0"})
    assert response.status_code == 200
    assert "2 leerlingen gaan van school" in response.content.decode()
    assert (
        not Group.objects.filter(archived_at__isnull=False, school=world.school)
        .exclude(name="De Beren")
        .exists()
    )
    response = client.post(url, {f"pupil-{noor}": "leave", "confirm": "1"})
    assert response.status_code == 302
    assert not Pupil.objects.get(pk=noor).active
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 400
    assert "is hier al begonnen" in response.content.decode()


def test_retention_erases_leavers_and_old_years_when_their_time_has_come(world, settings):
    s = _school(world)
    actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    lars = s["lars"]
    assert retention.counts() == {"leavers": 0, "past_years": 0, "usage_events": 0, "audit_log": 0}
    later = timezone.now() + timedelta(days=settings.RETENTION_DAYS["leavers"] + 1)
    due = retention.counts(later)
    assert due["leavers"] == 1  # Lars, a year after he left
    assert due["past_years"] == 0  # last year's lessons stay two years
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "leavers (kept 365 days): 0 due" in out.getvalue()
    removed = research_actions.apply_retention(later)
    assert removed["leavers"] == 1
    assert not Pupil.objects.filter(pk=lars.pk).exists()
    assert Lesson.objects.filter(pk=world.lesson.pk).exists()
    much_later = timezone.now() + timedelta(days=settings.RETENTION_DAYS["past_years"] + 1)
    events_before = UsageEvent.objects.count()
    removed = research_actions.apply_retention(much_later)
    assert removed["past_years"] == 4  # two lessons (groep 6, groep 3), two planbord boards
    assert not Lesson.objects.filter(pk=world.lesson.pk).exists()
    assert not Board.objects.filter(group=world.group).exists()
    # The doelenboekje goes on: last year's block, goals and marks stay.
    assert Block.objects.filter(pk=world.block.pk).exists()
    assert world.goal.self_assessments.filter(pupil=world.pupil).exists()
    assert UsageEvent.objects.count() <= events_before
    assert AuditRecord.objects.filter(action="retention_applied").count() == 2
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "usage_events (kept 1095 days): 0 removed" in out.getvalue()


def test_the_turn_opens_in_the_summer_only(world, settings, monkeypatch):
    _school(world)
    settings.SCHOOL_YEAR_TURN_WEEKS = 8
    year = current_school_year()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year, 12, 1))
    errors = school_year.plan(world.school).errors
    assert any("is hier al begonnen" in e for e in errors)  # not in the middle of a year
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year + 1, 6, 15))
    assert school_year.plan(world.school).errors == []  # from some weeks before 1 August
    actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year + 1, 8, 20))
    assert any("is hier al begonnen" in e for e in school_year.plan(world.school).errors)


def test_a_strange_choice_is_named_and_the_superuser_cannot_change_last_year(world):
    _school(world)
    plan = school_year.plan(world.school, {world.pupil.pk: "²"})
    assert "Noor: kies een van de groepen van de school." in plan.errors
    actions.turn_school_year(school=world.school, acting_user=world.school_admin)
    root = User.objects.create_superuser("beheer", password="x" * 20)
    lesson = Lesson.objects.get(pk=world.lesson.pk)
    assert can(root, "read", lesson) and not can(root, "change", lesson)
    assert not can(root, "create", Group.objects.get(pk=world.group.pk), model=Lesson)
