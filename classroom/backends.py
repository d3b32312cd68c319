"""The account backend: Django's ModelBackend, with the account's pupil record and its
group read in the same query as the user. Every request and every WebSocket connect
resolves its user through `get_user`; the roles (classroom.permissions.actor_for) then
need no query for a pupil and one for staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # Imported teachers log in with their e-mail address (classroom/staff_roster.py),
        # stored in lower case: however they type it.
        if username and "@" in username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("pupil__group")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
