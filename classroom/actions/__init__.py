"""Every change of classroom state goes through these functions.

Views, serializers, the admin, management commands and consumers call them; none of
them saves a domain model itself. Each function validates first (raising
`django.core.exceptions.ValidationError` with a translated message and changing
nothing) and then writes in one transaction.

One module per concept (schools and staff, groups, pupils, places, lessons); every
action is importable from here: `from classroom import actions; actions.create_pupil()`.
"""

from .groups import (
    assign_teacher,
    create_group,
    regenerate_class_code,
    unassign_teacher,
    update_group,
)
from .lessons import (
    LESSON_FIELDS,
    LESSON_OPTIONS,
    close_evaluation,
    configure_lesson,
    copy_lesson,
    create_lesson,
    delete_lesson,
    end_lesson,
    lesson_settings,
    register_lesson_option,
    start_lesson,
)
from .places import (
    create_place,
    delete_place,
    update_place,
)
from .pupils import (
    CodeCheck,
    check_picture_code,
    create_pupil,
    import_roster,
    new_picture_code,
    picture_code_locked_until,
    reassign_duplicate_avatars,
    remove_pupil_photo,
    reset_picture_code,
    set_pupil_photo,
    unlock_pupil,
    update_pupil,
)
from .schools import (
    create_school,
    create_staff_user,
    import_teachers,
    remove_membership,
    reset_second_factor,
    set_membership,
    set_up_second_factor,
    update_school,
)
from .years import register_group_successor, turn_school_year

__all__ = [
    "close_evaluation",
    "create_school",
    "update_school",
    "create_staff_user",
    "import_teachers",
    "reset_second_factor",
    "set_up_second_factor",
    "set_membership",
    "remove_membership",
    "create_group",
    "update_group",
    "regenerate_class_code",
    "assign_teacher",
    "unassign_teacher",
    "new_picture_code",
    "create_pupil",
    "import_roster",
    "update_pupil",
    "reset_picture_code",
    "unlock_pupil",
    "reassign_duplicate_avatars",
    "CodeCheck",
    "check_picture_code",
    "picture_code_locked_until",
    "set_pupil_photo",
    "remove_pupil_photo",
    "turn_school_year",
    "register_group_successor",
    "create_place",
    "update_place",
    "delete_place",
    "LESSON_FIELDS",
    "create_lesson",
    "LESSON_OPTIONS",
    "register_lesson_option",
    "configure_lesson",
    "delete_lesson",
    "copy_lesson",
    "lesson_settings",
    "start_lesson",
    "end_lesson",
]
