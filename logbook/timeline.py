"""Reading a pupil's photos (photo reflection builds on the doelenboekje, not the other way)."""

from classroom.models import Pupil

from .models import Photo


def attach_photos(pages, pupil: Pupil, block) -> list:
    """Put the pupil's photos of this block's goals on the booklet pages (one query)."""
    by_goal = {page.goal.pk: page for page in pages}
    for photo in Photo.objects.filter(pupil=pupil, goal__block=block):
        by_goal[photo.goal_id].photos.append(photo)
    return pages
