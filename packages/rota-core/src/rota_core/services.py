"""Writes: every change to people and unavailability goes through these functions.

Writes that can change who is available (leave, activation, deletion of people) are
announced with ``availability_changing`` / ``availability_changed`` (see ``signals``); a raw
``save()`` or ``delete()`` announces nothing.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from .availability import availability_change
from .models import Person, Unavailability, new_calendar_token


def person_save(*, person: Person) -> Person:
    """Validate and store a person, keeping ``deactivated_at`` in step with ``is_active``.

    ``deactivated_at`` is set when the person is first seen inactive and cleared on
    reactivation; from that instant on the person counts as unavailable. Switching
    ``is_active`` either way is announced (cause ``"activation"``); deactivating or unlinking
    the user gives a new calendar token. Use it for instances built elsewhere (admin forms);
    the API and the import call the functions below.
    """
    if person.timezone == "":  # "follows the system zone" is null everywhere
        person.timezone = None
    stored = _stored_person(person)
    if person.is_active:
        person.deactivated_at = None
    elif person.deactivated_at is None:
        person.deactivated_at = timezone.now()
    person_calendar_token_expire_on_lost_access(person=person, stored=stored)
    person.full_clean()
    switched = stored is not None and stored["is_active"] != person.is_active
    with availability_change(
        sender=Person, person_ids=[person.pk] if switched else [], cause="activation"
    ):
        person.save()
    return person


def _stored_person(person: Person) -> dict[str, Any] | None:
    """The stored row's fields that decide what a save announces (one query); None if new."""
    if person.pk is None:
        return None
    return Person.objects.filter(pk=person.pk).values("is_active", "user_id").first()


def person_calendar_token_expire_on_lost_access(
    *, person: Person, stored: dict[str, Any] | None
) -> None:
    """A new calendar token (not yet saved) when ``person``, as about to be saved over the
    ``stored`` row (``_stored_person``), is being deactivated or unlinked from (or moved off)
    their user: a feed URL handed out while they had access stops working. A new person or
    any other change keeps the token."""
    if stored is None:
        return
    deactivated = stored["is_active"] and not person.is_active
    unlinked = stored["user_id"] is not None and stored["user_id"] != person.user_id
    if deactivated or unlinked:
        person.calendar_token = new_calendar_token()


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
    """Delete a person and their unavailability (announced, cause ``"deletion"``).

    Raises ``django.db.models.ProtectedError`` while other apps' rows (shifts) still refer
    to the person; the API turns that into 409.
    """
    with availability_change(
        sender=Person, person_ids=[person.pk], cause="deletion", deleting=True
    ):
        person.delete()


def people_delete(*, people: QuerySet[Person]) -> int:
    """Delete several people at once (the admin's "delete selected"): one announcement for
    all of them; ``ProtectedError`` as ``person_delete``. Returns how many were deleted."""
    ids = list(people.values_list("pk", flat=True))
    with availability_change(sender=Person, person_ids=ids, cause="deletion", deleting=True):
        _, by_model = Person.objects.filter(pk__in=ids).delete()
    return by_model.get(Person._meta.label, 0)


def person_rotate_calendar_token(*, person: Person) -> str:
    """Give the person a new calendar token; feeds using the old one stop working."""
    person.calendar_token = new_calendar_token()
    person.save(update_fields=["calendar_token", "updated_at"])
    return person.calendar_token


def unavailability_save(*, unavailability: Unavailability) -> Unavailability:
    """Validate and store leave, new or changed (announced, cause ``"leave"``): for the
    person it belongs to, and the one it belonged to if it moved. Use it for instances built
    elsewhere (admin forms)."""
    people = [unavailability.person_id]
    if unavailability.pk is not None:
        people += Unavailability.objects.filter(pk=unavailability.pk).values_list(
            "person_id", flat=True
        )
    unavailability.full_clean()
    with availability_change(sender=Unavailability, person_ids=people, cause="leave"):
        unavailability.save()
    return unavailability


def unavailability_create(
    *, person: Person, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> Unavailability:
    unavailability = Unavailability(
        person=person, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    return unavailability_save(unavailability=unavailability)


UNAVAILABILITY_UPDATE_FIELDS = frozenset({"person", "starts_at", "ends_at", "reason"})


def unavailability_update(
    *, unavailability: Unavailability, data: Mapping[str, Any]
) -> Unavailability:
    unknown = set(data) - UNAVAILABILITY_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"unavailability_update() cannot change {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(unavailability, field, value)
    return unavailability_save(unavailability=unavailability)


def unavailability_delete(*, unavailability: Unavailability) -> None:
    with availability_change(
        sender=Unavailability, person_ids=[unavailability.person_id], cause="leave"
    ):
        unavailability.delete()


def unavailability_delete_many(*, unavailability: QuerySet[Unavailability]) -> int:
    """Delete several periods at once (the admin's "delete selected"): one announcement for
    everyone they belonged to. Returns how many were deleted."""
    rows = dict(unavailability.values_list("pk", "person_id"))
    with availability_change(sender=Unavailability, person_ids=rows.values(), cause="leave"):
        deleted, _ = Unavailability.objects.filter(pk__in=rows).delete()
    return deleted
