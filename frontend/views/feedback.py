"""Messages for the user about what a form or an action refused."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_errors(request, error) -> None:
    """A refused action's messages (a ValidationError) or a form's errors, as one line."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in error.values() for e in errors))
