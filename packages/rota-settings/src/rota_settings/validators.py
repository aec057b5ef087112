"""Validators other apps reuse: ``rota_settings.validators.validate_timezone``."""

from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Longer input is shortened in the error message; no IANA name comes close to this.
_MAX_ECHOED_LENGTH = 64


@cache
def timezone_names() -> frozenset[str]:
    """Every IANA zone name the installed tz database (``tzdata``) knows, read once."""
    return frozenset(available_timezones())


def validate_timezone(value: object) -> None:
    """Raise ValidationError naming ``value`` unless it is a known IANA zone name."""
    if isinstance(value, str) and value in timezone_names():
        return
    shown = str(value)
    if len(shown) > _MAX_ECHOED_LENGTH:
        shown = shown[:_MAX_ECHOED_LENGTH] + "…"
    raise ValidationError(
        _('Unknown time zone "%(value)s".'), code="unknown_timezone", params={"value": shown}
    )
