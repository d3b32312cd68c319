"""A new teacher of groep 8 and one of groep 1-2 each prepare a week in the app on a
laptop (1366x657): goals, places, lessons, the planbord. None of it opens Beheer
(issue 16, item 6)."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom import actions
from classroom.models import Lesson, Place
from goals.models import Goal
from planboard.models import Activity, Board, Plan
from tests.images import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 657}
PASSWORD = "correct horse 42"
SHOTS = os.environ.get("LEERREGIE_SHOTS")  # a folder: save screenshots to look at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def teacher_of(world, username, group_name, year_from, year_to=None, pupils=()):
    user = actions.create_staff_user(school=world.school, username=username, password=PASSWORD)
    group = actions.create_group(
        school=world.school,
        name=group_name,
        year_from=year_from,
        year_to=year_to,
        teachers=[user],
    )
    for name in pupils:
        actions.create_pupil(group=group, display_name=name)
    return group


def laptop_page(new_context, username):
    page = new_context().new_page()
    page.set_viewport_size(LAPTOP)
    beheer = []
    page.on("request", lambda r: "/admin/" in r.url and beheer.append(r.url))
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_test_id("group-list").get_by_role("link").first.click()
    return page, beheer


def add_goal(page, code, statement, *, picture=None, another=True):
    form = page.get_by_test_id("goal-form")
    form.get_by_label("Code").fill(code)
    form.get_by_label("Doel voor leerlingen").fill(statement)
    form.get_by_label("Leerlijn").fill("Getallen")
    for level, words in enumerate(["Ik ben begonnen", "Het lukt met hulp", "Het lukt alleen"], 1):
        form.get_by_label(f"Niveau {level}", exact=False).first.fill(words)
    if picture:
        form.locator(f"[data-testid=picture-option] input[value={picture}]").check()
    page.get_by_test_id("save-and-new" if another else "save-goal").click()


def test_a_groep_8_teacher_prepares_her_week(world, new_context):
    group = teacher_of(world, "meester.ruud", "Groep 8", 8, pupils=["Daan", "Sara", "Yusuf"])
    page, beheer = laptop_page(new_context, "meester.ruud")

    # A new block with three goals and their rubrics.
    page.get_by_test_id("open-blocks").click()
    form = page.get_by_test_id("block-form")
    form.get_by_label("Naam").fill("Rekenen blok 2")
    form.get_by_test_id("create-block").click()
    page.get_by_test_id("new-goal").click()
    add_goal(page, "G8-2.1", "Ik kan procenten van een bedrag uitrekenen.", picture="star")
    add_goal(page, "G8-2.2", "Ik kan breuken vermenigvuldigen.")
    add_goal(page, "G8-2.3", "Ik kan een schaal gebruiken.", another=False)
    goals = page.get_by_test_id("goal-item")
    expect(goals).to_have_count(3)
    expect(goals.first.locator("img[src$='level-3.svg']")).to_have_count(1)
    shot(page, "g8-block-goals")
    assert Goal.objects.filter(block__group=group).count() == 3

    # Places: the instruction table and the quiet corner.
    page.get_by_role("link", name="← Doelenboekjes · Groep 8").click()
    page.get_by_role("link", name="← Groep 8").click()
    page.get_by_test_id("open-places").click()
    for name, icon, capacity in [("Instructietafel", "table", "6"), ("Stiltehoek", "quiet", "")]:
        form = page.get_by_test_id("place-form")
        form.get_by_label("Naam").fill(name)
        form.locator(f"input[name=icon][value={icon}]").check()
        form.get_by_label("Hoeveel leerlingen tegelijk").fill(capacity)
        page.get_by_test_id("save-place").click()
    expect(page.get_by_test_id("place-item")).to_have_count(2)
    shot(page, "g8-places")

    # Two lessons: today's, and a copy for the same day next week.
    page.get_by_role("link", name="← Groep 8").click()
    page.get_by_test_id("new-lesson").click()
    page.get_by_test_id("lesson-form").get_by_label("Titel").fill("Procenten")
    page.get_by_test_id("preset-options").click()
    page.get_by_test_id("goal-option").filter(has_text="procenten").click()
    page.get_by_test_id("goal-option").filter(has_text="schaal").click()
    page.get_by_test_id("place-option").filter(has_text="Stiltehoek").click()
    page.get_by_test_id("save-lesson").click()
    row = page.get_by_test_id("today-lesson-row").filter(has_text="Procenten")
    row.get_by_test_id("copy-lesson").click()
    later = timezone.localdate() + timedelta(days=7)
    page.get_by_test_id("lesson-form").get_by_label("Datum").fill(later.isoformat())
    page.get_by_test_id("save-lesson").click()
    expect(page.get_by_test_id("upcoming-lesson-row").filter(has_text="Procenten")).to_be_visible()
    lessons = Lesson.objects.filter(group=group, title="Procenten")
    assert sorted(lesson.date for lesson in lessons) == [timezone.localdate(), later]
    for lesson in lessons:
        assert sorted(g.code for g in lesson.goal_options.all()) == ["G8-2.1", "G8-2.3"]
        assert [p.name for p in lesson.place_options.all()] == ["Stiltehoek"]

    # And today's starts from the group page.
    page.get_by_test_id("today-lesson-row").filter(has_text="Procenten").get_by_test_id(
        "start-lesson"
    ).click()
    expect(page.get_by_test_id("lesson-running")).to_be_visible()
    assert Lesson.objects.get(group=group, date=timezone.localdate()).is_running
    assert beheer == []


def test_a_groep_1_2_teacher_prepares_a_planbord_week(world, new_context, tmp_path):
    group = teacher_of(world, "juf.kim", "Groep 1-2", 1, 2, pupils=["Mila", "Bram", "Ties"])
    page, beheer = laptop_page(new_context, "juf.kim")

    # Goals from the school's CSV: a preview first, then imported.
    page.get_by_test_id("open-blocks").click()
    form = page.get_by_test_id("block-form")
    form.get_by_label("Naam").fill("Thema herfst")
    form.get_by_test_id("create-block").click()
    page.get_by_role("link", name="← Doelenboekjes · Groep 1-2").click()
    csv = tmp_path / "doelen.csv"
    csv.write_text(
        "leerlijn;blok;code;doel;beschrijving;pictogram;niveau_1;niveau_2;niveau_3\n"
        "Tellen;Thema herfst;K-1;Ik kan tot 10 tellen.;;;Begonnen;Met hulp;Alleen\n"
        "Bouwen;Thema herfst;K-2;Ik kan een hoge toren bouwen.;;;Begonnen;Met hulp;Alleen\n"
        "Taal;Thema herfst;K-3;Ik kan een prentenboek navertellen.;;;Begonnen;Met hulp;Alleen\n",
        encoding="utf-8",
    )
    page.get_by_test_id("import-form").locator("input[type=file]").set_input_files(str(csv))
    page.get_by_test_id("preview-import").click()
    expect(page.get_by_test_id("import-row")).to_have_count(3)
    assert not Goal.objects.filter(block__group=group).exists()
    shot(page, "k-import-preview")
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_text("3 doelen geïmporteerd")).to_be_visible()

    # A corner with her own photo and a goal, and a reading corner.
    page.get_by_role("link", name="← Groep 1-2").click()
    page.get_by_test_id("open-planboard").click()
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    page.get_by_test_id("day-input").fill(monday.isoformat())
    page.get_by_role("button", name="Ga").click()
    photo = tmp_path / "bouwhoek.jpg"
    photo.write_bytes(jpeg_bytes(gps=True))
    for name, picture, capacity in [("Bouwhoek", "building", "4"), ("Leeshoek", "reading", "3")]:
        page.get_by_test_id("new-activity").click()
        form = page.get_by_test_id("activity-form")
        form.get_by_label("Naam").fill(name)
        form.get_by_label("Hoeveel kinderen tegelijk").fill(capacity)
        form.locator(f"input[name=pictogram][value={picture}]").check()
        if name == "Bouwhoek":
            form.get_by_test_id("activity-photo-input").set_input_files(str(photo))
            form.get_by_test_id("activity-goal-option").filter(has_text="toren").click()
        shot(page, f"k-activity-{name}")
        page.get_by_test_id("save-activity").click()
        expect(
            page.get_by_test_id("week-day").filter(has_text=monday.strftime("%-d"))
        ).to_be_visible()
    bouwhoek = Activity.objects.get(group=group, name="Bouwhoek")
    assert bouwhoek.photo and [g.code for g in bouwhoek.goals.all()] == ["K-2"]

    # Monday: both corners on, the reading corner a moetje.
    for name in ("Bouwhoek", "Leeshoek"):
        page.get_by_test_id("activity-row").filter(has_text=name).get_by_test_id(
            "switch-on"
        ).click()
    page.get_by_test_id("activity-row").filter(has_text="Leeshoek").get_by_role(
        "button", name="Maak er een moetje van"
    ).click()
    row = page.get_by_test_id("activity-row").filter(has_text="Bouwhoek")
    expect(row.locator(f"img[src$='/planbord/hoek/{bouwhoek.pk}/foto/']")).to_have_count(1)

    # Copied to Tuesday: the same corners and moetje, no children.
    tuesday = monday + timedelta(days=1)
    page.get_by_test_id("copy-to").fill(tuesday.isoformat())
    page.get_by_test_id("copy-day").click()
    expect(page.get_by_test_id("week-day").filter(has_text="2 activiteiten")).to_have_count(2)
    shot(page, "k-planboard-tuesday")
    board = Board.objects.get(group=group, date=tuesday)
    assert sorted(board.slots.values_list("activity__name", "compulsory")) == [
        ("Bouwhoek", False),
        ("Leeshoek", True),
    ]
    # The whole week to the next: Monday and Tuesday again a week later.
    page.get_by_test_id("copy-week").click()
    expect(page.get_by_text("Gekopieerd naar", exact=False)).to_be_visible()
    for day in (monday + timedelta(days=7), tuesday + timedelta(days=7)):
        copied = Board.objects.get(group=group, date=day).slots
        assert sorted(copied.values_list("activity__name", "compulsory")) == [
            ("Bouwhoek", False),
            ("Leeshoek", True),
        ]

    # On Tuesday she plans Ties, who has not chosen, into the reading corner.
    ties = group.pupils.get(display_name="Ties")
    plan_form = page.get_by_test_id("plan-for-child").filter(has_text="Ties")
    plan_form.get_by_test_id("plan-select").select_option(label="Leeshoek")
    plan_form.get_by_test_id("plan-child").click()
    expect(page.get_by_text("Ties gaat nu naar Leeshoek")).to_be_visible()
    plan = Plan.objects.get(pupil=ties, board=board)
    assert (plan.slot.activity.name, plan.decided_by) == ("Leeshoek", "teacher")

    # The room has a place for the logbook too.
    page.get_by_role("link", name="← Groep 1-2").click()
    page.get_by_test_id("open-places").click()
    page.get_by_test_id("place-form").get_by_label("Naam").fill("Kring")
    page.get_by_test_id("place-form").locator("input[name=icon][value=book]").check()
    page.get_by_test_id("save-place").click()
    assert Place.objects.filter(group=group, name="Kring").exists()
    assert beheer == []
