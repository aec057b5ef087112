import socket

import pytest

from rota_notifications.url_safety import UnsafeURL, check_webhook_url


@pytest.fixture(autouse=True)
def _refuse_private(settings):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
    ],
)
def test_private_loopback_link_local_and_multicast_addresses_are_refused(url):
    with pytest.raises(UnsafeURL, match="public addresses"):
        check_webhook_url(url)


@pytest.mark.parametrize("url", ["ftp://93.184.216.34/x", "file:///etc/passwd", "gopher://x"])
def test_only_http_and_https(url):
    with pytest.raises(UnsafeURL, match="Only http and https"):
        check_webhook_url(url)


def test_a_public_address_is_accepted():
    check_webhook_url("https://93.184.216.34/hooks/rota")


def test_the_setting_allows_private_addresses_for_dev_and_tests(settings):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True
    check_webhook_url("http://127.0.0.1:9999/hook")
    with pytest.raises(UnsafeURL):
        check_webhook_url("ftp://127.0.0.1/hook")  # the scheme rule still holds


@pytest.mark.parametrize(
    "url",
    [
        "http://[::7f00:1]/hook",  # IPv4-compatible 127.0.0.1
        "http://[::a00:5]/hook",  # IPv4-compatible 10.0.0.5
        "http://[::ffff:a9fe:a9fe]/latest",  # IPv4-mapped 169.254.169.254
        "http://[64:ff9b::7f00:1]/hook",  # NAT64 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/latest",  # NAT64 169.254.169.254
        "http://[64:ff9b:1::a00:1]/hook",  # local-use NAT64
        "http://[2002:7f00:1::]/hook",  # 6to4 127.0.0.1
        "http://[2002:c0a8:101::1]/hook",  # 6to4 192.168.1.1
    ],
)
def test_ipv6_forms_embedding_a_refused_ipv4_address_are_refused(url):
    with pytest.raises(UnsafeURL, match="public addresses"):
        check_webhook_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::5db8:d822]/hook",  # NAT64 93.184.216.34
        "http://[2002:5db8:d822::1]/hook",  # 6to4 93.184.216.34
    ],
)
def test_ipv6_forms_embedding_a_public_ipv4_address_are_accepted(url):
    check_webhook_url(url)


def test_a_host_resolving_to_an_embedded_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::a00:1", 80, 0, 0))
        ],
    )
    with pytest.raises(UnsafeURL, match="64:ff9b::a00:1"):
        check_webhook_url("http://hooks.example.test/hook")
