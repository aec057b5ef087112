"""Reads of the system settings."""

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cache import cache_timezone_name, cached_timezone_name
from .models import SystemSettings

logger = logging.getLogger(__name__)


def get_system_settings() -> SystemSettings:
    """The settings row, created with the defaults on first use."""
    return SystemSettings.load()


def get_system_timezone() -> ZoneInfo:
    """The system zone, from the cache when it holds it, else from the database (then cached)."""
    name = cached_timezone_name()
    if name is None:
        name = get_system_settings().timezone
        cache_timezone_name(name=name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A name a later tz database dropped: keep serving rather than fail every request.
        logger.error("Unknown system time zone %r, using UTC", name)
        return ZoneInfo("UTC")
