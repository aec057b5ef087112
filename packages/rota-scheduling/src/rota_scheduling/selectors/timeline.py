"""A rota's timeline: stored history, then projection; segments with overrides on top."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Q

from ..adapters import load_availability, load_member_ids, rota_cycle_state, rota_recurrence
from ..engine import Availability, Cover, PlannedShift, Segment, build_segments, project
from ..models import Override, Rota, Shift

CHANGE_HORIZON = timedelta(days=14)


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
    *,
    rota: Rota,
    start: datetime,
    end: datetime,
    members: Sequence[int] | None = None,
    availability: Availability | None = None,
) -> list[PlannedShift]:
    """The shifts overlapping [start, end), in order: stored before the projection point,
    projected from it. Projecting needs ``members`` (person ids in rota order) and
    ``availability``: what the caller loaded, else loaded here (``load_member_ids``,
    ``load_availability``)."""
    cut = projection_start(rota)
    stored_until = min(end, cut) if cut else end
    shifts: list[PlannedShift] = []
    if start < stored_until:
        stored = Shift.objects.filter(rota=rota, starts_at__lt=stored_until).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=start)
        )
        shifts = [_stored_as_planned(s, open_end=end) for s in stored.order_by("starts_at")]
    if cut is not None and cut < end and rota.next_boundary is not None:
        if members is None:
            members = load_member_ids(rota)
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


def rota_segments(
    *, rota: Rota, start: datetime, end: datetime, members: Sequence[int] | None = None
) -> list[Segment]:
    """Who is on duty over [start, end): segments tiling the window, overrides on top.
    ``members`` as in ``rota_timeline``."""
    return build_segments(
        shifts=rota_timeline(rota=rota, start=start, end=end, members=members),
        overrides=rota_covers(rota=rota, start=start, end=end),
        window_start=start,
        window_end=end,
    )


def turns_by_person(*, rota: Rota, start: datetime, end: datetime) -> dict[int, list]:
    """Each person's (start, end) intervals on duty in the window (for change notices)."""
    turns: dict[int, list] = defaultdict(list)
    for segment in rota_segments(rota=rota, start=start, end=end):
        if segment.person is not None:
            turns[segment.person].append((segment.start, segment.end))
    return dict(turns)
