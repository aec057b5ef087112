"""Translate stored rotas into the engine's inputs (recurrence, cycle state, availability)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from rota_core.models import Person, Unavailability
from rota_settings.selectors import get_system_timezone

from .engine import Availability, CycleState, Recurrence
from .models import Cadence, Rota


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
    """Person ids in rota order; uses prefetched memberships when the selector loaded them."""
    cache = getattr(rota, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        memberships = sorted(cache["memberships"], key=lambda m: m.position)
        return tuple(m.person_id for m in memberships)
    return tuple(rota.memberships.order_by("position").values_list("person_id", flat=True))


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
