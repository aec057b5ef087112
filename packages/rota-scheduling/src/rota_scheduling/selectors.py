"""Reads: a rota's timeline (stored history, then projection), segments, on duty, stats."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from rota_core.models import Person

from .adapters import load_availability, member_ids, rota_cycle_state, rota_recurrence
from .engine import Availability, Cover, PlannedShift, Segment, build_segments, project
from .models import Override, Rota, Shift

CHANGE_HORIZON = timedelta(days=14)


def rotas_for_api() -> QuerySet[Rota]:
    return Rota.objects.select_related("current_shift").prefetch_related("memberships")


def projection_start(rota: Rota) -> datetime | None:
    """Where stored history ends and projection begins: the next handoff of an active rota
    (even if it has passed and the sweep has not stored it yet, so nothing shows stale)."""
    return rota.next_handoff_at if rota.is_active else None


def _stored_as_planned(shift: Shift, *, open_end: datetime) -> PlannedShift:
    return PlannedShift(
        start=shift.starts_at,
        end=shift.ends_at or open_end,
        person=shift.person_id,
        source=shift.source,
        conflict=shift.conflict,
        passed_over=tuple(shift.passed_over),
        k=shift.boundary,
    )


def rota_timeline(
    *, rota: Rota, start: datetime, end: datetime, availability: Availability | None = None
) -> list[PlannedShift]:
    """The shifts overlapping [start, end), in order: stored before the projection point,
    projected from it."""
    cut = projection_start(rota)
    stored_until = min(end, cut) if cut else end
    shifts: list[PlannedShift] = []
    if start < stored_until:
        stored = Shift.objects.filter(rota=rota, starts_at__lt=stored_until).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=start)
        )
        shifts = [_stored_as_planned(s, open_end=end) for s in stored.order_by("starts_at")]
    if cut is not None and cut < end and rota.next_boundary is not None:
        members = member_ids(rota)
        if members:
            if availability is None:
                availability = load_availability(members, since=cut)
            projected, _ = project(
                recurrence=rota_recurrence(rota),
                members=members,
                state=rota_cycle_state(rota),
                policy=rota.skip_policy,
                availability=availability,
                from_k=rota.next_boundary,
                until=end,
            )
            shifts.extend(s for s in projected if s.end > start)
    return shifts


def rota_covers(*, rota: Rota, start: datetime, end: datetime) -> list[Cover]:
    rows = Override.objects.filter(rota=rota, starts_at__lt=end, ends_at__gt=start)
    return [Cover(start=o.starts_at, end=o.ends_at, person=o.person_id) for o in rows]


def rota_segments(*, rota: Rota, start: datetime, end: datetime) -> list[Segment]:
    """Who is on duty over [start, end): segments tiling the window, overrides on top."""
    return build_segments(
        shifts=rota_timeline(rota=rota, start=start, end=end),
        overrides=rota_covers(rota=rota, start=start, end=end),
        window_start=start,
        window_end=end,
    )


def people_by_id(ids) -> dict[int, Person]:
    return Person.objects.in_bulk({i for i in ids if i is not None})


@dataclass(frozen=True)
class OnDuty:
    """Who holds a rota at an instant, with the full extent of what puts them there."""

    rota: Rota
    person_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    source: str
    conflict: bool = False


# The end of a stored shift that has none yet (its rota is paused).
OPEN_END = datetime.max.replace(tzinfo=UTC)


def _holder(rota: Rota, at: datetime, shifts: list[PlannedShift], cover: Cover | None) -> OnDuty:
    if cover is not None:
        return OnDuty(rota, cover.person, cover.start, cover.end, "override")
    for shift in shifts:
        if shift.start <= at < shift.end:
            end = None if shift.end == OPEN_END else shift.end  # paused: until further notice
            return OnDuty(rota, shift.person, shift.start, end, shift.source, shift.conflict)
    return OnDuty(rota, None, None, None, "rotation")


def holders_at(*, rotas: list[Rota], at: dict[int, datetime]) -> dict[int, OnDuty]:
    """Who holds each rota at its own instant ``at[rota.id]``: the override covering it, else
    the stored shift covering it, else the projection. A constant number of queries, however
    many rotas (their memberships should be prefetched)."""
    rotas = [rota for rota in rotas if rota.id in at]
    if not rotas:
        return {}
    ids = [rota.id for rota in rotas]
    low, high = min(at.values()), max(at.values())
    covers: dict[int, list[Cover]] = defaultdict(list)
    for o in Override.objects.filter(rota_id__in=ids, starts_at__lte=high, ends_at__gt=low):
        covers[o.rota_id].append(Cover(start=o.starts_at, end=o.ends_at, person=o.person_id))
    projecting = [
        r for r in rotas if r.is_active and r.next_handoff_at and r.next_handoff_at <= at[r.id]
    ]
    stored: dict[int, list[PlannedShift]] = defaultdict(list)
    projecting_ids = {rota.id for rota in projecting}
    stored_ids = [r.id for r in rotas if r.id not in projecting_ids]
    if stored_ids:
        shifts = Shift.objects.filter(rota_id__in=stored_ids, starts_at__lte=high).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=low)
        )
        for shift in shifts:
            stored[shift.rota_id].append(_stored_as_planned(shift, open_end=OPEN_END))
    availability = None
    if projecting:
        # Only rotas projected past a handoff need their members: one query for all of them.
        prefetch_related_objects(
            [
                r
                for r in projecting
                if "memberships" not in getattr(r, "_prefetched_objects_cache", {})
            ],
            "memberships",
        )
        people = {pid for rota in projecting for pid in member_ids(rota)}
        since = min(rota.next_handoff_at for rota in projecting)
        availability = load_availability(people, since=since)
    holders = {}
    for rota in rotas:
        when = at[rota.id]
        if rota.id in projecting_ids:
            shifts = rota_timeline(
                rota=rota, start=when, end=when + _PROBE, availability=availability
            )
        else:
            shifts = stored.get(rota.id, [])
        cover = next((c for c in covers.get(rota.id, ()) if c.start <= when < c.end), None)
        holders[rota.id] = _holder(rota, when, shifts, cover)
    return holders


_PROBE = timedelta(microseconds=1)


def effective_next_handoff(rota: Rota, *, now: datetime) -> datetime | None:
    """The next handoff after ``now``: the stored one, or if the sweep is late, the first
    boundary after now (a passed handoff counts as done)."""
    if not rota.is_active or rota.next_handoff_at is None:
        return None
    if rota.next_handoff_at > now:
        return rota.next_handoff_at
    recurrence = rota_recurrence(rota)
    return recurrence.boundary(recurrence.first_after(now))


def rota_on_duty(*, rota: Rota, at: datetime) -> OnDuty:
    return holders_at(rotas=[rota], at={rota.id: at})[rota.id]


@dataclass(frozen=True)
class RotaNow:
    current: OnDuty | None
    next: OnDuty | None
    next_handoff_at: datetime | None


def rotas_now(*, rotas: list[Rota], now: datetime | None = None) -> dict[int, RotaNow]:
    """``current`` and ``next`` of each rota for the API, in a constant number of queries."""
    now = now or timezone.now()
    current = holders_at(rotas=rotas, at={rota.id: now for rota in rotas})
    upcoming_at = {}
    for rota in rotas:
        when = effective_next_handoff(rota, now=now)
        if when is not None:
            upcoming_at[rota.id] = when
    upcoming = holders_at(rotas=rotas, at=upcoming_at)
    return {
        rota.id: RotaNow(
            current=current[rota.id] if current[rota.id].person_id is not None else None,
            next=upcoming.get(rota.id),
            next_handoff_at=upcoming_at.get(rota.id),
        )
        for rota in rotas
    }


def oncall_at(*, at: datetime) -> list[OnDuty]:
    """One row per active rota with who is on duty at ``at``."""
    rotas = list(Rota.objects.filter(is_active=True))
    holders = holders_at(rotas=rotas, at={rota.id: at for rota in rotas})
    return [holders[rota.id] for rota in rotas]


def turns_by_person(*, rota: Rota, start: datetime, end: datetime) -> dict[int, list]:
    """Each person's (start, end) intervals on duty in the window (for change notices)."""
    turns: dict[int, list] = defaultdict(list)
    for segment in rota_segments(rota=rota, start=start, end=end):
        if segment.person is not None:
            turns[segment.person].append((segment.start, segment.end))
    return dict(turns)


@dataclass(frozen=True)
class PersonStats:
    person_id: int
    shifts: int
    hours: float
    passed_over: int


def rota_stats(*, rota: Rota, start: datetime, end: datetime) -> list[PersonStats]:
    """Per person: shifts taken (starting in the window), hours on duty (overrides counted
    for the coverer), times passed over."""
    timeline = rota_timeline(rota=rota, start=start, end=end)
    segments = build_segments(
        shifts=timeline,
        overrides=rota_covers(rota=rota, start=start, end=end),
        window_start=start,
        window_end=end,
    )
    taken: Counter = Counter()
    passed: Counter = Counter()
    for shift in timeline:
        if start <= shift.start < end:
            taken[shift.person] += 1
            passed.update(shift.passed_over)
    seconds: Counter = Counter()
    for segment in segments:
        if segment.person is not None:
            seconds[segment.person] += (segment.end - segment.start).total_seconds()
    order = list(member_ids(rota))
    order += sorted((set(taken) | set(seconds) | set(passed)) - set(order))
    return [
        PersonStats(pid, taken[pid], round(seconds[pid] / 3600, 2), passed[pid]) for pid in order
    ]
