"""Who holds a rota at an instant: overrides, then stored shifts, then the projection; then a
taken swap of the holder hands it to the taker."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ..adapters import Members, load_members, rota_recurrence
from ..models import Override, Rota, Shift, Swap
from .timeline import rota_timeline

# The rota's current shift (the latest stored), annotated onto the rotas the API reads in the
# same query, so that who is on duty now needs no query of its own when it covers now.
CURRENT_SHIFT = {
    "current_starts_at": F("current_shift__starts_at"),
    "current_ends_at": F("current_shift__ends_at"),
    "current_person_id": F("current_shift__person_id"),
    "current_person_name": F("current_shift__person__name"),
    "current_source": F("current_shift__source"),
    "current_conflict": F("current_shift__conflict"),
}


def rotas_for_api() -> QuerySet[Rota]:
    """Rotas as the API reads them, with their current shift (``CURRENT_SHIFT``); members
    come from ``load_members`` (one query for a page) and who is on duty from ``rotas_now``."""
    return Rota.objects.annotate(**CURRENT_SHIFT)


@dataclass(frozen=True)
class OnDuty:
    """Who holds a rota at an instant (and their name), with the full extent of what puts
    them there."""

    rota_id: int
    person_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    source: str
    conflict: bool = False
    person_name: str | None = None


# (start, end, person, name, source, conflict): an override, stored or projected shift as
# holders_at reads it; no end: a paused rota's shift, until further notice.
_Span = tuple[datetime, datetime | None, int | None, str | None, str, bool]
_SPAN_COLUMNS = ("starts_at", "ends_at", "person_id", "person__name")


def _holder(rota_id: int, at: datetime, spans: list[_Span]) -> OnDuty:
    for start, end, person, name, source, conflict in spans:
        if start <= at and (end is None or at < end):
            return OnDuty(rota_id, person, start, end, source, conflict, name)
    return OnDuty(rota_id, None, None, None, "rotation")


def holders_at(*, rotas, at: dict[int, datetime], scope: Q | None = None) -> dict[int, OnDuty]:
    """Who holds each rota at its own instant ``at[rota.id]`` (see ``holders_for``)."""
    probes = [(rota, at[rota.id]) for rota in rotas if rota.id in at]
    holders = holders_for(probes, scope=scope)
    return {rota.id: holder for (rota, _), holder in zip(probes, holders, strict=True)}


def holders_for(
    probes: list[tuple], *, scope: Q | None = None, members: Members | None = None
) -> list[OnDuty]:
    """Who holds each ``(rota, instant)``: the override covering it, else the stored shift
    covering it, else the projection. A constant number of queries, however many probes.

    A rota is a Rota instance or a light row with ``id``, ``is_active`` and
    ``next_handoff_at`` (one that must be projected is then loaded in full); ``scope`` filters
    shifts and overrides by rota (default: the probed rotas' ids) and may select more.
    ``members``: what ``load_members(rotas, leave_since=...)`` loaded for the probed rotas,
    from the earliest projected handoff on; without it (or if it lacks a rota that must be
    projected) the members are loaded here.
    """
    if not probes:
        return []
    by_ids = scope is None
    scope = Q(rota_id__in={rota.id for rota, _ in probes}) if by_ids else scope
    low, high = min(when for _, when in probes), max(when for _, when in probes)
    covers: dict[int, list[_Span]] = defaultdict(list)
    for rota_id, *span in (
        Override.objects.filter(scope, starts_at__lte=high, ends_at__gt=low)
        .order_by()
        .values_list("rota_id", *_SPAN_COLUMNS)
    ):
        covers[rota_id].append((*span, "override", False))
    projecting = [(rota, when) for rota, when in probes if _projects(rota, when)]
    stored: dict[int, list[_Span]] = {}
    unanswered = set()
    for rota, when in probes:
        if not _projects(rota, when):
            known = _current_span(rota)
            if known is not None and (not known or _holder(rota.id, when, known).person_id):
                stored[rota.id] = known
            else:  # the current shift does not cover the instant: read the history
                unanswered.add(rota.id)
    if unanswered:
        for rota_id, *span in (
            Shift.objects.filter(Q(rota_id__in=unanswered) if by_ids else scope)
            .filter(starts_at__lte=high)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=low))
            .order_by()
            .values_list("rota_id", *_SPAN_COLUMNS, "source", "conflict")
        ):
            if rota_id in unanswered:
                stored.setdefault(rota_id, []).append(span)
    projected = _projected_spans(projecting, members) if projecting else {}
    trades: dict[int, list] = defaultdict(list)
    for rota_id, *trade in (
        Swap.objects.taken()
        .filter(scope, starts_at__lte=high, ends_at__gt=low)
        .order_by()
        .values_list("rota_id", "starts_at", "ends_at", "requester_id", "taker_id", "taker__name")
    ):
        trades[rota_id].append(trade)
    return [
        _swapped(
            _holder(
                rota.id,
                when,
                covers.get(rota.id, []) + projected.get((rota.id, when), stored.get(rota.id, [])),
            ),
            when,
            trades.get(rota.id, []),
        )
        for rota, when in probes
    ]


def _swapped(holder: OnDuty, at: datetime, trades: list) -> OnDuty:
    """The holder after the taken swaps: the taker, over the part of the holder's span inside
    the swap's window, when the holder is the swap's requester."""
    for start, end, requester, taker, name in trades:
        if requester == holder.person_id and start <= at < end:
            return OnDuty(
                holder.rota_id,
                taker,
                max(start, holder.starts_at) if holder.starts_at else start,
                min(end, holder.ends_at) if holder.ends_at else end,
                "swap",
                False,
                name,
            )
    return holder


_UNREAD = object()


def _current_span(rota) -> list[_Span] | None:
    """The rota's stored shifts as far as the ``CURRENT_SHIFT`` annotations tell: its current
    shift, or none at all (a rota gets a current shift with its first stored shift and keeps
    one); None if the rota was read without them."""
    starts_at = getattr(rota, "current_starts_at", _UNREAD)
    if starts_at is _UNREAD:
        return None
    if starts_at is None:
        return []
    return [
        (
            starts_at, rota.current_ends_at, rota.current_person_id,
            rota.current_person_name, rota.current_source, rota.current_conflict,
        )
    ]  # fmt: skip


def _projects(rota, when: datetime) -> bool:
    """Whether the rota's holder at ``when`` lies past the stored history (projected)."""
    return bool(rota.is_active and rota.next_handoff_at and rota.next_handoff_at <= when)


def _projected_spans(
    projecting: list[tuple], members: Members | None
) -> dict[tuple[int, datetime], list[_Span]]:
    """The projected shifts covering each ``(rota, instant)``: past a handoff the sweep has
    not stored yet. Loads what projection needs for all of them at once, unless given."""
    full = {rota.id: rota for rota, _ in projecting if isinstance(rota, Rota)}
    missing = {rota.id for rota, _ in projecting} - set(full)
    if missing:
        full.update(Rota.objects.in_bulk(missing))
    if members is None or not members.covers(full.values()):
        since = min(rota.next_handoff_at for rota in full.values())
        members = load_members(list(full.values()), leave_since=since)
    shifts = {
        (rota_id, when): rota_timeline(
            rota=full[rota_id],
            start=when,
            end=when + _PROBE,
            members=members.of(full[rota_id]),
            availability=members.availability,
        )
        for rota_id, when in {(rota.id, when) for rota, when in projecting}
    }
    people = members.people
    return {
        key: [
            (s.start, s.end, s.person, _name(people, s.person), s.source, s.conflict) for s in found
        ]
        for key, found in shifts.items()
    }


def _name(people: dict, person_id: int) -> str | None:
    member = people.get(person_id)
    return member.name if member else None


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
    members: tuple[int, ...]  # person ids in rota order


def rotas_now(*, rotas: list[Rota], now: datetime | None = None) -> dict[int, RotaNow]:
    """``current``, ``next`` and the members of each rota for the API, in one pass of a
    constant number of queries (the members by ``load_members``)."""
    now = now or timezone.now()
    upcoming_at = {}
    for rota in rotas:
        when = effective_next_handoff(rota, now=now)
        if when is not None:
            upcoming_at[rota.id] = when
    handoffs = [rota.next_handoff_at for rota in rotas if rota.is_active and rota.next_handoff_at]
    members = load_members(rotas, leave_since=min([now, *handoffs]))
    now_probes = [(rota, now) for rota in rotas]
    next_probes = [(rota, upcoming_at[rota.id]) for rota in rotas if rota.id in upcoming_at]
    holders = iter(holders_for(now_probes + next_probes, members=members))
    current = {rota.id: next(holders) for rota, _ in now_probes}
    upcoming = {rota.id: next(holders) for rota, _ in next_probes}
    return {
        rota.id: RotaNow(
            current=current[rota.id] if current[rota.id].person_id is not None else None,
            next=upcoming.get(rota.id),
            next_handoff_at=upcoming_at.get(rota.id),
            members=members.of(rota),
        )
        for rota in rotas
    }
