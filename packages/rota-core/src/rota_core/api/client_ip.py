from django.http import HttpRequest
from rest_framework.request import Request

from ..conf import app_settings


def client_ip(request: HttpRequest | Request) -> str:
    """The address the request came from, as far as it can be trusted.

    REMOTE_ADDR unless ``ROTA_CORE_NUM_PROXIES`` is N > 0: then the N-th address from the
    right of X-Forwarded-For, i.e. the one our own outermost proxy saw (as DRF's
    NUM_PROXIES). Addresses further left are whatever the client chose to send.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    num_proxies = app_settings.NUM_PROXIES
    if num_proxies <= 0:
        return remote_addr
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]
