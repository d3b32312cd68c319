"""Logins are usage events too. Django's own login views do the logging in, so the event
is recorded from its `user_logged_in` signal, in the login's request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import usage
from .models import Pupil


@receiver(user_logged_in, dispatch_uid="classroom.logged_in")
def record_login(sender, request, user, **kwargs):
    pupil = Pupil.objects.filter(user=user).select_related("group").first()
    usage.record(
        "logged_in",
        actor=user,
        pupil=pupil,
        group=pupil.group if pupil else None,
        context={"role": "pupil" if pupil else "staff"},
    )
