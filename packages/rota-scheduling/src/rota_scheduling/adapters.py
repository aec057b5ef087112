"""Translate stored rotas into the engine's inputs (recurrence, cycle state, availability)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from rota_core.models import Person, Unavailability
from rota_settings.selectors import get_system_timezone

from .engine import Availability, CycleState, Recurrence
from .models import Cadence, Membership, Rota


def rota_zone(rota: Rota) -> ZoneInfo:
    """The rota's own zone, or the system zone when it follows the system."""
    return ZoneInfo(rota.timezone) if rota.timezone else get_system_timezone()


def rota_recurrence(rota: Rota, *, tz: ZoneInfo | None = None) -> Recurrence:
    weekdays = frozenset(rota.weekdays) if rota.cadence == Cadence.DAILY else None
    return Recurrence(
        tz=tz or rota_zone(rota),
        cadence=rota.cadence,
        interval=rota.interval,
        starts_on=rota.starts_on,
        handoff_time=rota.handoff_time,
        weekdays=weekdays,
    )


def rota_cycle_state(rota: Rota) -> CycleState:
    return CycleState(
        cycle_person=rota.cycle_person_id, cycle_index=rota.cycle_index, owed=tuple(rota.owed)
    )


def store_cycle_state(rota: Rota, state: CycleState) -> None:
    rota.cycle_person_id = state.cycle_person
    rota.cycle_index = state.cycle_index
    rota.owed = list(state.owed)


def member_ids(rota: Rota) -> tuple[int, ...]:
    """Person ids in rota order; uses what ``load_member_ids`` or a prefetch loaded."""
    loaded = rota.__dict__.get("_member_ids")
    if loaded is not None:
        return loaded
    cache = getattr(rota, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        memberships = sorted(cache["memberships"], key=lambda m: m.position)
        return tuple(m.person_id for m in memberships)
    return tuple(rota.memberships.order_by("position").values_list("person_id", flat=True))


def load_member_ids(rotas: list[Rota]) -> None:
    """Load the members of many rotas in one query of plain ids (no model instances)."""
    by_rota: dict[int, list[int]] = defaultdict(list)
    rows = (
        Membership.objects.filter(rota_id__in=[rota.id for rota in rotas])
        .order_by("rota_id", "position")
        .values_list("rota_id", "person_id")
    )
    for rota_id, person_id in rows:
        by_rota[rota_id].append(person_id)
    for rota in rotas:
        rota._member_ids = tuple(by_rota.get(rota.id, ()))


def load_availability(person_ids: Iterable[int], *, since: datetime) -> Availability:
    """Unavailability and deactivation of these people from ``since`` on (two queries)."""
    ids = set(person_ids)
    if not ids:
        return Availability()
    unavailable: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = Unavailability.objects.filter(person_id__in=ids, ends_at__gt=since).values_list(
        "person_id", "starts_at", "ends_at"
    )
    for person_id, starts_at, ends_at in rows:
        unavailable[person_id].append((starts_at, ends_at))
    inactive = dict(
        Person.objects.filter(id__in=ids, is_active=False).values_list("id", "deactivated_at")
    )
    # A person switched off without a recorded instant is unavailable for any shift.
    inactive_since = {
        pid: when or datetime.min.replace(tzinfo=since.tzinfo) for pid, when in inactive.items()
    }
    return Availability(unavailable=unavailable, inactive_since=inactive_since)
