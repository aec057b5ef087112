from rest_framework.test import APIRequestFactory

from rota_core.api.client_ip import client_ip


def request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return APIRequestFactory().get("/", REMOTE_ADDR="10.0.0.9", **headers)


def test_without_proxies_the_header_is_ignored():
    assert client_ip(request()) == "10.0.0.9"
    assert client_ip(request("203.0.113.7")) == "10.0.0.9"


def test_behind_one_proxy_the_rightmost_address_counts(settings):
    settings.ROTA_CORE_NUM_PROXIES = 1

    assert client_ip(request("198.51.100.1, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_from_the_right_counts(settings):
    settings.ROTA_CORE_NUM_PROXIES = 2

    assert client_ip(request("6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_a_short_header_gives_its_leftmost_address(settings):
    settings.ROTA_CORE_NUM_PROXIES = 2

    assert client_ip(request("203.0.113.7")) == "203.0.113.7"


def test_a_missing_header_falls_back_to_remote_addr(settings):
    settings.ROTA_CORE_NUM_PROXIES = 1

    assert client_ip(request()) == "10.0.0.9"
    assert client_ip(request(" , ")) == "10.0.0.9"
