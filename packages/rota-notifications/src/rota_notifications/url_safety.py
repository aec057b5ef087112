"""Webhook URLs: http(s) only, and never to private, loopback, link-local or multicast
addresses (checked at save and again before each send, since DNS answers can change)
unless ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS is on."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from .conf import app_settings


class UnsafeURL(ValueError):
    pass


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f'The host "{host}" does not resolve.') from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def _is_public(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def masked_url(url: str) -> str:
    """``https://hooks.example.com/…``: scheme and host only, for readers who may not see the
    URL (the path or query of a webhook URL is often its secret, e.g. Slack's)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


def check_webhook_url(url: str) -> None:
    """Raise UnsafeURL naming the problem, or return when the URL may receive webhooks."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Only http and https URLs are allowed.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    if app_settings.ALLOW_PRIVATE_WEBHOOKS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL("The URL has an invalid port.") from exc
    for address in _addresses(parts.hostname, port):
        if not _is_public(address):
            raise UnsafeURL(
                f"The URL resolves to {address}, a private, loopback, link-local or multicast "
                "address; webhooks may only go to public addresses."
            )
