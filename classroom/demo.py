"""The demo school: a realistic Dutch primary school to try Leerregie with."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import actions
from .models import Differentiation, Openness, Role, School, Subject
from .pictograms import label

DEMO_PASSWORD = "leerregie-demo"  # noqa: S105 - printed for the demo on purpose

TEACHERS = [
    ("juf.anna", "Anna", "de Vries", Role.TEACHER),
    ("meester.sem", "Sem", "Bakker", Role.TEACHER),
    ("juf.fatima", "Fatima", "El Amrani", Role.TEACHER),
    ("directeur.els", "Els", "Jansen", Role.SCHOOL_ADMIN),
]

KLEUTERS = [
    "Noor",
    "Lotte",
    "Daan",
    "Sem",
    "Mila",
    "Finn",
    "Emma",
    "Levi",
    "Zoë",
    "Luuk",
    "Julia",
    "Bram",
    "Saar",
    "Mees",
    "Yara",
    "Adam",
]
GROEP_5 = [
    "Tess",
    "Jesse",
    "Fenna",
    "Thijs",
    "Liv",
    "Ruben",
    "Sophie",
    "Milan",
    "Evi",
    "Daan",
    "Nina",
    "Jayden",
    "Lynn",
    "Sven",
    "Amira",
    "Gijs",
    "Isa",
    "Mohammed",
    "Roos",
    "Teun",
    "Lieke",
    "Ilias",
    "Femke",
    "Stijn",
]
GROEP_8 = [
    "Lars",
    "Sanne",
    "Jens",
    "Lotte",
    "Bas",
    "Iris",
    "Noah",
    "Anouk",
    "Tim",
    "Eline",
    "Omar",
    "Maud",
    "Rick",
    "Vera",
    "Sami",
    "Fleur",
    "Koen",
    "Lisa",
    "Youssef",
    "Demi",
    "Hugo",
    "Jasmijn",
    "Wouter",
    "Esmee",
    "Kees",
]

GROUPS = [
    # name, (year from, year to), teacher, pupils
    ("De Beren", (1, 2), "juf.anna", KLEUTERS),
    ("Groep 5", (5, 5), "meester.sem", GROEP_5),
    ("Groep 8", (8, 8), "juf.fatima", GROEP_8),
]

PLACES = {
    "De Beren": [
        ("Kring", "heart", None),
        ("Bouwhoek", "blocks", 4),
        ("Leeshoek", "book", 3),
        ("Zandtafel", "cloud", 4),
    ],
    "Groep 5": [
        ("Instructietafel", "table", 8),
        ("Eigen plek", "house", None),
        ("Stiltehoek", "quiet", 4),
        ("Gang", "door", 6),
    ],
    "Groep 8": [
        ("Instructietafel", "table", 8),
        ("Eigen plek", "house", None),
        ("Stiltehoek", "quiet", 4),
        ("Samenwerktafel", "star", 6),
        ("Gang", "door", 6),
    ],
}


def _lessons(today):
    choice, free = Openness.CHOICE, Openness.FREE
    return {
        "De Beren": [
            dict(
                subject=Subject.PLAY,
                date=today,
                title="Spelen en werken",
                place_openness=free,
                partner_openness=free,
                order_openness=choice,
            ),
        ],
        "Groep 5": [
            dict(
                subject=Subject.MATH,
                date=today,
                title="Breuken vergelijken",
                instruction_openness=choice,
                place_openness=choice,
                differentiation=Differentiation.LEVEL_GROUPS,
            ),
            dict(subject=Subject.READING, date=today, title="Begrijpend lezen"),
        ],
        "Groep 8": [
            dict(
                subject=Subject.MATH,
                date=today,
                title="Rekenen blok 3: procenten",
                goal_openness=choice,
                instruction_openness=free,
                place_openness=free,
                partner_openness=free,
                order_openness=free,
                differentiation=Differentiation.INDIVIDUAL,
            ),
        ],
    }


@transaction.atomic
def seed() -> School:
    """The school, its staff, groups, pupils, places and lessons. The whole demo, with
    every app's part, is composed above the apps (frontend/demo.py)."""
    User = get_user_model()
    school = actions.create_school(name="Basisschool De Regenboog", city="Utrecht")
    users = {}
    for username, first, last, role in TEACHERS:
        users[username] = actions.create_staff_user(
            school=school,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=role,
        )
    if not User.objects.filter(is_superuser=True).exists():
        User.objects.create_superuser("beheer", password=DEMO_PASSWORD)

    lessons = _lessons(timezone.localdate())
    for name, (year_from, year_to), teacher, pupils in GROUPS:
        group = actions.create_group(
            school=school,
            name=name,
            year_from=year_from,
            year_to=year_to,
            teachers=[users[teacher]],
        )
        for display_name in pupils:
            actions.create_pupil(group=group, display_name=display_name)
        for place_name, icon, capacity in PLACES[name]:
            actions.create_place(group=group, name=place_name, icon=icon, capacity=capacity)
        for fields in lessons[name]:
            actions.create_lesson(group=group, **fields)

    return school


def login_hints(base_url: str = "http://127.0.0.1:8000") -> str:
    """How to log in to the demo school, for the terminal."""
    from .models import Group

    lines = [
        "",
        "Leerregie demo school: Basisschool De Regenboog",
        f"  Open {base_url}/",
        "",
        f"  Teacher: {base_url}/login/  username juf.fatima (groep 8), meester.sem (groep 5)",
        f"           or juf.anna (groep 1-2); password {DEMO_PASSWORD}",
        f"  School admin: directeur.els, password {DEMO_PASSWORD} (also {base_url}/admin/)",
        f"  Researcher: onderzoeker, password {DEMO_PASSWORD} ({base_url}/onderzoek/)",
        "  (school admins, researchers and the superuser set up a code app on their phone",
        "   at their first login: the second step)",
        "",
        f"  Pupil:   {base_url}/klas/ , type a class code, tap your picture, tap the picture code:",
    ]
    for group in Group.objects.filter(school__name="Basisschool De Regenboog"):
        pupil = group.pupils.filter(active=True).order_by("display_name").first()
        if pupil is None:
            continue
        code = " + ".join(label(key) for key in pupil.code_sequence)
        example = f"e.g. {pupil.display_name}: {code}"
        lines.append(f"           {group.name}: class code {group.class_code}, {example}")
    lines.append("           (every pupil's code is on the teacher's printable login cards)")
    lines.append("")
    return "\n".join(lines)
