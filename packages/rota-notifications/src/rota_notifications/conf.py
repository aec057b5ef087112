"""Settings of rota-notifications, all prefixed ``ROTA_NOTIFICATIONS_``.

Read lazily from ``django.conf.settings`` and cached; the cache is dropped when a setting with
the prefix changes (``override_settings`` works). Never read at import time.
"""

from __future__ import annotations

from rota_core.prefixed_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    @property
    def ALLOW_PRIVATE_WEBHOOKS(self) -> bool:
        """Allow webhook URLs on private, loopback, link-local or multicast addresses (dev and
        tests only: in production they would let a user probe the internal network)."""
        return self._get("ALLOW_PRIVATE_WEBHOOKS", False)

    @property
    def MAX_ATTEMPTS(self) -> int:
        """Attempts per delivery before it is marked failed."""
        return self._get("MAX_ATTEMPTS", 12)

    @property
    def RETRY_BASE_SECONDS(self) -> float:
        """First retry delay; doubled each attempt, with jitter (about 2 s, 4 s, 8 s ...)."""
        return self._get("RETRY_BASE_SECONDS", 2.0)

    @property
    def RETRY_MAX_SECONDS(self) -> float:
        """Longest wait between two attempts (roughly an hour of trying in all by default)."""
        return self._get("RETRY_MAX_SECONDS", 3600.0)

    @property
    def LEASE_SECONDS(self) -> float:
        """A delivery being sent is leased this long, so the relay never hands it out twice;
        must exceed the webhook timeouts."""
        return self._get("LEASE_SECONDS", 120.0)

    @property
    def WEBHOOK_CONNECT_TIMEOUT(self) -> float:
        """Seconds to wait for a webhook receiver to accept the connection."""
        return self._get("WEBHOOK_CONNECT_TIMEOUT", 3.0)

    @property
    def WEBHOOK_READ_TIMEOUT(self) -> float:
        """Seconds to wait for a webhook receiver's answer."""
        return self._get("WEBHOOK_READ_TIMEOUT", 10.0)

    @property
    def RELAY_BATCH_SIZE(self) -> int:
        """Due pending deliveries one relay run re-enqueues (the rest go next minute)."""
        return self._get("RELAY_BATCH_SIZE", 1000)

    @property
    def USER_AGENT(self) -> str:
        """User-Agent of webhook requests."""
        return self._get("USER_AGENT", "RotaRound-Webhook/1")


app_settings = AppSettings("ROTA_NOTIFICATIONS_")
