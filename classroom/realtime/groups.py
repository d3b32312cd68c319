"""Channel-layer group names, built in one place."""


def board_group(board_id: int) -> str:
    return f"board.{board_id}"


def lesson_group(lesson_id: int) -> str:
    """The lesson's dashboards (the group's teachers)."""
    return f"lesson.{lesson_id}"


def class_group(group_id: int) -> str:
    """Every screen of a class (pupils' homes): lessons starting and ending."""
    return f"class.{group_id}"


def pupil_group(pupil_id: int) -> str:
    """One pupil's own screens (their logbook): changes to their own entries only."""
    return f"pupil.{pupil_id}"


def voice_group(group_id: int) -> str:
    """The class's teachers' "nieuw van de klas" pages: new reflections, photos and
    reactions (a hint only; the page fetches what it shows)."""
    return f"voice.{group_id}"


def session_group(session_key: str) -> str:
    """Every socket opened with one login session: closed when it ends (logout)."""
    return f"session.{session_key}"


def user_group(user_id: int) -> str:
    """Every socket of one user: told to check its rights again when they changed
    (removed from a group or school, deactivated, moved, erased)."""
    return f"user.{user_id}"
