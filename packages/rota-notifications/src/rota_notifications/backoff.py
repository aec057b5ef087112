"""Retry timing: exponential backoff with jitter, or the receiver's Retry-After."""

from __future__ import annotations

import random
from datetime import datetime
from email.utils import parsedate_to_datetime

from .conf import app_settings


def retry_delay(attempt: int, *, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based). "Equal jitter": half
    the exponential step is fixed, half random, so retries spread out but never collapse."""
    cap = float(app_settings.RETRY_MAX_SECONDS)
    if retry_after is not None:
        return min(max(retry_after, 0.0), cap)
    step = min(cap, float(app_settings.RETRY_BASE_SECONDS) * 2 ** (attempt - 1))
    return step / 2 + random.uniform(0, step / 2)  # noqa: S311 - not cryptographic


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)
