"""System checks for misconfiguration of this app."""

from typing import Any

from django.conf import settings
from django.core import checks

from .conf import app_settings

PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


@checks.register(checks.Tags.caches)
def check_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    alias = app_settings.CACHE_ALIAS
    if alias not in settings.CACHES:
        return [
            checks.Error(
                f'ROTA_SETTINGS_CACHE_ALIAS is "{alias}", which is not a key of CACHES.',
                id="rota_settings.E001",
            )
        ]
    backend = settings.CACHES[alias].get("BACKEND", "")
    if backend in PER_PROCESS_CACHES and app_settings.CACHE_TIMEOUT is None:
        return [
            checks.Warning(
                "The system time zone is cached forever in a per-process cache: after a "
                "change, other processes (worker, other web processes) keep the old zone.",
                hint="Use a shared cache (Redis) or set ROTA_SETTINGS_CACHE_TIMEOUT (seconds).",
                id="rota_settings.W001",
            )
        ]
    return []
