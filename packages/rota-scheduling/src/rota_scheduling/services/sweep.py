"""The rotation sweep and the reminders, run by Celery beat (and `rota rotate`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from rota_core.models import Person

from ..adapters import load_availability, member_ids
from ..models import Override, Rota, Shift
from ..selectors import rota_on_duty
from ..signals import shift_upcoming
from .rotation import STATE_FIELDS, announce_shift, catch_up

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class SweepResult:
    rotas: int = 0
    shifts: list[Shift] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def rotate_due(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Store every due handoff of every active rota, one transaction per batch.

    Rows are taken with ``FOR UPDATE SKIP LOCKED``: concurrent sweeps split the work and
    never store a shift twice (a unique (rota, starts_at) backs that up). Each rota is
    rotated inside a savepoint: a failure rolls back that rota alone, never half of it.
    ``shift_started`` goes out once per rota per sweep, for its latest shift.
    """
    now = now or timezone.now()
    result = SweepResult()
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Rota.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(is_active=True, next_handoff_at__lte=now, id__gt=last_id)
                .select_related("current_shift")
                .order_by("id")[:batch_size]
            )
            if not batch:
                return result
            last_id = batch[-1].id
            prefetch_related_objects(batch, "memberships")
            since = min(rota.next_handoff_at for rota in batch)
            member_set = {pid for rota in batch for pid in member_ids(rota)}
            availability = load_availability(member_set, since=since)
            people = Person.objects.in_bulk(member_set)  # who shift_started names
            covers = _overrides_between(batch, since=since, until=now)
            for rota in batch:
                _rotate_one(
                    rota,
                    now=now,
                    availability=availability,
                    people=people,
                    overrides=covers[rota.id],
                    result=result,
                )


def _overrides_between(batch: list[Rota], *, since: datetime, until: datetime) -> dict:
    """The batch's overrides in force at some instant of [since, until], by rota (one query)."""
    by_id = {rota.id: rota for rota in batch}
    covers = defaultdict(list)
    rows = Override.objects.filter(
        rota_id__in=by_id, starts_at__lte=until, ends_at__gt=since
    ).select_related("person")
    for override in rows:
        override.rota = by_id[override.rota_id]
        covers[override.rota_id].append(override)
    return covers


def _rotate_one(
    rota: Rota,
    *,
    now: datetime,
    availability,
    people: dict[int, Person],
    overrides: list[Override],
    result: SweepResult,
) -> None:
    try:
        with transaction.atomic():
            shifts = catch_up(rota, now=now, availability=availability)
            rota.save(update_fields=STATE_FIELDS)
            if shifts:
                latest = shifts[-1]
                if latest.person_id in people:
                    latest.person = people[latest.person_id]
                announce_shift(rota, latest, overrides=overrides)
    except Exception:
        logger.exception("rotating rota %s failed; it stays due for the next sweep", rota.pk)
        result.failed.append(rota.pk)
        return
    result.rotas += 1
    result.shifts.extend(shifts)


def send_reminders(*, now: datetime | None = None) -> int:
    """shift_upcoming once per (rota, handoff) once ``reminder_minutes`` before it has come."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            Rota.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(is_active=True, remind_at__lte=now, next_handoff_at__gt=now)
            .prefetch_related("memberships")
        )
        for rota in due:
            # A savepoint per rota: a failing receiver rolls back that reminder alone (tried
            # again next run) and never holds back the others.
            try:
                with transaction.atomic():
                    sent += _remind(rota)
            except Exception:
                logger.exception("reminding for rota %s failed; tried again next run", rota.pk)
    return sent


def _remind(rota: Rota) -> int:
    upcoming = rota_on_duty(rota=rota, at=rota.next_handoff_at)
    rota.reminded_for = rota.next_handoff_at
    rota.remind_at = None
    rota.save(update_fields=["reminded_for", "remind_at", "updated_at"])
    if upcoming.person_id is None:
        return 0
    shift_upcoming.send(
        sender=Rota,
        rota=rota,
        starts_at=rota.next_handoff_at,
        ends_at=upcoming.ends_at,
        person=Person.objects.get(pk=upcoming.person_id),
    )
    return 1
