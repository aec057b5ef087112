"""Validators shared by the models, the API and the CSV import."""

import re
from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError

from .messages import unknown_timezone


@cache
def iana_timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_iana_timezone(value: str) -> None:
    if value and value not in iana_timezone_names():
        raise ValidationError(unknown_timezone(value), code="invalid_timezone")


# C0 and C1 control characters (CR, LF and TAB included) and the Unicode line and paragraph
# separators: none belongs in a name, and each can break a header or an iCalendar line.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def validate_no_control_characters(value: str) -> None:
    """For every name field: a name is one line of printable text."""
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Control characters (line breaks, tabs and the like) are not allowed.",
            code="control_characters",
        )


def without_control_characters(value: str) -> str:
    """``value`` made one line: each run of control characters becomes one space (for names
    stored before they were refused, on their way into a header)."""
    return CONTROL_CHARACTERS.sub(" ", value).strip()
