"""Per-user write throttling for every Rota Round API view that writes.

Writes (any method but GET, HEAD, OPTIONS) of one signed-in user are counted in the default
Django cache, over a sliding window; past ``ROTA_CORE_WRITE_RATE`` (120 a minute by default)
they answer 429 with ``Retry-After``. Reads and anonymous requests are not counted (the
anonymous login has its own limits, ``rota_core.login_limits``).
"""

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from ..conf import app_settings


class WriteRateThrottle(SimpleRateThrottle):
    """Set ``throttle_classes = [WriteRateThrottle]`` on a view that writes."""

    scope = "rota_core_write"

    def get_rate(self) -> str | None:
        return app_settings.WRITE_RATE

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
