"""Photos: the pupil (who adds them) and their teachers see them. Rekengesprek notes:
the group's teachers write and read them; pupils never see them."""

from classroom.permissions import register
from goals.permissions import PupilMarkRules, TeacherMarkRules

from .models import ConversationNote, LogbookEntry, Photo

register(Photo, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
# Entries change only through choose/override/evaluate, each with its own check.
register(LogbookEntry, PupilMarkRules(group_path="pupil__group_id", pupils_read="own"))
register(ConversationNote, TeacherMarkRules(group_path="pupil__group_id", pupils_read="none"))
