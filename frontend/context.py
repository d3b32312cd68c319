from classroom.permissions import actor_for


def roles(request):
    """`actor` in every template: is this a pupil, a teacher, or nobody yet?"""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "is_pupil": actor.pupil is not None,
        "is_staff_member": actor.is_staff_member,
    }
