"""One delivery attempt, and the relay that re-enqueues pending deliveries whose time came."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, F, TextField, Value, When
from django.utils import timezone

from .attempts import record_attempt
from .backoff import retry_delay
from .conf import app_settings
from .models import Delivery, Status
from .sending import Outcome, send

logger = logging.getLogger(__name__)


def claim(delivery_id: int, *, now: datetime) -> Delivery | None:
    """Take a due pending delivery with a lease (an atomic conditional UPDATE, so two workers
    or a worker and the relay can never send it at the same time).

    A delivery that has used up its attempts without an outcome being recorded (a worker
    died while sending) is marked failed here instead of being sent again."""
    lease_until = now + timedelta(seconds=app_settings.LEASE_SECONDS)
    due = Delivery.objects.filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
    limit = app_settings.MAX_ATTEMPTS
    taken = due.filter(attempts__lt=limit).update(
        next_attempt_at=lease_until, attempts=F("attempts") + 1, updated_at=now
    )
    if not taken:
        due.filter(attempts__gte=limit).update(
            status=Status.FAILED,
            updated_at=now,
            last_error=Case(
                When(last_error="", then=Value(f"gave up: {limit} attempts used")),
                default=F("last_error"),
                output_field=TextField(),
            ),
        )
        return None
    return Delivery.objects.select_related(
        "notification", "notification__person", "subscription"
    ).get(pk=delivery_id)


def record(delivery: Delivery, outcome: Outcome, *, now: datetime) -> float | None:
    """Store the outcome; returns the retry delay in seconds when another attempt is due."""
    delivery.response_status = outcome.status
    delay = None
    if outcome.ok:
        delivery.status = Status.SENT
        delivery.sent_at = now
        delivery.last_error = ""
    elif outcome.retryable and delivery.attempts < app_settings.MAX_ATTEMPTS:
        delay = retry_delay(delivery.attempts, retry_after=outcome.retry_after)
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.last_error = outcome.error
    else:
        delivery.status = Status.FAILED
        delivery.last_error = outcome.error
    delivery.save(
        update_fields=[
            "status", "sent_at", "last_error", "next_attempt_at", "response_status", "updated_at",
        ]
    )  # fmt: skip
    record_attempt(delivery=delivery, error=outcome.error, response_status=outcome.status, at=now)
    return delay


def attempt(delivery_id: int) -> str | None:
    """Send a delivery if it is due; returns its status afterwards (None if not taken)."""
    delivery = claim(delivery_id, now=timezone.now())
    if delivery is None:
        return None
    try:
        outcome = send(delivery)  # no transaction or lock held while the network is slow
    except Exception as exc:  # a bug or bad data, not the network: recorded, never retried
        logger.exception("delivery %s raised while sending", delivery_id)
        outcome = Outcome(
            ok=False, retryable=False, error=f"error: {exc.__class__.__name__}: {exc}"
        )
    delay = record(delivery, outcome, now=timezone.now())
    if delay is not None:
        from .tasks import deliver

        try:
            deliver.apply_async(args=[delivery_id], countdown=delay, retry=False)
        except Exception as exc:  # the relay retries it when the broker is back
            logger.warning("could not schedule retry of delivery %s: %s", delivery_id, exc)
    else:
        logger.info(
            "delivery %s %s after %s attempt(s)", delivery_id, delivery.status, delivery.attempts
        )
    return delivery.status


def relay_pending(*, now: datetime | None = None) -> int:
    """Enqueue pending deliveries whose next attempt time has come (after a broker outage,
    a lost task, a crashed worker whose lease ran out). Returns how many were enqueued."""
    from .outbox import enqueue

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("id", flat=True)[: app_settings.RELAY_BATCH_SIZE]
        )
    return enqueue(ids)


def retry_now(queryset) -> int:
    """Admin action: make failed or waiting deliveries due now and enqueue them."""
    from .outbox import enqueue

    ids = list(queryset.exclude(status=Status.SENT).values_list("id", flat=True))
    Delivery.objects.filter(id__in=ids).update(
        status=Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    return enqueue(ids)
