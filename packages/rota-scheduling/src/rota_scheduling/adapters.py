"""Translate stored rotas into the engine's inputs (recurrence, cycle state, availability)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import FilteredRelation, Q

from rota_core.selectors import unavailable_intervals
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


def load_member_ids(rota: Rota) -> tuple[int, ...]:
    """Person ids in rota order (one query). For many rotas, ``load_members``."""
    return tuple(rota.memberships.order_by("position").values_list("person_id", flat=True))


# A person switched off without a recorded instant is unavailable for any shift.
_ALWAYS = datetime.min.replace(tzinfo=UTC)


_MEMBER_COLUMNS = (
    "rota_id", "person_id", "person__name", "person__is_active", "person__deactivated_at",
)  # fmt: skip


class Member(NamedTuple):
    """What reads need to know of a rota member besides their id."""

    name: str
    inactive_since: datetime | None  # None while active


@dataclass(frozen=True)
class Members:
    """What ``load_members`` loaded for some rotas; nothing is kept on the rotas."""

    order: dict[int, tuple[int, ...]]  # rota id -> person ids in rota order
    people: dict[int, Member]  # every member of those rotas, by id
    availability: Availability

    def of(self, rota: Rota) -> tuple[int, ...]:
        """The rota's person ids in order (it must be one of the rotas loaded)."""
        return self.order[rota.id]

    def covers(self, rotas: Iterable[Rota]) -> bool:
        return all(rota.id in self.order for rota in rotas)


def load_members(rotas: list[Rota], *, leave_since: datetime | None = None) -> Members:
    """Load the members of many rotas in one query of plain rows (no model instances): their
    ids in rota order, names and deactivation, what showing who is on duty and projecting
    past a handoff need.

    With ``leave_since``, the same query also brings the members' unavailability ending after
    it (a LEFT JOIN: a row per period), and the availability returned holds for any shift
    ending after ``leave_since``; without it, the availability holds deactivation only.

    The one place besides ``rota_core.selectors.unavailable_intervals`` that reads
    availability, with the same rule: joined to the memberships so that the sweep's batch and
    a page of rotas cost one query however many rotas (decision 0013); ``load_availability``
    is the loader for a list of people.
    """
    columns = [*_MEMBER_COLUMNS]
    rows = Membership.objects.filter(rota_id__in=[rota.id for rota in rotas]).order_by(
        "rota_id", "position"
    )
    if leave_since is not None:
        rows = rows.annotate(
            leave=FilteredRelation(
                "person__unavailability",
                condition=Q(person__unavailability__ends_at__gt=leave_since),
            )
        )
        columns += ["leave__starts_at", "leave__ends_at"]
    people: dict[int, Member] = {}
    by_rota: dict[int, list[int]] = defaultdict(list)
    leave: dict[int, set[tuple[datetime, datetime]]] = defaultdict(set)
    for rota_id, person_id, name, is_active, deactivated_at, *period in rows.values_list(*columns):
        order = by_rota[rota_id]
        if not order or order[-1] != person_id:  # a row per leave period: once per member
            order.append(person_id)
            people[person_id] = Member(name, None if is_active else deactivated_at or _ALWAYS)
        if period and period[0] is not None:
            leave[person_id].add(tuple(period))
    inactive = {pid: m.inactive_since for pid, m in people.items() if m.inactive_since}
    return Members(
        order={rota.id: tuple(by_rota.get(rota.id, ())) for rota in rotas},
        people=people,
        availability=Availability(unavailable=leave, inactive_since=inactive),
    )


def load_availability(person_ids: Iterable[int], *, since: datetime) -> Availability:
    """Unavailability and deactivation of these people from ``since`` on (two queries, by
    ``rota_core.selectors.unavailable_intervals``), for the engine."""
    ids = set(person_ids)
    if not ids:
        return Availability()
    unavailable: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    inactive_since: dict[int, datetime] = {}
    for person_id, found in unavailable_intervals(person_ids=ids, start=since).items():
        for starts_at, ends_at in found:
            if ends_at is None:  # deactivated: unavailable for any shift ending after it
                inactive_since[person_id] = starts_at
            else:
                unavailable[person_id].append((starts_at, ends_at))
    return Availability(unavailable=unavailable, inactive_since=inactive_since)
