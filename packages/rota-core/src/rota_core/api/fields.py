"""Serializer fields shared by the Rota Round APIs."""

import re
from datetime import UTC, datetime, time

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .validation import AllErrorsMixin, KnownIdField


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a ``Z``, whatever zone the request activated (the system zone is
    active for the admin's sake); naive input is read as UTC."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


def utc_iso(value: datetime | None) -> str | None:
    """The API's datetime format for values built outside serializers."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field({"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "09:00:00"})
class LocalTimeField(serializers.TimeField):
    """A local wall time, ``HH:MM[:SS[.ffffff]]`` without a UTC offset (OpenAPI's ``time``
    format is RFC 3339's, which requires one, so the schema gives a pattern instead)."""

    default_error_messages = {
        "local": "Give a local time as HH:MM or HH:MM:SS, without a UTC offset.",
    }

    def to_internal_value(self, value):
        if isinstance(value, time):
            return super().to_internal_value(value)
        if not isinstance(value, str) or not re.match(LOCAL_TIME_PATTERN, value):
            self.fail("local")
        return super().to_internal_value(value)


class ModelSerializer(AllErrorsMixin, serializers.ModelSerializer):
    """ModelSerializer whose datetimes are always UTC (``Z``), times local wall times, whose
    request values must have their JSON types, whose unknown ids are named as such, and whose
    400 carries every error at once (``AllErrorsMixin``)."""

    serializer_related_field = KnownIdField

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
        models.TimeField: LocalTimeField,
    }
