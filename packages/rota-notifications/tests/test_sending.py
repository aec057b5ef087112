import hashlib
import hmac
import json
import logging

import pytest

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
