"""Writes: every change to people and unavailability goes through these functions."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from .models import Person, Unavailability, new_calendar_token


def person_save(*, person: Person) -> Person:
    """Validate and store a person, keeping ``deactivated_at`` in step with ``is_active``.

    ``deactivated_at`` is set when the person is first seen inactive and cleared on
    reactivation; from that instant on the person counts as unavailable. Use it for
    instances built elsewhere (admin forms); the API and the import call the functions below.
    """
    if person.timezone == "":  # "follows the system zone" is null everywhere
        person.timezone = None
    if person.is_active:
        person.deactivated_at = None
    elif person.deactivated_at is None:
        person.deactivated_at = timezone.now()
    person.full_clean()
    person.save()
    return person


def person_create(
    *,
    name: str,
    email: str,
    user: AbstractBaseUser | None = None,
    timezone: str | None = None,
    is_active: bool = True,
    notify_email: bool = True,
) -> Person:
    person = Person(
        name=name,
        email=email,
        user=user,
        timezone=timezone,
        is_active=is_active,
        notify_email=notify_email,
    )
    return person_save(person=person)


PERSON_UPDATE_FIELDS = frozenset({"name", "email", "user", "timezone", "is_active", "notify_email"})


def person_update(*, person: Person, data: Mapping[str, Any]) -> Person:
    """Apply ``data`` (a subset of PERSON_UPDATE_FIELDS); deactivation is handled here."""
    unknown = set(data) - PERSON_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"person_update() cannot change {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(person, field, value)
    return person_save(person=person)


def person_delete(*, person: Person) -> None:
    """Delete a person and their unavailability.

    Raises ``django.db.models.ProtectedError`` while other apps' rows (shifts) still refer
    to the person; the API turns that into 409.
    """
    person.delete()


def person_rotate_calendar_token(*, person: Person) -> str:
    """Give the person a new calendar token; feeds using the old one stop working."""
    person.calendar_token = new_calendar_token()
    person.save(update_fields=["calendar_token", "updated_at"])
    return person.calendar_token


def unavailability_create(
    *, person: Person, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> Unavailability:
    unavailability = Unavailability(
        person=person, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    unavailability.full_clean()
    unavailability.save()
    return unavailability


UNAVAILABILITY_UPDATE_FIELDS = frozenset({"person", "starts_at", "ends_at", "reason"})


def unavailability_update(
    *, unavailability: Unavailability, data: Mapping[str, Any]
) -> Unavailability:
    unknown = set(data) - UNAVAILABILITY_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"unavailability_update() cannot change {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(unavailability, field, value)
    unavailability.full_clean()
    unavailability.save()
    return unavailability


def unavailability_delete(*, unavailability: Unavailability) -> None:
    unavailability.delete()
