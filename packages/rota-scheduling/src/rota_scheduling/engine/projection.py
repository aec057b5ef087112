"""The shifts a rota will have: boundaries from the recurrence, holders from the cycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from .assignment import CycleState, assign
from .availability import Availability, PersonId
from .recurrence import Recurrence


class PlannedShift(NamedTuple):
    """One shift [start, end). ``k`` is the boundary period it falls in (B_k <= start < B_k+1);
    ``shift_id`` is the stored shift's id (None for a projected one)."""

    start: datetime
    end: datetime
    person: PersonId
    source: str
    conflict: bool
    passed_over: tuple[PersonId, ...]
    k: int
    shift_id: int | None = None


def project(
    *,
    recurrence: Recurrence,
    members: Sequence[PersonId],
    state: CycleState,
    policy: str,
    availability: Availability,
    from_k: int,
    until: datetime,
    limit: int | None = None,
) -> tuple[list[PlannedShift], CycleState]:
    """Shifts [B_k, B_k+1) for k = from_k, from_k + 1, ... while B_k < until.

    At most ``limit`` shifts when given. A negative ``from_k`` (the period before B_0, which
    holds no shift) starts at k = 0. Returns the shifts and the cycle state after the last one.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    members = tuple(members)  # tuple.index and indexing stay cheap across many shifts
    shifts: list[PlannedShift] = []
    k = max(from_k, 0)
    start = recurrence.boundary(k)
    while start < until and (limit is None or len(shifts) < limit):
        end = recurrence.boundary(k + 1)
        # Only in a zone that skipped a whole day can a period be empty; it holds no shift.
        if end > start:
            turn = assign(
                members=members,
                state=state,
                policy=policy,
                is_available=availability.for_shift(start, end),
            )
            state = turn.state
            shifts.append(
                PlannedShift(
                    start, end, turn.person, "rotation", turn.conflict, turn.passed_over, k
                )
            )
        k += 1
        start = end
    return shifts, state
