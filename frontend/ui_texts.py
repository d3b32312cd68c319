"""Texts the small ES modules show (save states, "Vol!", connection banners), translated
like every other string and handed to the page once, as JSON, in base.html."""

from django.utils.translation import gettext_lazy as _

UI_TEXTS = {
    "saving": _("Saving …"),
    "saved": _("Saved"),
    "failed": _("Not saved. Try again."),
    "photoSaving": _("Saving photo …"),
    "photoSaved": _("Photo saved"),
    "photoFailed": _("Photo not saved."),
    "chooseMood": _("First tap how it went."),
    "full": _("Full!"),
    "mustDo": _("Must do"),
    "first": _("First"),
    "then": _("Then"),
    "done": _("Done"),
    "takeOff": _("Take off"),
    "lost": _("No connection. Trying again …"),
    "back": _("Connected again."),
}
