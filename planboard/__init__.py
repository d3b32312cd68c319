"""Planbord: boards, activities, capacity, pupil plans and ticks (groep 1-2)."""
