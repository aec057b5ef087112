"""The rotation state machine of one rota: start, catch up, reschedule, stop, advance.

Callers hold the rota's row lock (``locked_rota``) and save the state fields afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from ..adapters import (
    load_availability,
    load_member_ids,
    rota_cycle_state,
    rota_recurrence,
    store_cycle_state,
)
from ..conf import app_settings
from ..engine import Availability, CycleState, PlannedShift, assign, project
from ..models import Override, Rota, Shift, ShiftSource, Swap
from ..signals import ShiftStart, shifts_started

STATE_FIELDS = [
    "next_handoff_at",
    "next_boundary",
    "current_shift",
    "cycle_person",
    "cycle_index",
    "owed",
    "remind_at",
    "reminded_for",
    "updated_at",
]


def locked_rota(rota_id: int) -> Rota:
    """The rota under a row lock (callers are inside transaction.atomic)."""
    return Rota.objects.select_for_update(of=("self",)).get(pk=rota_id)


def set_next_handoff(rota: Rota, k: int | None, at: datetime | None) -> None:
    rota.next_boundary = k
    rota.next_handoff_at = at
    already_reminded = at is not None and rota.reminded_for == at
    if at is None or rota.reminder_minutes is None or already_reminded:
        rota.remind_at = None
    else:
        rota.remind_at = at - timedelta(minutes=rota.reminder_minutes)


def stop_rotation(rota: Rota) -> None:
    """Paused, or no members left: the current assignee stays until rotation resumes."""
    set_next_handoff(rota, None, None)
    shift = rota.current_shift
    if shift is not None and shift.ends_at is not None:
        shift.ends_at = None
        shift.save(update_fields=["ends_at"])


def _store(rota: Rota, planned: PlannedShift) -> Shift:
    shift, _ = Shift.objects.update_or_create(
        rota=rota,
        starts_at=planned.start,
        defaults={
            "person_id": planned.person,
            "ends_at": planned.end,
            "boundary": planned.k,
            "source": planned.source,
            "conflict": planned.conflict,
            "passed_over": list(planned.passed_over),
        },
    )
    return shift


def start_rotation(rota: Rota, *, now: datetime, members: Sequence[int]) -> Shift | None:
    """SPEC "Start": store the shift of the boundary period containing ``now`` at once, given
    to the member at k mod n (``members``: person ids in rota order) subject to availability;
    before B_0 nobody is on duty yet."""
    recurrence = rota_recurrence(rota)
    k = recurrence.index_at(now)
    if k < 0:
        store_cycle_state(rota, CycleState.starting_at(0, len(members)))
        rota.current_shift = None
        set_next_handoff(rota, 0, recurrence.boundary(0))
        return None
    shifts, state = project(
        recurrence=recurrence,
        members=members,
        state=CycleState.starting_at(k, len(members)),
        policy=rota.skip_policy,
        availability=load_availability(members, since=recurrence.boundary(k)),
        from_k=k,
        until=now + timedelta(microseconds=1),
        limit=1,
    )
    shift = _store(rota, shifts[0])
    store_cycle_state(rota, state)
    rota.current_shift = shift
    set_next_handoff(rota, k + 1, shifts[0].end)
    return shift


def reschedule_rotation(rota: Rota, *, now: datetime) -> None:
    """Keep the current assignee; the next handoff is the first boundary after ``now``."""
    recurrence = rota_recurrence(rota)
    k = recurrence.first_after(now)
    at = recurrence.boundary(k)
    set_next_handoff(rota, k, at)
    shift = rota.current_shift
    if shift is not None and shift.ends_at != at:
        shift.ends_at = at
        shift.save(update_fields=["ends_at"])


def sync_rotation(rota: Rota, *, now: datetime, redefined: bool = False) -> Shift | None:
    """Bring the state in line with is_active, members and the definition after an edit.
    Returns a shift that started because of it (to announce), if any."""
    members = load_member_ids(rota) if rota.is_active else ()
    if not members:
        stop_rotation(rota)
        return None
    if rota.current_shift_id is None:
        return start_rotation(rota, now=now, members=members)
    if redefined or rota.next_handoff_at is None:
        reschedule_rotation(rota, now=now)
    else:  # reminder_minutes may have changed: move (or drop) the pending reminder
        set_next_handoff(rota, rota.next_boundary, rota.next_handoff_at)
    return None


@dataclass(frozen=True)
class CatchUp:
    """The handoffs a rota passed, worked out but not yet stored."""

    planned: list[PlannedShift]
    state: CycleState


def plan_catch_up(
    rota: Rota,
    *,
    now: datetime,
    members: Sequence[int] | None = None,
    availability: Availability | None = None,
    tz: ZoneInfo | None = None,
) -> CatchUp | None:
    """Every boundary the rota passed (downtime included), assigned; None when nothing is
    due. Reads nothing but what it is given: without ``members`` (person ids in rota order)
    or ``availability``, a due rota loads them (``load_member_ids``, ``load_availability``)."""
    if not _due(rota, now):
        return None
    if members is None:
        members = load_member_ids(rota)
    if not members:
        return None
    if availability is None:
        availability = load_availability(members, since=rota.next_handoff_at)
    planned, state = project(
        recurrence=rota_recurrence(rota, tz=tz),
        members=members,
        state=rota_cycle_state(rota),
        policy=rota.skip_policy,
        availability=availability,
        from_k=rota.next_boundary,
        until=now + timedelta(microseconds=1),
        limit=app_settings.MAX_CATCH_UP,
    )
    return CatchUp(planned, state) if planned else None


def new_shift_rows(rota: Rota, plan: CatchUp) -> list[Shift]:
    # rota_id, not rota=: the rota will point at its new current shift, and a shift pointing
    # back would make every pair a reference cycle, freed only by the cyclic collector (the
    # sweep's memory would then grow with the rotas it has done, not stay at one batch).
    return [
        Shift(
            rota_id=rota.id,
            person_id=p.person,
            starts_at=p.start,
            ends_at=p.end,
            boundary=p.k,
            source=p.source,
            conflict=p.conflict,
            passed_over=list(p.passed_over),
        )
        for p in plan.planned
    ]


def close_current_shift(rota: Rota, plan: CatchUp) -> Shift | None:
    """The current shift ends where the first new one starts; returns it if it changed."""
    current = rota.current_shift
    first = plan.planned[0].start
    if current is not None and (current.ends_at is None or current.ends_at > first):
        current.ends_at = first
        return current
    return None


def apply_catch_up(rota: Rota, plan: CatchUp, stored: list[Shift]) -> None:
    """Move the rota's state past the stored shifts (the caller saves the rota)."""
    store_cycle_state(rota, plan.state)
    rota.current_shift = stored[-1]
    last = plan.planned[-1]
    set_next_handoff(rota, last.k + 1, last.end)


