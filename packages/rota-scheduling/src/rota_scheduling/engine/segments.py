"""A rota's timeline over a window: shifts, with overrides laid on top, tiling the window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple

from .availability import PersonId


class Segment(NamedTuple):
    """Who is on duty over [start, end); ``person`` is None where nobody is scheduled.
    ``shift_id`` / ``override_id``: the stored shift or the override the segment shows, when
    there is one (a projected shift has none)."""

    start: datetime
    end: datetime
    person: PersonId | None
    source: str
    conflict: bool
    shift_id: int | None = None
    override_id: int | None = None
    swap_id: int | None = None


class Cover(NamedTuple):
    """An override: ``person`` covers [start, end) whoever the rotation has there (None:
    nobody holds the rota then)."""

    start: datetime
    end: datetime
    person: PersonId | None
    override_id: int | None = None


class Trade(NamedTuple):
    """A taken swap: over [start, end), wherever ``requester`` holds the rota (after the
    overrides), ``taker`` holds it instead. ``taker_away``: the taker's (start, end) leave and
    inactivity, which flag the swapped time ``conflict``."""

    start: datetime
    end: datetime
    requester: PersonId
    taker: PersonId
    swap_id: int | None = None
    taker_away: tuple = ()


def build_segments(
    *,
    shifts: Sequence[Any],
    overrides: Sequence[Cover],
    window_start: datetime,
    window_end: datetime,
    swaps: Sequence[Trade] = (),
) -> list[Segment]:
    """Segments tiling [window_start, window_end) exactly, in order.

    ``shifts`` are ``(start, end, person, source, conflict)`` tuples or objects with those
    attributes (e.g. PlannedShift). Each shift stays its own segment, so consecutive turns of
    one person still show the handoff; each override is one segment however many shifts it
    spans; time nobody holds is a segment with ``person=None``. Should shifts or overrides
    overlap, the earlier-starting one keeps the contested time.
    """
    if window_start >= window_end:
        raise ValueError("window_start must be before window_end")
    base = _base_layer(shifts, window_start, window_end)
    covers = _clipped_covers(overrides, window_start, window_end)
    if not covers:
        return apply_trades(base, swaps)

    result: list[Segment] = []
    first_cover = 0
    for piece in base:
        # Covers are sorted and disjoint: skip those that end before this piece starts.
        while first_cover < len(covers) and covers[first_cover].end <= piece.start:
            first_cover += 1
        cursor = piece.start
        i = first_cover
        while i < len(covers) and covers[i].start < piece.end:
            if covers[i].start > cursor:
                result.append(_piece(piece, cursor, covers[i].start))
            cursor = max(cursor, covers[i].end)
            i += 1
        if cursor < piece.end:
            result.append(_piece(piece, cursor, piece.end))
    result.extend(covers)
    result.sort(key=_START)
    return apply_trades(result, swaps)


def apply_trades(segments: list[Segment], trades: Sequence[Trade]) -> list[Segment]:
    """The final holders with the taken swaps applied: inside a trade's window, each piece the
    requester holds goes to the taker (``source="swap"``), split at the window's edges."""
    for trade in sorted(trades, key=_START):
        result: list[Segment] = []
        for seg in segments:
            if (
                seg.person != trade.requester
                or seg.source == "swap"
                or seg.end <= trade.start
                or seg.start >= trade.end
            ):
                result.append(seg)
                continue
            start, end = max(seg.start, trade.start), min(seg.end, trade.end)
            if seg.start < start:
                result.append(_piece(seg, seg.start, start))
            away = any(a < end and b > start for a, b in trade.taker_away)
            result.append(
                Segment(start, end, trade.taker, "swap", away, seg.shift_id, None, trade.swap_id)
            )
            if end < seg.end:
                result.append(_piece(seg, end, seg.end))
        segments = result
    return segments


def _base_layer(
    shifts: Sequence[Any], window_start: datetime, window_end: datetime
) -> list[Segment]:
    """The shifts clipped to the window, with the holes between them filled by nobody."""
    pieces = sorted(map(_as_segment, shifts), key=_START)
    layer: list[Segment] = []
    cursor = window_start
    for shift in pieces:
        start, end = max(shift.start, cursor), min(shift.end, window_end)
        if start >= end:
            continue
        if start > cursor:
            layer.append(Segment(cursor, start, None, "rotation", False))
        layer.append(_piece(shift, start, end))
        cursor = end
    if cursor < window_end:
        layer.append(Segment(cursor, window_end, None, "rotation", False))
    return layer


def _clipped_covers(
    overrides: Sequence[Cover], window_start: datetime, window_end: datetime
) -> list[Segment]:
    covers: list[Segment] = []
    cursor = window_start
    for cover in sorted(overrides, key=_START):
        start, end = max(cover.start, cursor), min(cover.end, window_end)
        if start < end:
            covers.append(
                Segment(start, end, cover.person, "override", False, None, cover.override_id)
            )
            cursor = end
    return covers


_START = attrgetter("start")


def _as_segment(shift: Any) -> Segment:
    shift_id = getattr(shift, "shift_id", None)
    if isinstance(shift, tuple):  # a plain tuple, or a PlannedShift: the same five first
        return Segment(*shift[:5], shift_id)
    return Segment(shift.start, shift.end, shift.person, shift.source, shift.conflict, shift_id)


def _piece(segment: Segment, start: datetime, end: datetime) -> Segment:
    if segment.start == start and segment.end == end:
        return segment
    return segment._replace(start=start, end=end)
