"""Handoffs on the second, not the minute: each beat run arms a sweep at every distinct handoff
instant due before the next run (one Celery ETA task per instant, not per rota). The sweep is
idempotent, so an armed sweep that runs twice, late, or after beat already stored the handoff
changes nothing; the once-a-minute sweep still catches up whatever an armed one missed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .conf import app_settings
from .models import Rota

logger = logging.getLogger(__name__)


def horizon() -> timedelta:
    """Beat runs the sweep every minute; look a little further so no instant falls between."""
    return timedelta(seconds=app_settings.ARM_HORIZON_SECONDS)


def upcoming_instants(*, now: datetime | None = None) -> list[datetime]:
    now = now or timezone.now()
    return list(
        Rota.objects.filter(
            is_active=True, next_handoff_at__gt=now, next_handoff_at__lte=now + horizon()
        )
        .order_by("next_handoff_at")  # not the model's name ordering: it would defeat DISTINCT
        .values_list("next_handoff_at", flat=True)
        .distinct()
    )


def arm_on_commit(instant: datetime | None) -> None:
    """A rota created or edited between two beat runs: arm its next handoff now (after commit),
    if it falls before the next run. A broker outage only costs punctuality, never the handoff."""
    if instant is None or instant - timezone.now() > horizon():
        return

    def arm() -> None:
        from .tasks import rotate_due_rotas

        try:
            rotate_due_rotas.apply_async(kwargs={"arm": False}, eta=instant, retry=False)
        except Exception:
            logger.warning("could not arm the handoff at %s; beat will store it", instant)

    transaction.on_commit(arm)
