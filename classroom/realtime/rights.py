"""Sockets follow rights: whatever ends a session or changes who may see what tells the
sockets concerned, after commit (classroom/realtime/consumers.py acts on it).

- Logging out ("Uitloggen", "Wissel van leerling") sends `session.ended` to the
  session's sockets: they close with 4401.
- A change to a user's rights sends `rights.changed` to the user's sockets: each checks
  again with a fresh look at the user and closes with 4403 when it may no longer listen.
  The changes: removed from a group's teachers or from a school (`Group.teachers`,
  `Membership`), a pupil deactivated or moved to another group, an account deactivated
  or deleted (erasure). They are caught by signals, so Beheer's edits count as much as
  the app's actions.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from classroom.models import Group, Membership, Pupil

from .groups import session_group, user_group
from .publish import send_on_commit

RIGHTS_CHANGED = {"type": "rights.changed"}
SESSION_ENDED = {"type": "session.ended"}


def rights_changed(*user_ids: int) -> None:
    for user_id in {pk for pk in user_ids if pk is not None}:
        send_on_commit(user_group(user_id), RIGHTS_CHANGED)


@receiver(user_logged_out, dispatch_uid="classroom.realtime.logged_out")
def _logged_out(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        send_on_commit(session_group(session.session_key), SESSION_ENDED)


@receiver(m2m_changed, sender=Group.teachers.through, dispatch_uid="classroom.realtime.teachers")
def _teachers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_remove", "pre_clear"):
        return
    if reverse:  # user.taught_groups.remove(...): the user is the instance
        rights_changed(instance.pk)
    elif action == "pre_clear":
        rights_changed(*instance.teachers.values_list("pk", flat=True))
    else:
        rights_changed(*(pk_set or ()))


@receiver(post_delete, sender=Membership, dispatch_uid="classroom.realtime.membership")
def _membership_gone(sender, instance, **kwargs):
    rights_changed(instance.user_id)


@receiver(post_save, sender=Membership, dispatch_uid="classroom.realtime.membership_role")
def _membership_changed(sender, instance, created, **kwargs):
    if not created:  # a school admin made a teacher again
        rights_changed(instance.user_id)


@receiver(post_save, sender=Pupil, dispatch_uid="classroom.realtime.pupil")
def _pupil_changed(sender, instance, created, update_fields=None, **kwargs):
    # A wrong picture code saves the pupil too (update_fields): that changes no rights.
    if created or (update_fields is not None and not {"active", "group"} & set(update_fields)):
        return
    rights_changed(instance.user_id)


@receiver(post_save, sender=get_user_model(), dispatch_uid="classroom.realtime.user")
def _user_changed(sender, instance, created, update_fields=None, **kwargs):
    if not created and not instance.is_active:
        rights_changed(instance.pk)


@receiver(post_delete, sender=get_user_model(), dispatch_uid="classroom.realtime.user_gone")
def _user_gone(sender, instance, **kwargs):
    rights_changed(instance.pk)
