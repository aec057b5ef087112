from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from rota_notifications.backoff import parse_retry_after, retry_delay


def test_delay_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.ROTA_NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.ROTA_NOTIFICATIONS_RETRY_MAX_SECONDS = 100
    for attempt, step in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = {retry_delay(attempt) for _ in range(50)}
        assert all(step / 2 <= d <= step for d in delays), (attempt, delays)
        assert len(delays) > 1  # jittered: retries of many deliveries spread out


def test_retry_after_is_honoured_but_capped(settings):
    settings.ROTA_NOTIFICATIONS_RETRY_MAX_SECONDS = 60
    assert retry_delay(1, retry_after=7) == 7
    assert retry_delay(1, retry_after=3600) == 60


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    )
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None
