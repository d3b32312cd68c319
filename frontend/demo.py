"""The demo school, composed above the apps: each app seeds its own part, in the order
the layers run (classroom, then goals, planboard and research on top of it)."""

from django.db import transaction

from classroom import demo as classroom_demo
from classroom.models import School
from goals import demo as goals_demo
from planboard import demo as planboard_demo
from research import demo as research_demo


@transaction.atomic
def seed() -> School:
    """All or nothing: a half-seeded school would make `seed_demo --if-empty` refuse."""
    school = classroom_demo.seed()
    goals_demo.seed(school)
    planboard_demo.seed(school)
    research_demo.seed(school, classroom_demo.DEMO_PASSWORD)
    return school
