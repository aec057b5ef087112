"""Reads of rota-notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from rota_core.selectors import person_for_user

from .models import Notification, WebhookSubscription


def notifications_for_user(*, user) -> QuerySet[Notification]:
    person = person_for_user(user=user)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(person=person).order_by("-created_at", "-id")


def unread_count_for_user(*, user) -> int:
    return notifications_for_user(user=user).filter(read_at__isnull=True).count()


def webhook_subscriptions() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.select_related("rota")
