"""One 400 with every error of a request body, and each kind of error in one wording.

DRF validates in stages and stops at the first that fails: field checks, then the validators,
then ``validate()`` (cross-field and existence checks). A client then fixes one batch of
mistakes per round trip. ``AllErrorsMixin`` runs every stage over what the earlier ones let
through and answers all their errors together.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField, empty, get_error_detail
from rest_framework.settings import api_settings

from .. import messages

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


def _as_field_errors(exc: Exception) -> dict[str, Any]:
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class AllErrorsMixin:
    """Validate a request body in one pass and answer every error at once.

    1. Each field: its JSON type (with a request in the context, i.e. the API: DRF would turn
       ``"name": 0`` into ``"0"`` and ``"interval": "2"`` into 2, which form data needs but
       which makes a client's mistake into data), then its own checks and ``validate_<name>``.
    2. The serializer's validators, then ``validate(attrs)`` (cross-field and existence
       checks), over the fields that passed; ``self.failed_fields`` names the others so a
       check that needs one of them can stand down.

    A field keeps the errors of the first stage that found some: a later check's complaint
    about a field that already failed would only restate it. Subclasses put cross-field and
    existence checks in ``validate``, never in ``to_internal_value``.
    """

    failed_fields: frozenset[str] = frozenset()

    def run_validation(self, data=empty):
        is_empty, data = self.validate_empty_values(data)
        if is_empty:
            return data
        if not isinstance(data, Mapping):  # DRF's own "Invalid data" answer
            return super().run_validation(data)
        errors = self._type_errors(data)
        attrs = self._field_values(data, errors)
        self.failed_fields = frozenset(errors)
        try:
            self.run_validators(attrs)
            attrs = self.validate(attrs)
            assert attrs is not None, ".validate() should return the validated data"
        except (serializers.ValidationError, DjangoValidationError) as exc:
            for name, found in _as_field_errors(exc).items():
                errors.setdefault(name, found)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _type_errors(self, data: Mapping) -> dict[str, list[str]]:
        if self.context.get("request") is None:  # e.g. the CSV import: DRF's conversions
            return {}
        return {
            name: [error]
            for name, field in self.fields.items()
            if not field.read_only and data.get(name) is not None
            for error in [json_type_error(field, data[name])]
            if error
        }

    def _field_values(self, data: Mapping, errors: dict) -> dict:
        """DRF's ``to_internal_value`` loop, going on past errors (recorded in ``errors``)."""
        attrs: dict = {}
        for field in self._writable_fields:
            if field.field_name in errors:
                continue
            check = getattr(self, f"validate_{field.field_name}", None)
            try:
                value = field.run_validation(field.get_value(data))
                if check is not None:
                    value = check(value)
            except serializers.ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                self.set_value(attrs, field.source_attrs, value)
        return attrs


class KnownIdField(serializers.PrimaryKeyRelatedField):
    """An id of an existing row; an unknown one is named as such (``Unknown person id(s): 9.``),
    in the wording every Rota Round app uses for it."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if getattr(exc.detail[0], "code", None) != "does_not_exist":
                raise
            kind = self.get_queryset().model._meta.verbose_name
            raise serializers.ValidationError(
                messages.unknown_ids(kind, [data]), code="does_not_exist"
            ) from exc


class Serializer(AllErrorsMixin, serializers.Serializer):
    """A plain serializer (query parameters, actions) answering every error at once."""
