"""Activate the system zone for each request, so forms and the admin show local times."""

import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .selectors import get_system_timezone

logger = logging.getLogger(__name__)


class SystemTimezoneMiddleware:
    """Put it after AuthenticationMiddleware. Stored datetimes stay UTC; only display changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _system_timezone_or_none()
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):  # activate, then deactivate after the response
            return self.get_response(request)


def _system_timezone_or_none() -> ZoneInfo | None:
    # A database outage must not turn every request (the health check too) into a 500.
    try:
        return get_system_timezone()
    except DatabaseError:
        logger.warning("Cannot read the system time zone, keeping the default", exc_info=True)
        return None
