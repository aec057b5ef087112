"""In-app notifications, webhook subscriptions and the delivery outbox."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    SHIFT_STARTED = "shift_started", "Shift started"
    SHIFT_UPCOMING = "shift_upcoming", "Shift upcoming"
    OVERRIDE_STARTED = "override_started", "Override started"
    SCHEDULE_CHANGED = "schedule_changed", "Schedule changed"
    SWAP_REQUESTED = "swap_requested", "Swap requested"
    SWAP_TAKEN = "swap_taken", "Swap taken"
    SWAP_CANCELLED = "swap_cancelled", "Swap cancelled"
    SWAP_TAKER_UNAVAILABLE = "swap_taker_unavailable", "Swap taker unavailable"


class Notification(models.Model):
    """One message to one person; the in-app channel is this row itself."""

    person = models.ForeignKey(
        "rota_core.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    rota = models.ForeignKey(
        "rota_scheduling.Rota", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField()
    payload = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dedup_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"


class WebhookFormat(models.TextChoices):
    SLACK = "slack", 'Slack ({"text": ...})'
    JSON = "json", "JSON (the event)"


def all_kinds() -> list[str]:
    return list(Kind.values)


class WebhookSubscription(models.Model):
    rota = models.ForeignKey(
        "rota_scheduling.Rota", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=2000)
    format = models.CharField(max_length=10, choices=WebhookFormat.choices, default="json")
    events = models.JSONField(default=all_kinds, help_text="Event kinds sent to this URL.")
    secret = models.CharField(
        max_length=200, blank=True, help_text="Signs each body (HMAC-SHA256); never shown again."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rota", "id"]

    def __str__(self) -> str:
        return f"{self.rota} -> {self.url}"


class Channel(models.TextChoices):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Status(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(models.Model):
    """The outbox: written in the same transaction as the event, sent by the worker, retried
    by the relay. ``dedup_key`` makes each (event, target) deliverable at most once."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=2000, help_text="Email address or webhook URL.")
    subscription = models.ForeignKey(
        WebhookSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dedup_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.target} ({self.status})"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", "Sent"
    RETRY = "retry", "Failed, retried later"
    FAILED = "failed", "Failed, given up"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: when, how it went, the error. Kept for every attempt,
    so a delivery retried (even by "Retry now", which gives it a fresh attempt budget) still
    shows its earlier failures."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="history")
    attempted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    error = models.TextField(blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.attempted_at:%Y-%m-%d %H:%M:%S %Z}"
