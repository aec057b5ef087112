"""Overrides: someone covers an interval of a rota without changing the rotation order."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rota_core import messages
from rota_core.models import Person
from rota_core.selectors import unavailable_intervals

from ..models import Override, Rota
from ..signals import override_started
from .changes import schedule_change
from .rotation import locked_rota

logger = logging.getLogger(__name__)


def _validate(
    *, rota: Rota | None, person: Person | None, starts_at, ends_at, now: datetime
) -> None:
    """Every rule an override breaks, in one ValidationError; a value left out (None: it
    failed its own check, or nobody covers) skips the rules that need it. The covering person
    must be active and free of leave over the whole interval."""
    errors: dict[str, list[str]] = {}
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [messages.must_be_after("ends_at", "starts_at")]
    elif ends_at is not None and ends_at <= now:
        errors["ends_at"] = ["An override cannot end in the past."]
    if person is not None and not person.is_active:
        errors["person"] = [messages.inactive_people([person.pk])]
    elif person is not None and starts_at is not None and ends_at is not None:
        away = unavailable_intervals(person_ids=[person.pk], start=starts_at, end=ends_at)
        if away.get(person.pk):
            start, end = away[person.pk][0]
            errors["person"] = [messages.unavailable(person.name, start, end, "the override")]
    if rota is not None and starts_at is not None and ends_at is not None and ends_at > starts_at:
        clash = Override.objects.filter(
            rota=rota, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).first()
        if clash is not None:
            errors["starts_at"] = [
                f"Overlaps override #{clash.pk} ({clash.starts_at:%Y-%m-%d %H:%M}Z–"
                f"{clash.ends_at:%Y-%m-%d %H:%M}Z) on this rota."
            ]
    if errors:
        raise ValidationError(errors)


def override_validate(
    *,
    rota: Rota | None,
    person: Person | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    now=None,
) -> None:
    """The rules ``override_create`` enforces, all at once, for forms and serializers that
    must show every error before saving (the admin, the API); ``override_create`` checks them
    again under the rota's lock. None for a value that failed its own check."""
    _validate(
        rota=rota, person=person, starts_at=starts_at, ends_at=ends_at, now=now or timezone.now()
    )


def announce_override(override: Override, *, now: datetime) -> None:
    """Send override_started once (the row is locked by the caller); an override of nobody
    (``person`` None) is marked as announced without a signal: there is no one to tell."""
    override.started_notified_at = now
    override.save(update_fields=["started_notified_at"])
    if override.person_id is None:
        return
    override_started.send(
        sender=Rota, rota=override.rota, override=override, person=override.person
    )


@transaction.atomic
def override_create(
    *,
    rota: Rota,
    person: Person | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
    created_by=None,
    now: datetime | None = None,
) -> Override:
    now = now or timezone.now()
    with schedule_change([rota.pk], cause="override", now=now):
        rota = locked_rota(rota.pk)  # serialises overlapping creations on one rota
        _validate(rota=rota, person=person, starts_at=starts_at, ends_at=ends_at, now=now)
        override = Override.objects.create(
            rota=rota,
            person=person,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_by=created_by,
        )
        if starts_at <= now:
            announce_override(override, now=now)
    return override


@transaction.atomic
def override_delete(*, override: Override, now: datetime | None = None) -> None:
    with schedule_change([override.rota_id], cause="override", now=now):
        locked_rota(override.rota_id)
        override.delete()


def announce_started_overrides(*, now: datetime | None = None) -> int:
    """Send override_started for overrides whose start has come (once each); overrides that
    ended unseen during downtime are marked without a notice."""
    now = now or timezone.now()
    with transaction.atomic():
        Override.objects.filter(started_notified_at__isnull=True, ends_at__lte=now).update(
            started_notified_at=now
        )
        due = (
            Override.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(started_notified_at__isnull=True, starts_at__lte=now)
            .select_related("rota", "person")
        )
        count = 0
        for override in due:
            # A savepoint each: a failing receiver rolls back that notice alone (tried again
            # next run) and never holds back the others.
            try:
                with transaction.atomic():
                    announce_override(override, now=now)
            except Exception:
                logger.exception("announcing override %s failed; tried again", override.pk)
                continue
            count += 1
    return count
