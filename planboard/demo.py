"""Demo planbord for De Beren: corners and today's board."""

from django.utils import timezone

from classroom.models import School

from . import actions

CORNERS = [
    ("Bouwhoek", "blocks", 4),
    ("Leeshoek", "book", 3),
    ("Zandtafel", "cloud", 4),
    ("Huishoek", "house", 4),
    ("Tekentafel", "flower", 5),
    ("Telspel", "star", 2),
]


def seed(school: School) -> None:
    group = school.groups.get(name="De Beren")
    activities = [
        actions.create_activity(group=group, name=name, pictogram=icon, capacity=capacity)
        for name, icon, capacity in CORNERS
    ]
    board = actions.board_for(group, timezone.localdate())
    for activity in activities:
        actions.set_slot(board, activity, on=True, compulsory=activity.name == "Telspel")
