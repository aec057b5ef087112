"""Rules a rota definition must satisfy; errors name the field (400 through the API)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from rota_settings.validators import validate_timezone

from .models import ALL_WEEKDAYS, Cadence, SkipPolicy

STARTS_ON_REACH = timedelta(days=36525)


def validate_definition(*, fields: dict) -> None:
    """Check a complete rota definition; raise ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}
    zone = fields.get("timezone")
    if zone:
        try:
            validate_timezone(zone)
        except ValidationError as exc:
            errors["timezone"] = exc.messages
    if fields.get("cadence") not in Cadence.values:
        errors["cadence"] = [
            f'"{fields.get("cadence")}" is not one of {", ".join(Cadence.values)}.'
        ]
    interval = fields.get("interval")
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        errors["interval"] = ["Interval must be a whole number of at least 1."]
    if fields.get("skip_policy") not in SkipPolicy.values:
        errors["skip_policy"] = [f'"{fields.get("skip_policy")}" is not one of defer, skip.']
    weekdays = fields.get("weekdays")
    if not isinstance(weekdays, list) or not weekdays:
        errors["weekdays"] = ["Give at least one weekday (Monday = 0 … Sunday = 6)."]
    elif any(isinstance(d, bool) or d not in ALL_WEEKDAYS for d in weekdays):
        errors["weekdays"] = ["Weekdays are whole numbers from 0 (Monday) to 6 (Sunday)."]
    elif len(set(weekdays)) != len(weekdays):
        errors["weekdays"] = ["Each weekday may appear once."]
    elif (
        fields.get("cadence") == Cadence.DAILY
        and fields.get("starts_on") is not None
        and fields["starts_on"].weekday() not in weekdays
    ):
        errors["starts_on"] = ["starts_on must fall on one of the rota's weekdays."]
    starts_on = fields.get("starts_on")
    if starts_on is not None and abs(starts_on - date.today()) > STARTS_ON_REACH:
        # Handoffs near year 9999 cannot be computed; nobody plans a rota a century away.
        errors["starts_on"] = ["starts_on must be within 100 years of today."]
    if errors:
        raise ValidationError(errors)
