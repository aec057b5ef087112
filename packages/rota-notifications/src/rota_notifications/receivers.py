"""Receivers of the scheduling signals (connected in AppConfig.ready): each event becomes an
in-app notification plus outbox deliveries, in the transaction that sent the signal."""

from __future__ import annotations

import threading

from rota_core.models import Person

from . import events, texts
from .outbox import notify, notify_many

# Events of a sweep batch, by batch token, written in bulk when the batch completes (in its
# transaction). Thread-local: a worker thread runs one sweep at a time.
_batches = threading.local()


def on_shift_started(sender, *, rota, shift, person, override=None, batch=None, **kwargs) -> None:
    if batch is None:
        notify(events.shift_started(rota=rota, shift=shift, person=person, override=override))
        return
    pending = getattr(_batches, "pending", None)
    if pending is None or pending[0] is not batch:  # a new batch; a failed one is dropped
        pending = _batches.pending = (batch, [])
    pending[1].append((rota, shift, person, override))


def on_sweep_batch_stored(sender, *, batch, **kwargs) -> None:
    pending = getattr(_batches, "pending", None)
    _batches.pending = None
    if pending is None or pending[0] is not batch:
        return
    with texts.system_zone_pinned():
        notify_many(
            [
                events.shift_started(rota=rota, shift=shift, person=person, override=override)
                for rota, shift, person, override in pending[1]
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
