import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from types import SimpleNamespace

import pytest

from rota_notifications import url_safety
from rota_notifications.sending import classify, post_webhook, sign, webhook_body
from rota_notifications.testing.receiver import Reply, WebhookReceiver

BODY = webhook_body({"event": "shift_started", "text": "Ada is on duty"}, "json")


@pytest.mark.parametrize(
    ("status", "ok", "retryable"),
    [(200, True, False), (204, True, False), (500, False, True), (503, False, True),
     (429, False, True), (400, False, False), (404, False, False), (410, False, False)],
)  # fmt: skip
def test_each_status_is_classified(status, ok, retryable):
    with WebhookReceiver([Reply(status)]) as receiver:
        outcome = post_webhook(url=receiver.url, body=BODY)
    assert (outcome.ok, outcome.retryable, outcome.status) == (ok, retryable, status)


def test_429_carries_the_receivers_retry_after():
    with WebhookReceiver([Reply(429, headers={"Retry-After": "17"})]) as receiver:
        outcome = post_webhook(url=receiver.url, body=BODY)
    assert outcome.retry_after == 17


def test_a_read_timeout_is_retryable(settings):
    settings.ROTA_NOTIFICATIONS_WEBHOOK_READ_TIMEOUT = 0.3
    with WebhookReceiver([Reply(200, delay=1.0)]) as receiver:
        outcome = post_webhook(url=receiver.url, body=BODY)
    assert not outcome.ok and outcome.retryable
    assert outcome.error.startswith("timeout")


def test_a_refused_connection_is_retryable():
    outcome = post_webhook(url="http://127.0.0.1:1/hook", body=BODY)
    assert not outcome.ok and outcome.retryable
    assert outcome.error.startswith("network error")


def test_private_addresses_are_refused_again_at_send_time(settings):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False
    with WebhookReceiver() as receiver:
        outcome = post_webhook(url=receiver.url, body=BODY)
        assert receiver.requests == []
    assert not outcome.ok and not outcome.retryable
    assert "public addresses" in outcome.error


def test_a_secret_signs_timestamp_and_body_so_the_receiver_can_verify_it():
    with WebhookReceiver() as receiver:
        post_webhook(url=receiver.url, body=BODY, secret="s3cret")
        request = receiver.wait_for(1)[0]
    stamp = request.headers["X-Rota-Timestamp"]
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["X-Rota-Signature"] == "sha256=" + expected.hexdigest()
    assert sign("s3cret", stamp, request.body) == request.headers["X-Rota-Signature"]
    assert request.body == BODY


def test_slack_format_is_just_the_text():
    payload = {"event": "shift_started", "text": "Ada is on duty", "rota": {"id": 1}}
    assert json.loads(webhook_body(payload, "slack")) == {"text": "Ada is on duty"}
    assert json.loads(webhook_body(payload, "json")) == payload


def test_classify_keeps_the_start_of_the_error_body():
    import httpx

    outcome = classify(httpx.Response(502, text="bad gateway" * 100))
    assert outcome.error.startswith("HTTP 502: bad gateway")
    assert len(outcome.error) < 300


def test_a_webhook_send_logs_no_url_at_info(caplog):
    caplog.set_level(logging.INFO)
    with WebhookReceiver() as receiver:
        outcome = post_webhook(url=receiver.url, body=BODY)
    assert outcome.ok
    assert "/hook" not in caplog.text and "127.0.0.1" not in caplog.text


# --- DNS rebinding: the connection goes to the address that was checked --------------------

PUBLIC = "192.0.2.1"  # stands for a public address (TEST-NET-1: a test may use no real one)


@pytest.fixture
def network(monkeypatch):
    """A DNS whose answers the test scripts per host, and a connect() that records each
    target and refuses any non-loopback one in-process: no packet leaves the machine."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
    answers: dict[str, list[str]] = {}
    connects: list[str] = []

    def scripted_getaddrinfo(host, port, *args, **kwargs):
        if host in answers:  # the next scripted answer; the last one repeats
            host = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def guarded_connect(sock, address):
        connects.append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(f"test: no connection to {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", scripted_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return SimpleNamespace(answers=answers, connects=connects)


def test_a_host_rebinding_to_loopback_after_the_check_is_not_reached(
    network, settings, monkeypatch
):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False
    settings.ROTA_NOTIFICATIONS_WEBHOOK_CONNECT_TIMEOUT = 0.5
    real_is_public = url_safety.is_public
    monkeypatch.setattr(url_safety, "is_public", lambda a: str(a) == PUBLIC or real_is_public(a))
    network.answers["hooks.rebind.test"] = [PUBLIC, "127.0.0.1"]  # check, then any later ask

    with WebhookReceiver() as receiver:
        port = receiver.server.server_address[1]
        outcome = post_webhook(url=f"http://hooks.rebind.test:{port}/hook", body=BODY)
        assert receiver.requests == []

    assert network.connects == [PUBLIC]
    assert not outcome.ok and outcome.retryable and outcome.error.startswith("network error")


def test_the_pinned_connection_keeps_the_host_name_in_the_host_header(network):
    network.answers["hooks.local.test"] = ["127.0.0.1"]  # private addresses allowed (tests)

    with WebhookReceiver() as receiver:
        port = receiver.server.server_address[1]
        outcome = post_webhook(url=f"http://hooks.local.test:{port}/hook", body=BODY)
        request = receiver.wait_for(1)[0]

    assert outcome.ok
    assert request.headers["Host"] == f"hooks.local.test:{port}"
    assert network.connects == ["127.0.0.1"]


def test_a_host_that_does_not_resolve_now_is_retried_later(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)

    outcome = post_webhook(url="http://hooks.example.test/hook", body=BODY)

    assert not outcome.ok and outcome.retryable
    assert outcome.error == 'network error: The host "hooks.example.test" does not resolve.'
