from classroom.permissions import actor_for

from .ui_texts import UI_TEXTS


def roles(request):
    """`actor` in every template: is this a pupil, a teacher, or nobody yet? And the
    scripts' texts in the active language (rendered once by base.html)."""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "is_pupil": actor.pupil is not None,
        "is_staff_member": actor.is_staff_member,
        "ui_texts": {key: str(text) for key, text in UI_TEXTS.items()},
    }
