"""Serializer fields shared by the Rota Round APIs."""

from datetime import UTC, datetime

from django.db import models
from rest_framework import serializers


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


class ModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose datetimes are always UTC (``Z``)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }
