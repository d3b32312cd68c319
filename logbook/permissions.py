"""Photos: the pupil (who adds them) and their teachers see them. Rekengesprek notes:
the group's teachers write and read them; pupils never see them. Logbook entries: the
pupil writes their own (choose, evaluate: `create` with the pupil as parent); a teacher
decides an aspect for a pupil they teach (`decide_for_pupil`, asked about the pupil)."""

from classroom.models import Group, Lesson
from classroom.permissions import (
    MAY_CHANGE,
    MAY_CREATE,
    MAY_READ,
    PUPIL,
    STAFF,
    declare_operation,
    register,
)
from goals.permissions import PupilMarkRules, TeacherMarkRules

from .models import ConversationNote, LogbookEntry, Photo, Reaction

register(Photo, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
# Entries change only through choose/evaluate (the pupil's create) and decide_for_pupil.
register(
    LogbookEntry,
    PupilMarkRules(group_path="pupil__group_id", pupils_read="own"),
    decide_for_pupil=STAFF & MAY_CHANGE,
    # "Ik kom eraan" and "geholpen" for a pupil's help request (asked about the pupil).
    answer_help=STAFF & MAY_CHANGE,
)
register(
    ConversationNote,
    TeacherMarkRules(group_path="pupil__group_id", pupils_read="none"),
    create=STAFF & MAY_CREATE,
)
# A pupil's own logbook page follows the lesson live (logbook/consumers.py): an active
# pupil who may read the lesson; what they hear is their own entry only.
declare_operation(Lesson, "follow_own_logbook", PUPIL & MAY_READ)
# The teacher's answers to a pupil's work: the group's teachers write them (asked about
# the pupil); the pupil reads their own; classmates never.
register(
    Reaction,
    TeacherMarkRules(group_path="pupil__group_id", pupils_read="own"),
    create=STAFF & MAY_CREATE,
)
# "Nieuw van de klas" (the page and its socket): the group's teachers and school admins.
declare_operation(Group, "follow_class_voice", STAFF & MAY_CHANGE)
