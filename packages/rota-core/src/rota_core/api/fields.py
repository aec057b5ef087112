"""Serializer fields shared by the Rota Round APIs."""

import re
from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
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


# (field class, JSON types its value must have, what to call them); the first match counts.
JSON_TYPES = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.CharField, (str,), "a string"),
    (serializers.IntegerField, (int,), "an integer"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.PrimaryKeyRelatedField, (int,), "an integer id"),
]


def json_type_error(field: serializers.Field, value: Any) -> str | None:
    """Why ``value`` is not of the JSON type ``field`` takes, or None when it is."""
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        errors = (json_type_error(field.child, item) for item in value if item is not None)
        return next((error for error in errors if error), None)
    for field_class, types, label in JSON_TYPES:
        if isinstance(field, field_class):
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                return f"Must be {label}."
            return None
    return None


class JSONTypesMixin:
    """Take each value of an API request body only in the JSON type the schema gives it.

    DRF converts: ``"name": 0`` becomes ``"0"``, ``"is_active": "no"`` becomes false and
    ``"interval": "2"`` becomes 2, which form data needs but turns a client's mistake into
    data. With a request in the context (the API) a value of another type is a 400 naming
    the field; without one (e.g. the CSV import validating its rows) DRF's rules apply.
    """

    def to_internal_value(self, data):
        if self.context.get("request") is not None and isinstance(data, Mapping):
            errors = {
                name: [error]
                for name, field in self.fields.items()
                if not field.read_only and data.get(name) is not None
                for error in [json_type_error(field, data[name])]
                if error
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ModelSerializer(JSONTypesMixin, serializers.ModelSerializer):
    """ModelSerializer whose datetimes are always UTC (``Z``), times local wall times, and
    whose request values must have their JSON types."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
        models.TimeField: LocalTimeField,
    }
