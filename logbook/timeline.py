"""Reading a pupil's photos (photo reflection builds on the doelenboekje, not the other way)."""

from django.db.models import Prefetch

from classroom.models import Pupil

from .models import LogbookEntry, Photo, Reaction


def attach_photos(pages, pupil: Pupil, block) -> list:
    """Put the pupil's photos of this block's goals on the booklet pages, with the
    teachers' reactions to them (two queries)."""
    by_goal = {page.goal.pk: page for page in pages}
    reactions = Prefetch("reactions", queryset=Reaction.objects.select_related("teacher"))
    for photo in Photo.objects.filter(pupil=pupil, goal__block=block).prefetch_related(reactions):
        by_goal[photo.goal_id].photos.append(photo)
    return pages


def attach_words(pages, pupil: Pupil, block) -> list:
    """Put the pupil's own words (lesson evaluations) on the pages of the goals they
    chose in that lesson (two queries)."""
    by_goal = {page.goal.pk: page for page in pages}
    entries = (
        LogbookEntry.objects.filter(pupil=pupil, goals__block=block, evaluated_at__isnull=False)
        .exclude(evaluation_text="")
        .select_related("lesson")
        .prefetch_related("goals")
        .distinct()
        .order_by("evaluated_at")
    )
    for entry in entries:
        for goal in entry.goals.all():
            if goal.pk in by_goal:
                by_goal[goal.pk].words.append(entry)
    return pages
