"""Who takes the next shift: the rotation cycle, passed-over members and owed turns.

SPEC 3, "Who is next". The cycle remembers the member it last landed on (and where that member
stood), so reordering or removing members between shifts continues sensibly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from .availability import PersonId

POLICIES = frozenset({"defer", "skip"})


class CycleState(NamedTuple):
    """Where the rotation stands between two shifts.

    ``cycle_person`` is the member the cycle last landed on (None before the first shift),
    ``cycle_index`` their position in the order at that time, and ``owed`` the members owed a
    turn under ``defer``, longest-owed first.
    """

    cycle_person: PersonId | None
    cycle_index: int
    owed: tuple[PersonId, ...] = ()

    @classmethod
    def starting_at(cls, k: int, n: int) -> CycleState:
        """The state before shift ``k`` of a rota that starts now: the next pick is ``k mod n``."""
        if n < 1:
            raise ValueError("a rota needs at least one member")
        return cls(cycle_person=None, cycle_index=(k - 1) % n, owed=())

    def next_position(self, members: Sequence[PersonId]) -> int:
        """Position in ``members`` of the member the cycle picks next."""
        n = len(members)
        if n == 0:
            raise ValueError("a rota needs at least one member")
        if self.cycle_person is None:
            return (self.cycle_index + 1) % n
        if 0 <= self.cycle_index < n and members[self.cycle_index] == self.cycle_person:
            return (self.cycle_index + 1) % n  # order unchanged: skip the search
        try:
            return (members.index(self.cycle_person) + 1) % n
        except ValueError:
            # They left the rota: whoever now stands at their former position is next.
            return self.cycle_index % n


class Assignment(NamedTuple):
    """The holder of one shift, who was passed over for it, and the state after it."""

    person: PersonId
    conflict: bool
    passed_over: tuple[PersonId, ...]
    state: CycleState


def assign(
    *,
    members: Sequence[PersonId],
    state: CycleState,
    policy: str,
    is_available: Callable[[PersonId], bool],
) -> Assignment:
    """Pick the holder of the next shift; ``is_available`` is already bound to that shift.

    Under ``defer`` the longest-owed available member goes first without moving the cycle;
    otherwise the cycle walks on from its next pick, passing over unavailable members (who
    become owed under ``defer``). If nobody is available the cycle's pick takes the shift as a
    conflict and nobody becomes owed for it. Under ``skip`` nobody is ever owed, so debts left
    from a former ``defer`` policy are dropped.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown skip policy {policy!r}")
    start = state.next_position(members)  # also rejects an empty rota
    n = len(members)
    owed = state.owed if policy == "defer" else ()
    if owed:
        owed = _still_members(owed, members)
        for i, person in enumerate(owed):
            if is_available(person):
                rest = owed[:i] + owed[i + 1 :]
                return Assignment(
                    person, False, (), CycleState(state.cycle_person, state.cycle_index, rest)
                )

    passed: list[PersonId] = []
    position = start
    for _ in range(n):
        person = members[position]
        # Owed members were just found unavailable; don't ask twice.
        if person not in owed and is_available(person):
            if passed and policy == "defer":
                owed += tuple(dict.fromkeys(p for p in passed if p not in owed))
            return Assignment(person, False, tuple(passed), CycleState(person, position, owed))
        passed.append(person)
        position = position + 1 if position + 1 < n else 0

    person = members[start]
    return Assignment(person, True, (), CycleState(person, start, owed))


def _still_members(owed: tuple[PersonId, ...], members: Sequence[PersonId]) -> tuple[PersonId, ...]:
    if all(person in members for person in owed):
        return owed  # the usual case: no new tuple per shift
    return tuple(person for person in owed if person in members)
