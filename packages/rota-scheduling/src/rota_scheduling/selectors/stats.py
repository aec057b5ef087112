"""Per person over a window: shifts taken, hours on duty, times passed over."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..adapters import load_member_ids
from ..engine import build_segments
from ..models import Rota
from .timeline import rota_covers, rota_timeline, rota_trades


@dataclass(frozen=True)
class PersonStats:
    person_id: int
    shifts: int
    hours: float
    passed_over: int


def rota_stats(*, rota: Rota, start: datetime, end: datetime) -> list[PersonStats]:
    """Per person: shifts taken (starting in the window), hours on duty (overrides counted
    for the coverer, taken swaps for the taker), times passed over."""
    timeline = rota_timeline(rota=rota, start=start, end=end)
    segments = build_segments(
        shifts=timeline,
        overrides=rota_covers(rota=rota, start=start, end=end),
        swaps=rota_trades(rota=rota, start=start, end=end),
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
    order = list(load_member_ids(rota))
    order += sorted((set(taken) | set(seconds) | set(passed)) - set(order))
    return [
        PersonStats(pid, taken[pid], round(seconds[pid] / 3600, 2), passed[pid]) for pid in order
    ]