def catch_up(
    rota: Rota,
    *,
    now: datetime,
    members: Sequence[int] | None = None,
    availability: Availability | None = None,
    tz: ZoneInfo | None = None,
) -> list[Shift]:
    """Store every boundary the rota passed and move its state on (one rota; the sweep does
    the same for a whole batch with bulk writes). ``members`` and ``availability`` as in
    ``plan_catch_up``; ``tz`` overrides the rota's zone (the system zone it followed before a
    change)."""
    if not _due(rota, now):
        return []
    if members is None:
        members = load_member_ids(rota)
    if not members:
        stop_rotation(rota)
        return []
    plan = plan_catch_up(rota, now=now, members=members, availability=availability, tz=tz)
    if plan is None:
        return []
    closed = close_current_shift(rota, plan)
    if closed is not None:
        closed.save(update_fields=["ends_at"])
    stored = Shift.objects.bulk_create(new_shift_rows(rota, plan))
    apply_catch_up(rota, plan, stored)
    return stored


def _due(rota: Rota, now: datetime) -> bool:
    return bool(rota.is_active and rota.next_handoff_at and rota.next_handoff_at <= now)


def advance_rotation(rota: Rota, *, now: datetime) -> Shift:
    """End the current shift now; the next assignee holds it until the next boundary."""
    members = load_member_ids(rota)
    end = rota.next_handoff_at
    availability = load_availability(members, since=now)
    turn = assign(
        members=members,
        state=rota_cycle_state(rota),
        policy=rota.skip_policy,
        is_available=availability.for_shift(now, end),
    )
    current = rota.current_shift
    if current is not None:
        current.ends_at = now
        current.save(update_fields=["ends_at"])
    shift = Shift.objects.create(
        rota=rota,
        person_id=turn.person,
        starts_at=now,
        ends_at=end,
        boundary=rota.next_boundary - 1,
        source=ShiftSource.MANUAL,
        conflict=turn.conflict,
        passed_over=list(turn.passed_over),
    )
    store_cycle_state(rota, turn.state)
    rota.current_shift = shift
    return shift


def cover_at(rota: Rota, at: datetime) -> Override | None:
    return (
        Override.objects.filter(rota=rota, starts_at__lte=at)
        .filter(Q(ends_at__gt=at))
        .select_related("person")
        .first()
    )


def shift_start(
    rota: Rota, shift: Shift, *, overrides: Iterable[Override] | None = None
) -> ShiftStart:
    """What ``shifts_started`` says of a stored shift: an override in force at its start means
    the covering person is the one on duty, and a taken swap of that person in force then
    means its taker is (one query for swaps). ``overrides``: the rota's overrides around the
    shift's start when the caller loaded them already (the sweep does, for a whole batch);
    without them, one query."""
    if overrides is None:
        override = cover_at(rota, shift.starts_at)
    else:
        override = next((o for o in overrides if o.starts_at <= shift.starts_at < o.ends_at), None)
    person = override.person if override else shift.person
    swap = person and (
        Swap.objects.taken()
        .filter(rota=rota, requester=person, starts_at__lte=shift.starts_at)
        .filter(ends_at__gt=shift.starts_at)
        .select_related("taker")
        .first()
    )
    return ShiftStart(rota, shift, swap.taker if swap else person, override, swap)


def announce_shift(
    rota: Rota, shift: Shift, *, overrides: Iterable[Override] | None = None
) -> None:
    """Send ``shifts_started`` for one rota's stored shift."""
    shifts_started.send(sender=Rota, starts=[shift_start(rota, shift, overrides=overrides)])
