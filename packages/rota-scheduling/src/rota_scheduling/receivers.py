"""Receivers for events of the apps below this one (rota-settings, rota-core)."""

from __future__ import annotations

from django.utils import timezone

from .models import Membership
from .selectors import CHANGE_HORIZON, turns_by_person
from .services.changes import diff_turns
from .signals import schedule_changed, swap_taker_unavailable


def follow_system_timezone(sender, *, old=None, **kwargs) -> None:
    from .services import rotas_follow_system_timezone

    rotas_follow_system_timezone(old_zone=old)


# Leave, (de)activation and deleted people change who is available, so they can move future
# turns: each affected rota's next 14 days are compared before and after the write
# (schedule_changed). rota-core's services announce such writes with availability_changing
# (we return the "before" snapshot) and availability_changed (it hands the snapshot back).
# Deleted people leave their rotas, which moves the others' turns (cause "members"); they are
# gone, so nothing is said to them.


def _snapshot(person_ids: frozenset[int]) -> dict | None:
    from .models import Rota

    rota_ids = Membership.objects.filter(
        person_id__in=person_ids, rota__is_active=True
    ).values_list("rota_id", flat=True)
    rotas = Rota.objects.filter(id__in=list(rota_ids)).select_related("current_shift")
    if not rotas:
        return None
    now = timezone.now()
    window = (now, now + CHANGE_HORIZON)
    return {
        "window": window,
        "turns": {r.id: turns_by_person(rota=r, start=window[0], end=window[1]) for r in rotas},
    }


def turns_before_availability_change(sender, *, person_ids, **kwargs) -> dict | None:
    return _snapshot(person_ids)


def announce_moved_turns(sender, *, cause, deleted_person_ids, snapshots, **kwargs) -> None:
    snapshot = snapshots.get(turns_before_availability_change)
    if not snapshot:
        return
    from .models import Rota

    start, end = snapshot["window"]
    for rota in Rota.objects.filter(id__in=snapshot["turns"]).select_related("current_shift"):
        changes = diff_turns(
            snapshot["turns"][rota.id], turns_by_person(rota=rota, start=start, end=end)
        )
        for person_id in deleted_person_ids:
            changes.pop(person_id, None)
        if changes:
            schedule_changed.send(
                sender=Rota,
                rota=rota,
                changes=changes,
                window=(start, end),
                cause="members" if cause == "deletion" else "unavailability",
            )


def flag_swaps_of_unavailable_takers(sender, *, person_ids, deleted_person_ids, **kwargs) -> None:
    """Taken swaps whose taker is now unavailable somewhere in the window: tell the requester
    (``swap_taker_unavailable``); the schedule already shows the time as ``conflict``."""
    from rota_core.selectors import unavailable_intervals

    from .models import Rota, Swap

    now = timezone.now()
    swaps = list(
        Swap.objects.taken()
        .filter(taker_id__in=set(person_ids) - set(deleted_person_ids), ends_at__gt=now)
        .select_related("rota", "requester", "taker")
    )
    if not swaps:
        return
    away = unavailable_intervals(
        person_ids={swap.taker_id for swap in swaps},
        start=min(max(swap.starts_at, now) for swap in swaps),
        end=max(swap.ends_at for swap in swaps),
    )
    for swap in swaps:
        start = max(swap.starts_at, now)
        if any(
            a < swap.ends_at and (b is None or b > start) for a, b in away.get(swap.taker_id, [])
        ):
            swap_taker_unavailable.send(sender=Rota, rota=swap.rota, swap=swap)
