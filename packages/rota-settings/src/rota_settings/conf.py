"""App settings: ``ROTA_SETTINGS_<NAME>`` in Django settings, read lazily.

Values are read on first use, never at import time, and forgotten when ``setting_changed``
fires for one of them, so ``override_settings`` and pytest-django's ``settings`` work.
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "ROTA_SETTINGS_"


class AppSettings:
    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def _setting(self, name: str, default: Any) -> Any:
        if name not in self._values:
            self._values[name] = getattr(settings, PREFIX + name, default)
        return self._values[name]

    def reset(self) -> None:
        self._values.clear()

    @property
    def CACHE_ALIAS(self) -> str:
        """Alias (a key of ``CACHES``) of the cache holding the system zone. Default "default"."""
        return self._setting("CACHE_ALIAS", "default")

    @property
    def CACHE_KEY(self) -> str:
        """Cache key of the system zone name. Default "rota_settings:timezone"."""
        return self._setting("CACHE_KEY", "rota_settings:timezone")

    @property
    def CACHE_TIMEOUT(self) -> int | None:
        """Seconds the cached zone lives. Default None: forever, as every save drops it.

        Set a number of seconds when the cache is per process (LocMemCache) and several
        processes run (web server, worker): a save drops only the saving process's copy.
        """
        return self._setting("CACHE_TIMEOUT", None)


app_settings = AppSettings()


@receiver(setting_changed, dispatch_uid="rota_settings.conf.reset")
def _reset_app_settings(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(PREFIX):
        app_settings.reset()
