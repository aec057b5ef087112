"""Settings of rota-notifications, all prefixed ``ROTA_NOTIFICATIONS_``.

Read lazily from ``django.conf.settings`` and cached; the cache is dropped when a setting with
the prefix changes (``override_settings`` works).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

PREFIX = "ROTA_NOTIFICATIONS_"

DEFAULTS: dict[str, Any] = {
    # Allow webhook URLs on private, loopback, link-local or multicast addresses (dev, tests).
    "ALLOW_PRIVATE_WEBHOOKS": False,
    # Attempts per delivery before it is marked failed.
    "MAX_ATTEMPTS": 12,
    # First retry delay in seconds; doubled each attempt, with jitter, up to RETRY_MAX_SECONDS
    # (about 2 s, 4 s, 8 s ... capped at an hour: roughly an hour of trying in all).
    "RETRY_BASE_SECONDS": 2.0,
    "RETRY_MAX_SECONDS": 3600.0,
    # A delivery being sent is leased for this long, so the relay does not hand it out twice.
    "LEASE_SECONDS": 120.0,
    # Webhook timeouts (seconds).
    "WEBHOOK_CONNECT_TIMEOUT": 3.0,
    "WEBHOOK_READ_TIMEOUT": 10.0,
    # How many due deliveries one relay run re-enqueues.
    "RELAY_BATCH_SIZE": 1000,
    # User-Agent of webhook requests.
    "USER_AGENT": "RotaRound-Webhook/1",
}


class AppSettings:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(name)
        if name not in self._cache:
            self._cache[name] = getattr(settings, PREFIX + name, DEFAULTS[name])
        return self._cache[name]

    def reload(self, *, setting: str, **kwargs: Any) -> None:
        if setting.startswith(PREFIX):
            self._cache.clear()


app_settings = AppSettings()
setting_changed.connect(app_settings.reload, dispatch_uid="rota_notifications.conf")
