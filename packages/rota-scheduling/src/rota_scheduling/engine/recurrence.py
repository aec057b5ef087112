"""Handoff instants of a rota: boundary k as a local date at a wall time, resolved to UTC.

Boundaries are computed by index, never by stepping from the start, so that "which shift
holds this instant" costs the same in 1970 and 2100.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

CADENCES = frozenset({"daily", "weekly", "monthly"})
ALL_WEEKDAYS = frozenset(range(7))


def resolve_local(local_date: date, wall_time: time, tz: ZoneInfo) -> datetime:
    """The UTC instant at which clocks in ``tz`` show ``wall_time`` on ``local_date``.

    RFC 5545 (3.3.5): a wall time that occurs twice is its first occurrence; one that does not
    occur (spring forward) is read with the UTC offset in force before the gap, so it lands
    later by the length of the gap.
    """
    if wall_time.tzinfo is not None or wall_time.fold:
        wall_time = wall_time.replace(tzinfo=None, fold=0)
    return _resolve(local_date, wall_time, wall_time.replace(fold=1), tz)


def _resolve(local_date: date, wall_time: time, wall_time_fold1: time, tz: ZoneInfo) -> datetime:
    # resolve_local with the naive wall time given in both folds (PEP 495): combining a date
    # with a time of the other fold is much cheaper than datetime.replace(fold=1).
    naive = datetime.combine(local_date, wall_time)
    offset = tz.utcoffset(naive)
    if offset == tz.utcoffset(datetime.combine(local_date, wall_time_fold1)):
        # The common case, kept cheap: the two folds of a wall time only disagree inside a
        # gap or an overlap.
        return datetime.combine(local_date, wall_time, tzinfo=UTC) - offset
    return _resolve_near_transition(naive, tz)


def _resolve_near_transition(naive: datetime, tz: ZoneInfo) -> datetime:
    # Check each reading by converting back to wall time rather than trusting how the tzinfo
    # treats fold inside a gap.
    offsets = {tz.utcoffset(naive), tz.utcoffset(naive.replace(fold=1))}
    for candidate in sorted(naive - offset for offset in offsets):  # earliest = first occurrence
        shown = candidate.replace(tzinfo=UTC).astimezone(tz)
        if shown.replace(tzinfo=None) == naive:
            return candidate.replace(tzinfo=UTC)
        offsets.add(shown.utcoffset())
    # In a gap no reading round-trips. Clocks jumped forward there, so the offset in force
    # before the gap is the smallest one seen, which gives the latest instant.
    return (naive - min(offsets)).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Recurrence:
    """The handoff boundaries B_0 < B_1 < ... of a rota (SPEC 3, "Handoff instants").

    ``weekdays`` only applies to the daily cadence and is ignored for weekly and monthly ones.
    Strictly increasing holds for every zone except the handful that skipped a whole calendar
    day (e.g. Pacific/Apia on 2011-12-30): there RFC 5545 maps the lost day's handoff onto the
    next day's, two consecutive boundaries coincide, and that empty period holds no shift.
    """

    tz: ZoneInfo
    cadence: str
    interval: int
    starts_on: date
    handoff_time: time
    weekdays: frozenset[int] | None = None
    # Sorted allowed weekdays when they restrict a daily rota, else None (every day counts).
    _allowed: tuple[int, ...] | None = field(init=False, repr=False, compare=False)
    # Position of starts_on's weekday in _allowed: the day counting starts from.
    _first_slot: int = field(init=False, repr=False, compare=False)
    # handoff_time in either fold (PEP 495), for resolving boundaries cheaply.
    _wall: tuple[time, time] = field(init=False, repr=False, compare=False)
    # Day ordinals of starts_on and of the Monday of its week (plain ints are cheapest).
    _start_ordinal: int = field(init=False, repr=False, compare=False)
    _monday_ordinal: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.cadence not in CADENCES:
            raise ValueError(f"unknown cadence {self.cadence!r}")
        if isinstance(self.interval, bool) or not isinstance(self.interval, int):
            raise ValueError("interval must be an integer")
        if self.interval < 1:
            raise ValueError("interval must be at least 1")
        if self.handoff_time.tzinfo is not None:
            raise ValueError("handoff_time is a local wall time and must be naive")
        if isinstance(self.starts_on, datetime):
            raise ValueError("starts_on must be a date, not a datetime")
        allowed: tuple[int, ...] | None = None
        if self.weekdays is not None:
            days = frozenset(self.weekdays)
            if not days <= ALL_WEEKDAYS:
                raise ValueError(f"weekdays must be within 0..6 (Monday = 0), got {sorted(days)}")
            object.__setattr__(self, "weekdays", days)
            if self.cadence == "daily" and days != ALL_WEEKDAYS:
                if self.starts_on.weekday() not in days:
                    raise ValueError("starts_on must fall on one of the weekdays")
                allowed = tuple(sorted(days))
        object.__setattr__(self, "_allowed", allowed)
        walls = (self.handoff_time.replace(fold=0), self.handoff_time.replace(fold=1))
        object.__setattr__(self, "_wall", walls)
        first_slot = allowed.index(self.starts_on.weekday()) if allowed else 0
        object.__setattr__(self, "_first_slot", first_slot)
        start_ordinal = self.starts_on.toordinal()
        object.__setattr__(self, "_start_ordinal", start_ordinal)
        object.__setattr__(self, "_monday_ordinal", start_ordinal - self.starts_on.weekday())

    def local_date(self, k: int) -> date:
        """The local calendar date of boundary ``k`` (k >= 0)."""
        if k < 0:
            raise ValueError("boundary index must be >= 0")
        steps = k * self.interval
        if self.cadence == "monthly":
            return _add_months(self.starts_on, steps)
        if self.cadence == "weekly":
            return date.fromordinal(self._start_ordinal + 7 * steps)
        if self._allowed is None:
            return date.fromordinal(self._start_ordinal + steps)
        # Count allowed days in whole weeks from the Monday of starts_on's week.
        weeks, slot = divmod(self._first_slot + steps, len(self._allowed))
        return date.fromordinal(self._monday_ordinal + 7 * weeks + self._allowed[slot])

    def boundary(self, k: int) -> datetime:
        """Boundary ``k`` as an aware UTC datetime."""
        return _resolve(self.local_date(k), *self._wall, self.tz)

    def index_at(self, instant: datetime) -> int:
        """The largest k with ``boundary(k) <= instant``, or -1 before ``boundary(0)``."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("instant must be timezone-aware")
        k = max(self._estimate_index(instant.astimezone(self.tz).date()), 0)
        # The estimate is off by at most a step or two (handoff time of day, DST gaps,
        # month-end clamping); walk to the exact answer.
        while k >= 0 and self.boundary(k) > instant:
            k -= 1
        while self.boundary(k + 1) <= instant:
            k += 1
        return k

    def first_after(self, instant: datetime) -> int:
        """The smallest k with ``boundary(k) > instant``."""
        return self.index_at(instant) + 1

    def iter_boundaries(self, from_k: int, until: datetime) -> Iterator[tuple[int, datetime]]:
        """``(k, boundary(k))`` for k >= from_k (and k >= 0) while the boundary is < until."""
        k = max(from_k, 0)
        while True:
            instant = self.boundary(k)
            if instant >= until:
                return
            yield k, instant
            k += 1

    def _estimate_index(self, local: date) -> int:
        if self.cadence == "monthly":
            months = (local.year - self.starts_on.year) * 12 + local.month - self.starts_on.month
            return months // self.interval
        if self.cadence == "weekly":
            return (local - self.starts_on).days // (7 * self.interval)
        if self._allowed is None:
            return (local - self.starts_on).days // self.interval
        # Count of the last allowed day on or before `local`, starts_on being the 0th.
        weeks, weekday = divmod(local.toordinal() - self._monday_ordinal, 7)
        slot = bisect_right(self._allowed, weekday) - 1
        ordinal = weeks * len(self._allowed) + slot - self._first_slot
        return ordinal // self.interval


def _add_months(start: date, months: int) -> date:
    # Always counted from the original date, so a 31st clamps per month and never drifts.
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))
