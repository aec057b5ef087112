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
    person = event.person
    notification, created = Notification.objects.get_or_create(
        dedup_key=f"{event.key}:p{person.pk}",
        defaults={
            "person": person,
            "rota": event.rota,
            "kind": event.kind,
            "title": event.title,
            "body": event.body,
            "payload": event.webhook_body(),
        },
    )
    if not created:
        return None
    deliveries = []
    if person.email and person.notify_email:
        deliveries.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                target=person.email,
                dedup_key=f"{notification.dedup_key}:email",
            )
        )
    for subscription in subscriptions_for(event):
        deliveries.append(
            Delivery(
                notification=notification,
                channel=Channel.WEBHOOK,
                target=subscription.url,
                subscription=subscription,
                dedup_key=f"{notification.dedup_key}:webhook{subscription.pk}",
            )
        )
    if deliveries:
        created_rows = Delivery.objects.bulk_create(deliveries)
        enqueue_on_commit(d.pk for d in created_rows)
    return notification


def subscriptions_for(event: Event) -> list[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.filter(rota=event.rota, is_active=True)
    return [s for s in subscriptions if event.kind in (s.events or [])]


def enqueue_on_commit(ids: Iterable[int]) -> None:
    ids = list(ids)
    transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: list[int]) -> int:
    """Hand deliveries to the broker. A broker outage loses nothing: the rows stay pending and
    the relay enqueues them again. Returns how many were enqueued."""
    from .tasks import deliver

    sent = 0
    for delivery_id in ids:
        try:
            deliver.apply_async(args=[delivery_id], retry=False)
        except Exception as exc:  # broker down: the relay picks the row up later
            logger.warning(
                "could not enqueue delivery %s (%s); the relay will retry", delivery_id, exc
            )
            return sent
        sent += 1
    return sent
