"""A rota's timeline: stored history, then projection; segments with overrides on top, then
the taken swaps (applied here, on read: see docs/decisions/0016-swaps-applied-on-read.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Q

from rota_core.selectors import unavailable_intervals

from ..adapters import (
    load_availability,
    load_member_ids,
    load_members,
    rota_cycle_state,
    rota_recurrence,
)
from ..engine import (
    Availability,
    Cover,
    PlannedShift,
    Segment,
    Trade,
    build_segments,
    project,
)
from ..models import Override, Rota, Shift, Swap

CHANGE_HORIZON = timedelta(days=14)


def projection_start(rota: Rota) -> datetime | None:
    """Where stored history ends and projection begins: the next handoff of an active rota
    (even if it has passed and the sweep has not stored it yet, so nothing shows stale)."""
    return rota.next_handoff_at if rota.is_active else None


def _stored_as_planned(shift: tuple, *, open_end: datetime) -> PlannedShift:
    shift_id, starts_at, ends_at, person, source, conflict, passed_over, boundary = shift
    return PlannedShift(
        start=starts_at,
        end=ends_at or open_end,
        person=person,
        source=source,
        conflict=conflict,
        passed_over=tuple(passed_over),
        k=boundary,
        shift_id=shift_id,
    )


_STORED_COLUMNS = (
    "id", "starts_at", "ends_at", "person_id", "source", "conflict", "passed_over", "boundary",
)  # fmt: skip


def _stored(rotas: Sequence[Rota], *, start: datetime, end: datetime) -> dict[int, list]:
    """Each rota's stored shifts overlapping [start, end) before its projection point, in
    order: one query for all the rotas."""
    until = {}
    for rota in rotas:
        cut = projection_start(rota)
        if start < (stored_until := min(end, cut) if cut else end):
            until[rota.id] = stored_until
    found: dict[int, list] = {rota_id: [] for rota_id in until}
    if not until:
        return found
    rows = (
        Shift.objects.filter(rota_id__in=until, starts_at__lt=max(until.values()))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
        .order_by("starts_at")
        .values_list("rota_id", *_STORED_COLUMNS)
    )
    for rota_id, *shift in rows:
        if shift[1] < until[rota_id]:
            found[rota_id].append(_stored_as_planned(shift, open_end=end))
    return found


def _timeline(
    rota: Rota,
    *,
    start: datetime,
    end: datetime,
    stored: list,
    members: Sequence[int] | None,
    availability: Availability | None,
) -> list[PlannedShift]:
    """``stored`` (see ``_stored``), then the projection from the rota's projection point.
    Projecting needs ``members`` (person ids in rota order) and ``availability``: what the
    caller loaded, else loaded here (``load_member_ids``, ``load_availability``)."""
    shifts = list(stored)
    cut = projection_start(rota)
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


def rota_timeline(
    *,
    rota: Rota,
    start: datetime,
    end: datetime,
    members: Sequence[int] | None = None,
    availability: Availability | None = None,
) -> list[PlannedShift]:
    """The shifts overlapping [start, end), in order: stored before the projection point,
    projected from it. ``members`` and ``availability`` as in ``_timeline``."""
    stored = _stored([rota], start=start, end=end).get(rota.id, [])
    return _timeline(
        rota, start=start, end=end, stored=stored, members=members, availability=availability
    )


def _covers(rota_ids, *, start: datetime, end: datetime) -> dict[int, list[Cover]]:
    found: dict[int, list[Cover]] = defaultdict(list)
    rows = Override.objects.filter(rota_id__in=rota_ids, starts_at__lt=end, ends_at__gt=start)
    for rota_id, *cover in rows.values_list("rota_id", "starts_at", "ends_at", "person_id", "id"):
        found[rota_id].append(Cover(*cover))
    return found


def rota_covers(*, rota: Rota, start: datetime, end: datetime) -> list[Cover]:
    return _covers([rota.id], start=start, end=end).get(rota.id, [])


def _trades(rota_ids, *, start: datetime, end: datetime) -> dict[int, list[Trade]]:
    """The taken swaps overlapping [start, end), by rota, each with its taker's leave and
    inactivity in its window (two or three queries however many rotas)."""
    rows = list(
        Swap.objects.taken()
        .filter(rota_id__in=rota_ids, starts_at__lt=end, ends_at__gt=start)
        .values_list("rota_id", "starts_at", "ends_at", "requester_id", "taker_id", "id")
    )
    found: dict[int, list[Trade]] = defaultdict(list)
    if not rows:
        return found
    away = unavailable_intervals(
        person_ids={row[4] for row in rows},
        start=min(row[1] for row in rows),
        end=max(row[2] for row in rows),
    )
    for rota_id, starts_at, ends_at, requester, taker, swap_id in rows:
        spans = tuple((a, b or ends_at) for a, b in away.get(taker, []))
        found[rota_id].append(Trade(starts_at, ends_at, requester, taker, swap_id, spans))
    return found


def rota_trades(*, rota: Rota, start: datetime, end: datetime) -> list[Trade]:
    return _trades([rota.id], start=start, end=end).get(rota.id, [])


def rota_segments(
    *, rota: Rota, start: datetime, end: datetime, members: Sequence[int] | None = None
) -> list[Segment]:
    """Who is on duty over [start, end): segments tiling the window, overrides on top, then
    the taken swaps. ``members`` as in ``rota_timeline``."""
    return build_segments(
        shifts=rota_timeline(rota=rota, start=start, end=end, members=members),
        overrides=rota_covers(rota=rota, start=start, end=end),
        swaps=rota_trades(rota=rota, start=start, end=end),
        window_start=start,
        window_end=end,
    )


def rotas_segments(
    *, rotas: Sequence[Rota], start: datetime, end: datetime
) -> dict[int, list[Segment]]:
    """``rota_segments`` of each rota, in a constant number of queries however many rotas:
    their members and leave (``load_members``), stored shifts and overrides, each read once."""
    cuts = [cut for rota in rotas if (cut := projection_start(rota)) is not None]
    loaded = load_members(list(rotas), leave_since=min(cuts) if cuts else None)
    stored = _stored(rotas, start=start, end=end)
    covers = _covers([rota.id for rota in rotas], start=start, end=end)
    trades = _trades([rota.id for rota in rotas], start=start, end=end)
    return {
        rota.id: build_segments(
            shifts=_timeline(
                rota,
                start=start,
                end=end,
                stored=stored.get(rota.id, []),
                members=loaded.of(rota),
                availability=loaded.availability,
            ),
            overrides=covers.get(rota.id, []),
            swaps=trades.get(rota.id, []),
            window_start=start,
            window_end=end,
        )
        for rota in rotas
    }


def turns_by_person(*, rota: Rota, start: datetime, end: datetime) -> dict[int, list]:
    """Each person's (start, end) intervals on duty in the window (for change notices)."""
    turns: dict[int, list] = defaultdict(list)
    for segment in rota_segments(rota=rota, start=start, end=end):
        if segment.person is not None:
            turns[segment.person].append((segment.start, segment.end))
    return dict(turns)
