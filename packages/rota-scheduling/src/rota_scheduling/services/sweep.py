"""The rotation sweep and the reminders, run by Celery beat (and `rota rotate`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from rota_core.models import Person
from rota_settings.selectors import get_system_timezone

from ..adapters import Members, load_members
from ..conf import app_settings
from ..models import Override, Rota, Shift
from ..selectors import rota_on_duty
from ..signals import shift_upcoming, shifts_started
from .rotation import (
    STATE_FIELDS,
    announce_shift,
    apply_catch_up,
    catch_up,
    close_current_shift,
    new_shift_rows,
    plan_catch_up,
    shift_start,
    stop_rotation,
)
from .state_writer import save_rota_states

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    rotas: int = 0
    stored: int = 0
    shifts: list[Shift] = field(default_factory=list)  # only with collect=True
    failed: list[int] = field(default_factory=list)


def rotate_due(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    on_stored: Callable[[list[Shift]], None] | None = None,
    collect: bool = True,
) -> SweepResult:
    """Store every due handoff of every active rota, one transaction per batch.

    Rows are taken with ``FOR UPDATE SKIP LOCKED``: concurrent sweeps split the work and never
    store a shift twice (a unique (rota, starts_at) backs that up). A batch is written with
    bulk statements; if anything in it fails, the batch is redone rota by rota in savepoints,
    so one bad rota never holds back the others and no rota is ever half rotated.
    ``shifts_started`` goes out once per batch, naming each rota's latest shift. ``on_stored``
    sees each batch's new shifts; with ``collect=False`` the result keeps only counts, so
    memory stays flat however many rotas are due (the task and ``rota rotate`` do that).
    """
    now = now or timezone.now()
    batch_size = batch_size or app_settings.SWEEP_BATCH_SIZE
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
            context = _BatchContext.load(batch, now=now)
            try:
                with transaction.atomic():
                    stored = _rotate_batch(batch, now=now, context=context)
            except Exception:
                logger.exception("batch write failed; rotating its rotas one by one")
                stored = _rotate_one_by_one(batch, now=now, context=context, result=result)
            else:
                result.rotas += len(batch)
            result.stored += len(stored)
            if collect:
                result.shifts.extend(stored)
            if on_stored is not None:
                on_stored(stored)


@dataclass
class _BatchContext:
    """What a batch needs, loaded in a fixed number of queries."""

    members: Members
    overrides: dict[int, list[Override]]
    system_tz: ZoneInfo

    @classmethod
    def load(cls, batch: list[Rota], *, now: datetime) -> _BatchContext:
        since = min(rota.next_handoff_at for rota in batch)
        return cls(
            # Members, deactivation and leave in one query, by rota id (no list of people).
            members=load_members(batch, leave_since=since),
            overrides=_overrides_between(batch, since=since, until=now),
            system_tz=get_system_timezone(),
        )

    def zone(self, rota: Rota) -> ZoneInfo:
        return ZoneInfo(rota.timezone) if rota.timezone else self.system_tz


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


def _rotate_batch(batch: list[Rota], *, now: datetime, context: _BatchContext) -> list[Shift]:
    plans, closed, rows = [], [], []
    for rota in batch:
        members = context.members.of(rota)
        if not members:
            stop_rotation(rota)
            continue
        plan = plan_catch_up(
            rota,
            now=now,
            members=members,
            availability=context.members.availability,
            tz=context.zone(rota),
        )
        if plan is None:
            continue
        current = close_current_shift(rota, plan)
        if current is not None:
            closed.append(current)
        new_rows = new_shift_rows(rota, plan)
        plans.append((rota, plan, len(rows), len(rows) + len(new_rows)))
        rows.extend(new_rows)
    if closed:
        Shift.objects.bulk_update(closed, ["ends_at"])
    stored = Shift.objects.bulk_create(rows)
    for rota, plan, first, end in plans:
        apply_catch_up(rota, plan, stored[first:end])
    save_rota_states(batch)
    # Only the people who take over are named in the announcement: load just those.
    people = Person.objects.in_bulk({stored[end - 1].person_id for _r, _p, _f, end in plans})
    starts = []
    for rota, _plan, _first, end in plans:
        latest = stored[end - 1]
        latest.person = people[latest.person_id]
        starts.append(shift_start(rota, latest, overrides=context.overrides[rota.id]))
    if starts:
        shifts_started.send(sender=Rota, starts=starts)
    return stored


def _rotate_one_by_one(
    batch: list[Rota], *, now: datetime, context: _BatchContext, result: SweepResult
) -> list[Shift]:
    stored: list[Shift] = []
    for rota in batch:
        rota.refresh_from_db()  # the failed batch may have changed it in memory
        try:
            with transaction.atomic():
                shifts = catch_up(
                    rota,
                    now=now,
                    members=context.members.of(rota),
                    availability=context.members.availability,
                )
                rota.save(update_fields=STATE_FIELDS)
                if shifts:
                    latest = shifts[-1]
                    announce_shift(rota, latest, overrides=context.overrides[rota.id])
        except Exception:
            logger.exception("rotating rota %s failed; it stays due for the next sweep", rota.pk)
            result.failed.append(rota.pk)
            continue
        result.rotas += 1
        stored.extend(shifts)
    return stored


def send_reminders(*, now: datetime | None = None) -> int:
    """shift_upcoming once per (rota, handoff) once ``reminder_minutes`` before it has come."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = Rota.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            is_active=True, remind_at__lte=now, next_handoff_at__gt=now
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
