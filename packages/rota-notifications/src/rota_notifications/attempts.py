"""The attempt history of deliveries (SPEC 6.5: each attempt is kept, time, outcome, error)."""

from __future__ import annotations

from datetime import datetime

from .models import AttemptOutcome, Delivery, DeliveryAttempt, Status

OUTCOME_BY_STATUS = {
    Status.SENT: AttemptOutcome.SENT,
    Status.PENDING: AttemptOutcome.RETRY,
    Status.FAILED: AttemptOutcome.FAILED,
}


def record_attempt(
    *, delivery: Delivery, error: str, response_status: int | None, at: datetime
) -> DeliveryAttempt:
    """Keep one attempt of ``delivery``, once its status after the attempt is set: sent,
    pending (another attempt will follow) or failed (given up)."""
    return DeliveryAttempt.objects.create(
        delivery=delivery,
        attempted_at=at,
        outcome=OUTCOME_BY_STATUS[delivery.status],
        error=error,
        response_status=response_status,
    )
