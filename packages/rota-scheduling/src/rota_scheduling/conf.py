"""Settings of rota-scheduling, all prefixed ``ROTA_SCHEDULING_``.

Read lazily from ``django.conf.settings`` and cached; the cache is dropped when a setting with
the prefix changes (``override_settings`` works). Never read at import time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

PREFIX = "ROTA_SCHEDULING_"


class AppSettings:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def _get(self, name: str, default: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = getattr(settings, PREFIX + name, default)
        return self._cache[name]

    def reload(self, *, setting: str, **kwargs: Any) -> None:
        if setting.startswith(PREFIX):
            self._cache.clear()

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


app_settings = AppSettings()
setting_changed.connect(app_settings.reload, dispatch_uid="rota_scheduling.conf")
