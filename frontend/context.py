from classroom.permissions import actor_for

from .ui_texts import UI_TEXTS


def roles(request):
    """`actor` in every template: is this a pupil, a teacher, or nobody yet? And the
    scripts' texts in the active language (rendered once by base.html)."""
    actor = actor_for(getattr(request, "user", None))
    return {
        # Grown-ups choose their language; pupils' pages and their login under /klas/
        # speak the group's (config.middleware.PupilLanguageMiddleware): no button there.
        "language_choice": actor.pupil is None and not request.path.startswith("/klas/"),
        "actor": actor,
        "is_pupil": actor.pupil is not None,
        "is_staff_member": actor.is_staff_member,
        "ui_texts": {key: str(text) for key, text in UI_TEXTS.items()},
    }
