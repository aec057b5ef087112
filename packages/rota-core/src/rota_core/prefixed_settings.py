"""The base of each Rota Round app's ``conf.py``: settings under one prefix, read lazily from
``django.conf.settings`` (never at import time), cached, and dropped when ``override_settings``
or anything sending ``setting_changed`` changes one with the prefix."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed


class PrefixedSettings:
    """Subclass it with one documented property per setting returning ``self._get(name,
    default)``; instantiate it once per app with the prefix (e.g. ``"ROTA_CORE_"``)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._cache: dict[str, Any] = {}
        setting_changed.connect(self.reload, dispatch_uid=f"{prefix}settings.reload")

    def _get(self, name: str, default: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = getattr(settings, self.prefix + name, default)
        return self._cache[name]

    def reload(self, *, setting: str, **kwargs: Any) -> None:
        if setting.startswith(self.prefix):
            self._cache.clear()
