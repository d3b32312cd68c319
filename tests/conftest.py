"""Shared personas and the small world they live in.

Two schools. In school A, `teacher` teaches group G (pupils `pupil` and `classmate`),
`colleague` teaches group H (pupil `other_pupil`), `school_admin` runs school A. In
school B, `other_school_teacher` teaches group GB.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from classroom import actions
from classroom.models import Role
from goals import actions as goal_actions
from logbook import actions as logbook_actions
from logbook import entries
from planboard import actions as planboard_actions
from tests.images import jpeg_bytes

PERSONAS = [
    "teacher",
    "colleague",
    "other_school_teacher",
    "school_admin",
    "pupil",
    "classmate",
    "other_pupil",
    "anonymous",
]


@dataclass
class World:
    school: object
    other_school: object
    group: object
    other_group: object
    foreign_group: object
    teacher: object
    colleague: object
    other_school_teacher: object
    school_admin: object
    pupil: object
    classmate: object
    other_pupil: object
    place: object
    lesson: object
    other_lesson: object
    strand: object
    block: object
    goal: object
    other_goal: object
    self_mark: object
    teacher_mark: object
    entry: object
    photo: object
    note: object
    activity: object
    board: object
    slot: object
    slot2: object
    plan: object
    empty_board: object

    def user(self, persona: str):
        if persona == "anonymous":
            return None
        obj = getattr(self, persona)
        return obj.user if hasattr(obj, "user") else obj


def build_world() -> World:
    school = actions.create_school(name="OBS De Linde", city="Zwolle")
    other_school = actions.create_school(name="CBS Het Anker", city="Kampen")

    def staff(school, username, role=Role.TEACHER):
        return actions.create_staff_user(
            school=school, username=username, password="correct horse 42", role=role
        )

    teacher = staff(school, "juf.mirjam")
    colleague = staff(school, "meester.joost")
    school_admin = staff(school, "directeur.karin", Role.SCHOOL_ADMIN)
    other_school_teacher = staff(other_school, "juf.petra")
    group = actions.create_group(school=school, name="Groep 6", year_from=6, teachers=[teacher])
    other_group = actions.create_group(
        school=school, name="Groep 3", year_from=3, teachers=[colleague]
    )
    foreign_group = actions.create_group(
        school=other_school, name="Groep 6b", year_from=6, teachers=[other_school_teacher]
    )
    pupil = actions.create_pupil(group=group, display_name="Noor", picture_code="sun,fish,star")
    classmate = actions.create_pupil(group=group, display_name="Daan", picture_code="moon,tree,car")
    other_pupil = actions.create_pupil(group=other_group, display_name="Sem")
    actions.create_pupil(group=foreign_group, display_name="Lotte")
    place = actions.create_place(group=group, name="Stiltehoek", icon="quiet", capacity=4)
    lesson = actions.create_lesson(group=group, title="Breuken", subject="rekenen")
    other_lesson = actions.create_lesson(group=other_group, title="Lezen", subject="lezen")

    today = timezone.localdate()
    strand = goal_actions.strand_for(school, "Verhoudingen")
    block = goal_actions.create_block(
        group=group,
        name="Rekenen blok 3",
        start_date=today - timedelta(days=7),
        end_date=today + timedelta(days=30),
    )
    levels = ["Ik ben begonnen", "Het lukt met hulp", "Het lukt alleen", "Ik kan het uitleggen"]
    goal = goal_actions.create_goal(
        block=block,
        strand=strand,
        code="G6-3.1",
        statement="Ik kan breuken vergelijken.",
        levels=levels,
    )
    goal_actions.create_goal(
        block=block,
        strand=strand,
        code="G6-3.2",
        statement="Ik kan procenten uitrekenen.",
        levels=levels,
    )
    other_block = goal_actions.create_block(
        group=other_group, name="Lezen blok 1", start_date=today, end_date=today
    )
    other_goal = goal_actions.create_goal(
        block=other_block,
        strand=goal_actions.strand_for(school, "Lezen"),
        code="L3-1",
        statement="Ik kan een tekst hardop lezen.",
        levels=levels[:3],
    )
    self_mark = goal_actions.assess_self(pupil=pupil, goal=goal, level=2)
    teacher_mark = goal_actions.assess_as_teacher(
        teacher=teacher, pupil=pupil, goal=goal, level=1, note="Oefent nog met noemers."
    )
    # A running lesson with goal and place choices open, Noor's entry, photo and a note.
    actions.update_lesson(
        lesson,
        goal_openness="choice",
        place_openness="free",
        instruction_openness="free",
        partner_openness="choice",
    )
    actions.set_lesson_options(lesson, goals=[goal])
    actions.start_lesson(lesson, teacher=teacher)
    entry = entries.choose(pupil=pupil, lesson=lesson, aspect="goal", value=[goal.pk])
    photo = logbook_actions.add_photo(
        pupil=pupil,
        upload=SimpleUploadedFile("werk.jpg", jpeg_bytes()),
        goal=goal,
        lesson=lesson,
        prompt="went_well",
    )
    note = logbook_actions.add_conversation_note(
        teacher=teacher, pupil=pupil, text="Rekengesprek: breuken op de getallenlijn.", goals=[goal]
    )
    # Today's planbord: two corners, Noor in the Bouwhoek; tomorrow's board still empty.
    activity = planboard_actions.create_activity(
        group=group, name="Bouwhoek", pictogram="blocks", capacity=2
    )
    reading = planboard_actions.create_activity(
        group=group, name="Leeshoek", pictogram="book", capacity=3
    )
    board = planboard_actions.board_for(group, today)
    planboard_actions.set_slot(board, activity, on=True)
    planboard_actions.set_slot(board, reading, on=True, compulsory=True)
    slot = board.slots.get(activity=activity)
    slot2 = board.slots.get(activity=reading)
    plan = planboard_actions.plan(pupil=pupil, slot=slot, actor=pupil.user)
    empty_board = planboard_actions.board_for(group, today + timedelta(days=1))
    return World(
        school=school,
        other_school=other_school,
        group=group,
        other_group=other_group,
        foreign_group=foreign_group,
        teacher=teacher,
        colleague=colleague,
        other_school_teacher=other_school_teacher,
        school_admin=school_admin,
        pupil=pupil,
        classmate=classmate,
        other_pupil=other_pupil,
        place=place,
        lesson=lesson,
        other_lesson=other_lesson,
        strand=strand,
        block=block,
        goal=goal,
        other_goal=other_goal,
        self_mark=self_mark,
        teacher_mark=teacher_mark,
        entry=entry,
        photo=photo,
        note=note,
        activity=activity,
        board=board,
        slot=slot,
        slot2=slot2,
        plan=plan,
        empty_board=empty_board,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_as(client):
    """A Django test client logged in as a persona of the world."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.25 s a password; the matrix builds hundreds of worlds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pages_by_role(w) -> dict[str, list[str]]:
    """Every page each role can open in `w`: the accessibility and the translation checks
    walk the same list. A world with a study and an intervention adds the research pages
    and the researcher."""
    pages = {
        "anonymous": [
            "/",
            "/login/",
            "/klas/",
            f"/klas/{w.group.class_code}/",
            f"/klas/{w.group.class_code}/{w.pupil.login_token}/",
        ],
        "pupil": [
            "/leerling/",
            "/leerling/doelenboekje/",
            f"/leerling/logboek/{w.lesson.pk}/",
            "/leerling/planbord/",
            "/leerling/fotos/",
        ],
        "teacher": [
            "/leerkracht/",
            f"/leerkracht/groep/{w.group.pk}/",
            f"/leerkracht/les/{w.lesson.pk}/",
            f"/leerkracht/groep/{w.group.pk}/doelen/",
            f"/leerkracht/blok/{w.block.pk}/",
            f"/leerkracht/leerling/{w.pupil.pk}/doelenboekje/",
            f"/leerkracht/groep/{w.group.pk}/planbord/",
            f"/leerkracht/leerling/{w.pupil.pk}/planbord/",
            f"/leerkracht/planbord/{w.board.pk}/digibord/",
            f"/leerkracht/groep/{w.group.pk}/kaarten/",
            "/onderzoek/",
            "/ontwerpteam/nieuw/",
        ],
        "school_admin": [
            f"/leerkracht/leerling/{w.pupil.pk}/gegevens/",
            "/onderzoek/studie/nieuw/",
        ],
    }
    if getattr(w, "study", None) is not None:
        pages["teacher"] += [f"/onderzoek/studie/{w.study.pk}/"]
        pages["school_admin"] += [f"/onderzoek/studie/{w.study.pk}/bewerken/"]
        pages["researcher"] = ["/onderzoek/", f"/onderzoek/studie/{w.study.pk}/"]
    if getattr(w, "intervention", None) is not None:
        pages["teacher"] += [f"/ontwerpteam/{w.intervention.pk}/"]
    return pages
