"""Demo planbord for De Beren: corners and today's board."""

from django.utils import timezone

from classroom.models import School

from . import actions

CORNERS = [
    ("Bouwhoek", "building", 4),
    ("Leeshoek", "reading", 3),
    ("Zandtafel", "sand", 4),
    ("Huishoek", "home_corner", 4),
    ("Tekentafel", "drawing", 5),
    ("Telspel", "counting", 2),
    ("Watertafel", "water", 3),
    ("Kleien", "clay", 3),
    ("Puzzels", "puzzle", 3),
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
