"""A person's turns on every rota: what ``me/shifts/`` shows."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from ..engine import Segment
from ..models import Membership, Override, Rota, Shift, Swap
from .timeline import rotas_segments


def person_segments(
    *, person_id: int, start: datetime, end: datetime
) -> list[tuple[Rota, Segment]]:
    """Every segment ``person_id`` holds in [start, end) on any rota (stored history and
    projection, overrides and taken swaps included), by start time. The rotas are those the
    person is a member of, or holds a stored shift, an override or a taken swap of in the
    window; a constant number of queries however many rotas."""
    rotas = list(
        Rota.objects.filter(
            Q(id__in=Membership.objects.filter(person_id=person_id).values("rota_id"))
            | Q(id__in=_overlapping(Shift, person_id, start, end))
            | Q(id__in=_overlapping(Override, person_id, start, end))
            | Q(id__in=_swaps_taken(person_id, start, end))
        )
    )
    by_rota = rotas_segments(rotas=rotas, start=start, end=end)
    held = [
        (rota, segment)
        for rota in rotas
        for segment in by_rota[rota.id]
        if segment.person == person_id
    ]
    return sorted(held, key=lambda pair: (pair[1].start, pair[0].name))


def _overlapping(model, person_id: int, start: datetime, end: datetime):
    ending = Q(ends_at__gt=start) | Q(ends_at__isnull=True)
    rows = model.objects.filter(ending, person_id=person_id, starts_at__lt=end)
    return rows.values("rota_id")


def _swaps_taken(person_id: int, start: datetime, end: datetime):
    rows = Swap.objects.taken().filter(taker_id=person_id, starts_at__lt=end, ends_at__gt=start)
    return rows.values("rota_id")
