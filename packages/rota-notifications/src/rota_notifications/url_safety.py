"""Webhook URLs: http(s) only, and never to private, loopback, link-local or multicast
addresses, nor IPv6 forms carrying such an IPv4 address, unless
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS is on. Checked at save and again before each send;
a send resolves the host once and connects to the addresses it checked (decision 0011)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from .conf import app_settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges whose last 32 bits are an IPv4 address the packets end up at.
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated, but still routed by some stacks
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Local-use NAT64 (RFC 8215): the operator's own translator, never a public destination.
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


class UnsafeURL(ValueError):
    pass


class HostNotResolved(UnsafeURL):
    """The host has no address now (DNS down, or the name is gone): worth another try later."""


def masked_url(url: str) -> str:
    """``https://hooks.example.com/…``: scheme and host only, for readers who may not see the
    URL (the path or query of a webhook URL is often its secret, e.g. Slack's)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped (``::ffff:0:0/96``),
    IPv4-compatible (``::/96``), NAT64 (``64:ff9b::/96``) or 6to4 (``2002::/16``)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in IPV4_COMPATIBLE or address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address in LOCAL_NAT64:
            return False
        address = embedded_ipv4(address) or address
    return address.is_global and not address.is_multicast


def _host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Only http and https URLs are allowed.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    try:
        return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL("The URL has an invalid port.") from exc


def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotResolved(f'The host "{host}" does not resolve.') from exc
    addresses = (ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos)
    return list(dict.fromkeys(addresses))


def webhook_addresses(url: str) -> list[Address]:
    """Resolve the URL's host once and return its addresses, each checked: the send connects
    to these and asks DNS nothing more, so a second answer (DNS rebinding) is never used.
    Raises UnsafeURL naming the problem."""
    host, port = _host_and_port(url)
    addresses = _resolve(host, port)
    if not app_settings.ALLOW_PRIVATE_WEBHOOKS:
        for address in addresses:
            if not is_public(address):
                raise UnsafeURL(
                    f"The URL resolves to {address}, a private, loopback, link-local or "
                    "multicast address; webhooks may only go to public addresses."
                )
    return addresses


def check_webhook_url(url: str) -> None:
    """At save: raise UnsafeURL naming the problem, or return when the URL may receive
    webhooks. With private addresses allowed the host need not resolve yet."""
    if app_settings.ALLOW_PRIVATE_WEBHOOKS:
        _host_and_port(url)
    else:
        webhook_addresses(url)
