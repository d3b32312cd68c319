"""The usage verbs research records (see classroom.usage)."""

from classroom.usage import declare

PUPIL_ERASED = declare(
    "pupil_erased",
    "a school admin erased a pupil and all their data (the event names no pupil)",
    app="research",
)
