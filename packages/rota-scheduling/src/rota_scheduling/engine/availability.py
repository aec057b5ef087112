"""Who can take a shift: unavailability periods and deactivation, queried by bisection."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import datetime
from typing import TypeAlias

PersonId: TypeAlias = Hashable


class _Periods:
    """Half-open periods of one person, sorted by start, with a running maximum of the ends.

    Periods may overlap each other, so "does any period overlap [start, end)" is answered as:
    among the periods starting before ``end``, does the latest end exceed ``start``?
    """

    __slots__ = ("ends_so_far", "starts")

    def __init__(self, periods: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted((s, e) for s, e in periods if s < e)  # an empty period blocks nothing
        self.starts = [s for s, _ in ordered]
        self.ends_so_far: list[datetime] = []
        for _, e in ordered:
            self.ends_so_far.append(max(e, self.ends_so_far[-1]) if self.ends_so_far else e)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        count = bisect_left(self.starts, end)
        return count > 0 and self.ends_so_far[count - 1] > start


class Availability:
    """Availability of people for a shift [start, end) (SPEC 3, "Who is next").

    A person is unavailable if any of their unavailability periods overlaps the shift, or if
    they were deactivated before the shift ends (deactivation lasts forever).
    """

    def __init__(
        self,
        unavailable: Mapping[PersonId, Iterable[tuple[datetime, datetime]]] | None = None,
        inactive_since: Mapping[PersonId, datetime] | None = None,
    ) -> None:
        self._periods = {person: _Periods(spans) for person, spans in (unavailable or {}).items()}
        self._inactive_since = dict(inactive_since or {})

    def is_available(self, person: PersonId, start: datetime, end: datetime) -> bool:
        inactive_since = self._inactive_since.get(person)
        if inactive_since is not None and inactive_since < end:
            return False
        periods = self._periods.get(person)
        return periods is None or not periods.overlaps(start, end)

    def for_shift(self, start: datetime, end: datetime) -> Callable[[PersonId], bool]:
        """``is_available`` bound to one shift, as :func:`assign` expects it (inlined: it is
        asked for every member considered, for every shift projected)."""
        inactive, periods = self._inactive_since, self._periods

        def available(person: PersonId) -> bool:
            since = inactive.get(person)
            if since is not None and since < end:
                return False
            own = periods.get(person)
            return own is None or not own.overlaps(start, end)

        return available
