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


class Cover(NamedTuple):
    """An override: ``person`` covers [start, end) whoever the rotation has there."""

    start: datetime
    end: datetime
    person: PersonId
    override_id: int | None = None


def build_segments(
    *,
    shifts: Sequence[Any],
    overrides: Sequence[Cover],
    window_start: datetime,
    window_end: datetime,
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
        return base

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
    return result


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
