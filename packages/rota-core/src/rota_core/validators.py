"""Validators shared by the models, the API and the CSV import."""

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
