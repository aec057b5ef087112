"""schedule_changed: compare who holds which shift in the next 14 days before and after an edit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

from ..models import Rota
from ..selectors import CHANGE_HORIZON, turns_by_person
from ..signals import schedule_changed


def _fresh(rota_id: int) -> Rota:
    return Rota.objects.select_related("current_shift").get(pk=rota_id)


def diff_turns(before: dict[int, list], after: dict[int, list]) -> dict[int, dict]:
    return {
        person: {"before": before.get(person, []), "after": after.get(person, [])}
        for person in sorted(set(before) | set(after))
        if before.get(person, []) != after.get(person, [])
    }


@contextmanager
def schedule_change(
    rota_ids: Iterable[int], *, cause: str, now: datetime | None = None
) -> Iterator[None]:
    """Wrap an edit: afterwards, send schedule_changed for each rota whose next 14 days changed
    (one entry per person whose own turns moved; nothing for a no-op edit). A rota nobody held
    before (new, never started) gets no change notice: its start is announced by shift_started."""
    now = now or timezone.now()
    window = (now, now + CHANGE_HORIZON)
    ids = list(dict.fromkeys(rota_ids))
    before = {
        rota_id: turns_by_person(rota=_fresh(rota_id), start=window[0], end=window[1])
        for rota_id in ids
        if Rota.objects.filter(pk=rota_id).exists()
    }
    yield
    for rota_id, old in before.items():
        if not old:
            continue
        try:
            rota = _fresh(rota_id)
        except Rota.DoesNotExist:
            continue
        changes = diff_turns(old, turns_by_person(rota=rota, start=window[0], end=window[1]))
        if changes:
            schedule_changed.send(
                sender=Rota, rota=rota, changes=changes, window=window, cause=cause
            )
