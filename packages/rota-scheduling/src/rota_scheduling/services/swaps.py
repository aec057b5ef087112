"""Swaps (cover requests): a requester asks someone to hold their duty over a window.

A taken swap is never copied into shifts: the schedule applies it when read
(``selectors.timeline``), so it follows later edits of the rota. See
docs/decisions/0016-swaps-applied-on-read.md.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rota_core import messages
from rota_core.exceptions import StateConflict
from rota_core.models import Person
from rota_core.selectors import unavailable_intervals

from ..engine import build_segments
from ..models import Membership, Rota, Swap, SwapStatus
from ..selectors import rota_covers, rota_timeline
from ..signals import swap_cancelled, swap_requested, swap_taken
from .rotation import locked_rota


class SwapNotOpen(StateConflict):
    """The swap is not open any more (taken, cancelled or expired): 409."""


def _fmt(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}Z"


def holds_duty(*, rota: Rota, person_id: int, start: datetime, end: datetime) -> bool:
    """Whether ``person_id`` is the final holder (rotation, then overrides; before swaps) of
    ``rota`` somewhere in [start, end)."""
    segments = build_segments(
        shifts=rota_timeline(rota=rota, start=start, end=end),
        overrides=rota_covers(rota=rota, start=start, end=end),
        window_start=start,
        window_end=end,
    )
    return any(segment.person == person_id for segment in segments)


def swap_validate(
    *, rota: Rota, requester: Person, starts_at: datetime, ends_at: datetime, now: datetime
) -> None:
    """Every rule a new request breaks, in one ValidationError."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [messages.must_be_after("ends_at", "starts_at")]})
    errors: dict[str, list[str]] = {}
    if starts_at <= now:
        errors["starts_at"] = ["A swap request must start in the future."]
    if not requester.is_active:
        errors["requester"] = [messages.inactive_people([requester.pk])]
    elif not holds_duty(rota=rota, person_id=requester.pk, start=starts_at, end=ends_at):
        errors["requester"] = [
            f"{requester.name} holds no duty on this rota between {_fmt(starts_at)} and "
            f"{_fmt(ends_at)}: there is nothing to swap."
        ]
    clash = (
        Swap.objects.with_status(now)
        .filter(
            rota=rota,
            requester=requester,
            status__in=[SwapStatus.OPEN, SwapStatus.TAKEN],
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .first()
    )
    if clash is not None:
        errors["starts_at"] = [
            f"Overlaps swap #{clash.pk} ({_fmt(clash.starts_at)}–{_fmt(clash.ends_at)}, "
            f"{clash.status}) of the same requester on this rota."
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def swap_request(
    *,
    rota: Rota,
    requester: Person,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    now: datetime | None = None,
) -> Swap:
    now = now or timezone.now()
    rota = locked_rota(rota.pk)  # serialises a requester's overlapping requests
    swap_validate(rota=rota, requester=requester, starts_at=starts_at, ends_at=ends_at, now=now)
    swap = Swap.objects.create(
        rota=rota, requester=requester, starts_at=starts_at, ends_at=ends_at,
        description=description,
    )  # fmt: skip
    swap_requested.send(sender=Rota, rota=rota, swap=swap)
    return swap


def _taker_errors(swap: Swap, taker: Person) -> list[str]:
    if taker.pk == swap.requester_id:
        return ["The requester cannot take their own swap."]
    if not taker.is_active:
        return [messages.inactive_people([taker.pk])]
    if not Membership.objects.filter(rota_id=swap.rota_id, person=taker).exists():
        return [f"{taker.name} is not a member of this rota."]
    away = unavailable_intervals(person_ids=[taker.pk], start=swap.starts_at, end=swap.ends_at)
    for start, end in away.get(taker.pk, []):
        return [messages.unavailable(taker.name, start, end, "the swap's window")]
    return []


def _locked(swap: Swap) -> Swap:
    return (
        Swap.objects.select_for_update(of=("self",))
        .select_related("rota", "requester", "taker")
        .get(pk=swap.pk)
    )


@transaction.atomic
def swap_take(*, swap: Swap, taker: Person, now: datetime | None = None) -> Swap:
    """``taker`` takes the open ``swap``. Exactly one taker: the swap's row is locked and its
    state read again under the lock, so of two concurrent takes one wins and the other gets
    ``SwapNotOpen`` (409)."""
    now = now or timezone.now()
    swap = _locked(swap)
    status = swap.status_at(now)
    if status != SwapStatus.OPEN:
        raise SwapNotOpen(f"This swap is {status}; only an open swap can be taken.")
    errors = _taker_errors(swap, taker)
    if errors:
        raise ValidationError({"person": errors})
    swap.taker, swap.taken_at = taker, now
    swap.save(update_fields=["taker", "taken_at"])
    swap_taken.send(sender=Rota, rota=swap.rota, swap=swap)
    return swap


@transaction.atomic
def swap_cancel(*, swap: Swap, now: datetime | None = None) -> Swap:
    """Cancel an open or taken swap (a taken one gives the duty back to the requester)."""
    now = now or timezone.now()
    swap = _locked(swap)
    if swap.cancelled_at is not None:
        raise SwapNotOpen("This swap is cancelled already.")
    swap.cancelled_at = now
    swap.save(update_fields=["cancelled_at"])
    swap_cancelled.send(sender=Rota, rota=swap.rota, swap=swap)
    return swap
