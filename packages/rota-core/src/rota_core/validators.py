"""Validators shared by the models, the API and the CSV import."""

from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError


@cache
def iana_timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_iana_timezone(value: str) -> None:
    if value and value not in iana_timezone_names():
        raise ValidationError(
            "'%(value)s' is not a known IANA time zone.",
            code="invalid_timezone",
            params={"value": value},
        )
