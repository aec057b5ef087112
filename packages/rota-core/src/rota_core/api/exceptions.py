"""One exception handler for every Rota Round API: DRF's, plus Django's own errors.

- ``ProtectedError`` / ``RestrictedError`` (deleting something still referred to): 409 with a
  ``detail`` naming what still refers to it.
- ``django.core.exceptions.ValidationError`` (raised by services and ``full_clean``): 400,
  with field errors when it has them.
- ``IntegrityError`` (a race past validation, e.g. two requests creating the same email): 409.
- ``rota_core.exceptions.StateConflict`` (and the apps' subclasses, raised by services): 409
  with the message as ``detail``.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.text import get_text_list
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import StateConflict


class Conflict(exceptions.APIException):
    """409: the request is valid but clashes with the current state of the data."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ProtectedError):
        exc = Conflict(_still_referred_to(exc.protected_objects, context), code="protected")
    elif isinstance(exc, RestrictedError):
        exc = Conflict(_still_referred_to(exc.restricted_objects, context), code="restricted")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc))
    elif isinstance(exc, StateConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, IntegrityError):
        exc = Conflict("The change conflicts with existing data (for example a duplicate).")
    return drf_exception_handler(exc, context)


def _still_referred_to(objects: Iterable[Model], context: dict[str, Any]) -> str:
    counts = Counter(obj._meta for obj in objects)
    parts = [
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in sorted(counts.items(), key=lambda item: str(item[0].verbose_name))
    ]
    referrers = get_text_list(parts, "and") if parts else "other records"
    return f"Cannot delete {_target_name(context)}: it is still referred to by {referrers}."


def _target_name(context: dict[str, Any]) -> str:
    view = context.get("view")
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return "it"
    return f"this {queryset.model._meta.verbose_name}"


def _field_errors(exc: DjangoValidationError) -> Any:
    errors = as_serializer_error(exc)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors
