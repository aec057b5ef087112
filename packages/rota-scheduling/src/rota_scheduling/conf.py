"""Settings of rota-scheduling, all prefixed ``ROTA_SCHEDULING_``.

Read lazily from ``django.conf.settings`` and cached; the cache is dropped when a setting with
the prefix changes (``override_settings`` works). Never read at import time.
"""

from __future__ import annotations

from rota_core.prefixed_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    @property
    def SWEEP_BATCH_SIZE(self) -> int:
        """Rotas rotated per transaction by the sweep (bulk writes per batch)."""
        return self._get("SWEEP_BATCH_SIZE", 500)

    @property
    def MAX_CATCH_UP(self) -> int:
        """Most shifts one rota stores in one sweep after downtime; the rest follow next run."""
        return self._get("MAX_CATCH_UP", 5000)

    @property
    def ARM_HORIZON_SECONDS(self) -> int:
        """How far ahead each beat run arms a sweep at upcoming handoff instants; keep it longer
        than the "Rotate due rotas" interval (60 s) so no handoff falls between two runs."""
        return self._get("ARM_HORIZON_SECONDS", 75)


app_settings = AppSettings("ROTA_SCHEDULING_")
