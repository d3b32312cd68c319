"""Input that every layer parses the same way: ids from query strings and forms, and
free text that the database must be able to store.

- An id is ASCII digits and fits a 64-bit column: `"²".isdigit()` is true but `int("²")`
  fails, and `"9" * 30` overflows SQLite's integers.
- Text with a NUL character (PostgreSQL refuses it) or a lone surrogate (no database can
  store it; it cannot even be written as UTF-8) is refused with a message, on SQLite
  as on PostgreSQL, before anything is saved.
- A date is one of the days a school plans for: 9999-12-31 is a valid date, but a page
  that offers "a week later" cannot compute it.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest id a BigAutoField (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1

# The days a school plans for: anything else in a URL or a form is a typing slip (or a
# probe), and dates near the ends of the calendar cannot be moved a week.
FIRST_SCHOOL_DAY, LAST_SCHOOL_DAY = date(2000, 1, 1), date(2100, 12, 31)


def in_school_calendar(value) -> None:
    """A validator for forms, the admin and the API's serializers."""
    if value and not FIRST_SCHOOL_DAY <= value <= LAST_SCHOOL_DAY:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="outside_calendar",
            params={"first": FIRST_SCHOOL_DAY.year, "last": LAST_SCHOOL_DAY.year},
        )


def positive_int(value) -> int | None:
    """A posted or queried id as a number, or None: ASCII digits only ("²" is not one)
    and small enough for the database."""
    text = str(value if value is not None else "")
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    return None


def unstorable(text: str) -> bool:
    """Whether `text` holds a character no database column takes: NUL or a surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


UNSTORABLE_MESSAGE = _(
    "This text contains a character that cannot be saved (an invisible control "
    "character). Remove it and try again."
)


def check_text(text) -> str:
    """`text` as it is when it can be stored; a ValidationError (the form's or the API's
    400) when it holds NUL or a lone surrogate."""
    text = "" if text is None else str(text)
    if unstorable(text):
        raise ValidationError(UNSTORABLE_MESSAGE, code="unstorable")
    return text


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose posted ids are checked as numbers first: an id too
    big for the database ("9" * 30) or not ASCII ("²") is an invalid choice, not a 500."""

    def _check_values(self, value):
        for pk in value:
            if positive_int(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
