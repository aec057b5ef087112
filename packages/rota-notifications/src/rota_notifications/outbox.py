"""The transactional outbox: a notification and its deliveries are written in the caller's
transaction (the one that stored the shift); sending is enqueued only once it commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from .events import Event
from .models import Channel, Delivery, Notification, WebhookSubscription

logger = logging.getLogger(__name__)


def notify(event: Event) -> Notification | None:
    """Record ``event`` for its person: in-app, email, and each subscribed webhook. A replayed
    event (same key and person) creates nothing."""
    notification, created = Notification.objects.get_or_create(
        dedup_key=_notification_key(event), defaults=_notification_fields(event)
    )
    if not created:
        return None
    deliveries = _deliveries(notification, event, subscriptions_for(event))
    if deliveries:
        enqueue_on_commit(d.pk for d in Delivery.objects.bulk_create(deliveries))
    return notification


def notify_many(events: list[Event]) -> int:
    """``notify`` for a batch in a fixed number of queries (``shifts_started``: the sweep's
    handoffs). The rows of one batch never race with others: whoever sends the signal holds
    each rota's row lock (or created the rota in the same transaction)."""
    keys = [_notification_key(event) for event in events]
    seen = set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    fresh = [(event, key) for event, key in zip(events, keys, strict=True) if key not in seen]
    fresh = list({key: (event, key) for event, key in fresh}.values())
    if not fresh:
        return 0
    notifications = Notification.objects.bulk_create(
        Notification(dedup_key=key, **_notification_fields(event)) for event, key in fresh
    )
    by_rota: dict[int, list[WebhookSubscription]] = {}
    for subscription in WebhookSubscription.objects.filter(
        rota_id__in={event.rota.pk for event, _ in fresh}, is_active=True
    ):
        by_rota.setdefault(subscription.rota_id, []).append(subscription)
    deliveries = []
    for notification, (event, _key) in zip(notifications, fresh, strict=True):
        subscriptions = [
            s
            for s in by_rota.get(event.rota.pk, [])
            if event.webhook and event.kind in (s.events or [])
        ]
        deliveries.extend(_deliveries(notification, event, subscriptions))
    if deliveries:
        enqueue_on_commit(d.pk for d in Delivery.objects.bulk_create(deliveries))
    return len(notifications)


def _notification_key(event: Event) -> str:
    return f"{event.key}:p{event.person.pk}"


def _notification_fields(event: Event) -> dict:
    return {
        "person": event.person,
        "rota": event.rota,
        "kind": event.kind,
        "title": event.title,
        "body": event.body,
        "payload": event.webhook_body(),
    }


def _deliveries(notification, event: Event, subscriptions) -> list[Delivery]:
    person = event.person
    rows = []
    if person.email and person.notify_email:
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                target=person.email,
                dedup_key=f"{notification.dedup_key}:email",
            )
        )
    for subscription in subscriptions:
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.WEBHOOK,
                target=subscription.url,
                subscription=subscription,
                dedup_key=f"{notification.dedup_key}:webhook{subscription.pk}",
            )
        )
    return rows


def subscriptions_for(event: Event) -> list[WebhookSubscription]:
    if not event.webhook:
        return []
    subscriptions = WebhookSubscription.objects.filter(rota=event.rota, is_active=True)
    return [s for s in subscriptions if event.kind in (s.events or [])]


def enqueue_on_commit(ids: Iterable[int]) -> None:
    ids = list(ids)
    transaction.on_commit(lambda: enqueue(ids))


# A sweep of thousands of handoffs publishes one task per chunk, not per delivery.
ENQUEUE_CHUNK = 20


def enqueue(ids: list[int]) -> int:
    """Hand deliveries to the broker. A broker outage loses nothing: the rows stay pending and
    the relay enqueues them again. Returns how many were enqueued."""
    from .tasks import deliver, deliver_many

    sent = 0
    for start in range(0, len(ids), ENQUEUE_CHUNK):
        chunk = ids[start : start + ENQUEUE_CHUNK]
        try:
            if len(chunk) == 1:
                deliver.apply_async(args=[chunk[0]], retry=False)
            else:
                deliver_many.apply_async(args=[chunk], retry=False)
        except Exception as exc:  # broker down: the relay picks the rows up later
            logger.warning(
                "could not enqueue %s deliveries (%s); the relay will retry", len(ids) - sent, exc
            )
            return sent
        sent += len(chunk)
    return sent
