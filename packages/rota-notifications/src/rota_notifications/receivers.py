"""Receivers of the scheduling signals (connected in AppConfig.ready): each event becomes an
in-app notification plus outbox deliveries, in the transaction that sent the signal."""

from __future__ import annotations

from rota_core.models import Person

from . import events, texts
from .outbox import notify, notify_many


def on_shifts_started(sender, *, starts, **kwargs) -> None:
    """A notification per started shift, written in bulk (the sweep sends a whole batch)."""
    with texts.system_zone_pinned():
        notify_many(
            [
                events.shift_started(
                    rota=start.rota, shift=start.shift, person=start.person, override=start.override
                )
                for start in starts
                if start.person is not None  # an override of nobody: no one to tell
            ]
        )


def on_shift_upcoming(sender, *, rota, starts_at, ends_at, person, **kwargs) -> None:
    notify(events.shift_upcoming(rota=rota, starts_at=starts_at, ends_at=ends_at, person=person))


def on_override_started(sender, *, rota, override, person, **kwargs) -> None:
    notify(events.override_started(rota=rota, override=override, person=person))


def on_schedule_changed(sender, *, rota, changes, window, cause, **kwargs) -> None:
    people = Person.objects.in_bulk(list(changes))
    for person_id, change in changes.items():
        person = people.get(person_id)
        if person is None:
            continue
        notify(
            events.schedule_changed(
                rota=rota,
                person=person,
                before=change["before"],
                after=change["after"],
                window=window,
                cause=cause,
            )
        )


def unread_count(sender, *, request, user, **kwargs) -> dict:
    """``auth/me/`` gains the signed-in user's unread notification count."""
    from .selectors import unread_count_for_user

    return {"unread_notifications": unread_count_for_user(user=user)}


def on_swap_requested(sender, *, rota, swap, **kwargs) -> None:
    """To the rota's other active members; the rota's webhooks get it once."""
    members = (
        Person.objects.filter(rota_memberships__rota=rota, is_active=True)
        .exclude(pk=swap.requester_id)
        .order_by("rota_memberships__position")
    )
    for index, person in enumerate(members):
        notify(events.swap_requested(rota=rota, swap=swap, person=person, webhook=index == 0))


def on_swap_taken(sender, *, rota, swap, **kwargs) -> None:
    notify(events.swap_taken(rota=rota, swap=swap))


def on_swap_cancelled(sender, *, rota, swap, **kwargs) -> None:
    if swap.taker_id is not None:  # an open swap cancelled concerns nobody else
        notify(events.swap_cancelled(rota=rota, swap=swap))


def on_swap_taker_unavailable(sender, *, rota, swap, **kwargs) -> None:
    notify(events.swap_taker_unavailable(rota=rota, swap=swap))
