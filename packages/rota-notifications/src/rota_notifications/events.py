"""Events as notifications see them: who is told, what they read, what a webhook gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rota_core.api.fields import utc_iso

from . import texts
from .models import Kind


@dataclass(frozen=True)
class Event:
    kind: str
    key: str  # identifies the event: a replayed signal carries the same key
    rota: object
    person: object
    title: str
    body: str
    data: dict = field(default_factory=dict)
    # False: no webhook delivery for this recipient (an event told to several people reaches
    # the rota's webhooks once, with its first recipient).
    webhook: bool = True

    def webhook_body(self) -> dict:
        """The ``json`` webhook format: the event itself."""
        rota = self.rota
        return {
            "event": self.kind,
            "id": self.key,
            "rota": {"id": rota.pk, "name": rota.name, "slug": rota.slug},
            "person": {"id": self.person.pk, "name": self.person.name},
            "title": self.title,
            "text": self.body,
            **self.data,
        }


def _rota_ref(rota) -> str:
    return rota.name


def shift_started(*, rota, shift, person, override=None) -> Event:
    tz = texts.recipient_zone(person=person, rota=rota)
    ends = override.ends_at if override else shift.ends_at
    starts = max(shift.starts_at, override.starts_at) if override else shift.starts_at
    covering = " (covering by override)" if override else ""
    return Event(
        kind=Kind.SHIFT_STARTED,
        key=f"shift_started:{shift.pk}",
        rota=rota,
        person=person,
        title=f"You are on duty for {_rota_ref(rota)}",
        body=(
            f"{person.name} is on duty for {rota.name}{covering}: {texts.span(starts, ends, tz)}."
        ),
        data={"starts_at": utc_iso(starts), "ends_at": utc_iso(ends), "shift_id": shift.pk},
    )


def shift_upcoming(*, rota, starts_at: datetime, ends_at: datetime | None, person) -> Event:
    tz = texts.recipient_zone(person=person, rota=rota)
    return Event(
        kind=Kind.SHIFT_UPCOMING,
        key=f"shift_upcoming:{rota.pk}:{utc_iso(starts_at)}",
        rota=rota,
        person=person,
        title=f"Reminder: you are on duty for {_rota_ref(rota)} soon",
        body=(
            f"Reminder: {person.name} is on duty for {rota.name}: "
            f"{texts.span(starts_at, ends_at, tz)}."
        ),
        data={"starts_at": utc_iso(starts_at), "ends_at": utc_iso(ends_at)},
    )


def override_started(*, rota, override, person) -> Event:
    tz = texts.recipient_zone(person=person, rota=rota)
    reason = f" ({override.reason})" if override.reason else ""
    return Event(
        kind=Kind.OVERRIDE_STARTED,
        key=f"override_started:{override.pk}",
        rota=rota,
        person=person,
        title=f"You are covering {_rota_ref(rota)}",
        body=(
            f"{person.name} covers {rota.name}{reason}: "
            f"{texts.span(override.starts_at, override.ends_at, tz)}."
        ),
        data={
            "starts_at": utc_iso(override.starts_at),
            "ends_at": utc_iso(override.ends_at),
            "override_id": override.pk,
        },
    )


def schedule_changed(*, rota, person, before, after, window, cause: str) -> Event:
    tz = texts.recipient_zone(person=person, rota=rota)
    return Event(
        kind=Kind.SCHEDULE_CHANGED,
        key=f"schedule_changed:{rota.pk}:{utc_iso(window[0])}:{cause}",
        rota=rota,
        person=person,
        title=f"Your turns on {_rota_ref(rota)} changed",
        body=f"{rota.name}: {texts.change_sentence(before, after, tz)}",
        data={
            "cause": cause,
            "before": [[utc_iso(s), utc_iso(e)] for s, e in before],
            "after": [[utc_iso(s), utc_iso(e)] for s, e in after],
        },
    )


def _swap_data(swap) -> dict:
    taker = swap.taker
    return {
        "swap_id": swap.pk,
        "starts_at": utc_iso(swap.starts_at),
        "ends_at": utc_iso(swap.ends_at),
        "requester": {"id": swap.requester.pk, "name": swap.requester.name},
        "taker": None if taker is None else {"id": taker.pk, "name": taker.name},
    }


def swap_requested(*, rota, swap, person, webhook: bool = True) -> Event:
    """To a member who could take the swap."""
    tz = texts.recipient_zone(person=person, rota=rota)
    note = f" ({swap.description})" if swap.description else ""
    return Event(
        kind=Kind.SWAP_REQUESTED,
        key=f"swap_requested:{swap.pk}",
        rota=rota,
        person=person,
        title=f"{swap.requester.name} asks for cover on {_rota_ref(rota)}",
        body=(
            f"{swap.requester.name} asks someone to take their duty on {rota.name}{note}: "
            f"{texts.span(swap.starts_at, swap.ends_at, tz)}."
        ),
        data=_swap_data(swap),
        webhook=webhook,
    )


def swap_taken(*, rota, swap) -> Event:
    """To the requester."""
    person = swap.requester
    tz = texts.recipient_zone(person=person, rota=rota)
    return Event(
        kind=Kind.SWAP_TAKEN,
        key=f"swap_taken:{swap.pk}",
        rota=rota,
        person=person,
        title=f"{swap.taker.name} took your swap on {_rota_ref(rota)}",
        body=(
            f"{swap.taker.name} holds your duty on {rota.name}: "
            f"{texts.span(swap.starts_at, swap.ends_at, tz)}."
        ),
        data=_swap_data(swap),
    )


def swap_cancelled(*, rota, swap) -> Event:
    """To the taker of a taken swap: the duty goes back to the requester."""
    person = swap.taker
    tz = texts.recipient_zone(person=person, rota=rota)
    return Event(
        kind=Kind.SWAP_CANCELLED,
        key=f"swap_cancelled:{swap.pk}",
        rota=rota,
        person=person,
        title=f"A swap you took on {_rota_ref(rota)} was cancelled",
        body=(
            f"{swap.requester.name} cancelled the swap on {rota.name}; the duty is theirs "
            f"again: {texts.span(swap.starts_at, swap.ends_at, tz)}."
        ),
        data=_swap_data(swap),
    )


def swap_taker_unavailable(*, rota, swap) -> Event:
    """To the requester: the taker is now away inside the swap's window."""
    person = swap.requester
    tz = texts.recipient_zone(person=person, rota=rota)
    return Event(
        kind=Kind.SWAP_TAKER_UNAVAILABLE,
        key=f"swap_taker_unavailable:{swap.pk}",
        rota=rota,
        person=person,
        title=f"{swap.taker.name} is now unavailable for your swap on {_rota_ref(rota)}",
        body=(
            f"{swap.taker.name} took your duty on {rota.name} "
            f"({texts.span(swap.starts_at, swap.ends_at, tz)}) but is now unavailable in that "
            "time: the schedule shows a conflict. Cancel the swap to take the duty back."
        ),
        data=_swap_data(swap),
    )
