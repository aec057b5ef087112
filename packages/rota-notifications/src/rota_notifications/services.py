"""Writes of rota-notifications other than the outbox: read state and subscriptions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Notification, WebhookSubscription
from .url_safety import UnsafeURL, check_webhook_url


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, queryset) -> int:
    return queryset.filter(read_at__isnull=True).update(read_at=timezone.now())


def _validate_url(url: str) -> None:
    try:
        check_webhook_url(url)
    except UnsafeURL as exc:
        raise ValidationError({"url": [str(exc)]}) from exc


@transaction.atomic
def webhook_create(**fields) -> WebhookSubscription:
    _validate_url(fields.get("url", ""))
    return WebhookSubscription.objects.create(**fields)


@transaction.atomic
def webhook_update(*, subscription: WebhookSubscription, fields: dict) -> WebhookSubscription:
    if "url" in fields:
        _validate_url(fields["url"])
    for name, value in fields.items():
        setattr(subscription, name, value)
    subscription.save()
    return subscription
