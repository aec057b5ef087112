"""The cached system zone name (see ``conf``). A failing cache degrades to the database."""

import logging

from django.core.cache import BaseCache, caches

from .conf import app_settings

logger = logging.getLogger(__name__)


def _cache() -> BaseCache:
    return caches[app_settings.CACHE_ALIAS]


def cached_timezone_name() -> str | None:
    try:
        return _cache().get(app_settings.CACHE_KEY)
    except Exception:
        logger.warning("Cannot read the cached system time zone", exc_info=True)
        return None


def cache_timezone_name(*, name: str) -> None:
    try:
        _cache().set(app_settings.CACHE_KEY, name, timeout=app_settings.CACHE_TIMEOUT)
    except Exception:
        logger.warning("Cannot cache the system time zone", exc_info=True)


def drop_cached_timezone() -> None:
    try:
        _cache().delete(app_settings.CACHE_KEY)
    except Exception:
        logger.error("Cannot drop the cached system time zone", exc_info=True)
