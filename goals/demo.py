"""Demo goal booklets: blocks for groep 5 and 8, goals from docs/examples, some marks."""

import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from classroom import actions as classroom_actions
from classroom.models import School

from . import actions
from .importer import import_goals

EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"


def seed(school: School) -> None:
    today = timezone.localdate()
    groep5 = school.groups.get(name="Groep 5")
    groep8 = school.groups.get(name="Groep 8")
    actions.create_block(
        group=groep5,
        name="Rekenen blok 2",
        start_date=today - timedelta(days=70),
        end_date=today - timedelta(days=15),
    )
    for group in (groep5, groep8):
        actions.create_block(
            group=group,
            name="Rekenen blok 3",
            start_date=today - timedelta(days=14),
            end_date=today + timedelta(days=40),
        )
    import_goals(groep5, (EXAMPLES / "doelen-groep5-rekenen.csv").read_bytes())
    import_goals(groep8, (EXAMPLES / "doelen-groep8-rekenen.csv").read_bytes())

    # The demo lessons offer these goals (and groep 5's places), so the logbook has
    # something to choose from as soon as a teacher starts a lesson.
    block3_goals = list(groep8.blocks.get(name="Rekenen blok 3").goals.all())
    classroom_actions.configure_lesson(
        groep8.lessons.get(title="Rekenen blok 3: procenten"), goals=block3_goals
    )
    classroom_actions.configure_lesson(
        groep5.lessons.get(title="Breuken vergelijken"),
        goals=[groep5.blocks.get(name="Rekenen blok 3").goals.get(code="G5-3.4")],
        places=list(groep5.places.all()),
    )

    # A believable spread of marks, the same every time.
    rng = random.Random(2026)
    for group in (groep5, groep8):
        teacher = group.teachers.first()
        goals = list(group.blocks.get(name="Rekenen blok 3").goals.all())
        for pupil in group.pupils.all()[:12]:
            for goal in rng.sample(goals, 3):
                level = rng.randint(1, 3)
                actions.assess_self(pupil=pupil, goal=goal, level=level)
                if rng.random() < 0.5:
                    actions.assess_as_teacher(
                        acting_user=teacher, pupil=pupil, goal=goal, level=max(1, level - 1)
                    )
