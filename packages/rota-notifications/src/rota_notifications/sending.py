"""Send one delivery over its channel and classify the outcome (sent, retry, give up)."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from rota_core.validators import without_control_characters

from .backoff import parse_retry_after
from .conf import app_settings
from .models import Channel, Delivery, WebhookFormat
from .pinned_transport import PinnedTransport
from .url_safety import HostNotResolved, UnsafeURL, webhook_addresses

SIGNATURE_HEADER = "X-Rota-Signature"
TIMESTAMP_HEADER = "X-Rota-Timestamp"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    retryable: bool = False
    error: str = ""
    status: int | None = None
    retry_after: float | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def webhook_body(payload: dict, fmt: str) -> bytes:
    data = {"text": payload["text"]} if fmt == WebhookFormat.SLACK else payload
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def post_webhook(
    *, url: str, body: bytes, secret: str = "", headers: dict | None = None
) -> Outcome:
    try:
        addresses = webhook_addresses(url)
    except HostNotResolved as exc:
        return Outcome(ok=False, retryable=True, error=f"network error: {exc}")
    except UnsafeURL as exc:
        return Outcome(ok=False, retryable=False, error=f"refused: {exc}")
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": app_settings.USER_AGENT,
        **(headers or {}),
    }
    if secret:
        stamp = str(int(time.time()))
        all_headers[TIMESTAMP_HEADER] = stamp
        all_headers[SIGNATURE_HEADER] = sign(secret, stamp, body)
    timeout = httpx.Timeout(
        app_settings.WEBHOOK_READ_TIMEOUT, connect=app_settings.WEBHOOK_CONNECT_TIMEOUT
    )
    transport = PinnedTransport(addresses)  # connect to what was checked, nothing else
    try:  # trust_env=False: a proxy from the environment would resolve the host again
        with httpx.Client(transport=transport, timeout=timeout, trust_env=False) as client:
            response = client.post(url, content=body, headers=all_headers)
    except httpx.TimeoutException as exc:
        return Outcome(ok=False, retryable=True, error=f"timeout: {exc.__class__.__name__}")
    except httpx.TransportError as exc:
        return Outcome(ok=False, retryable=True, error=f"network error: {exc}")
    return classify(response)


def classify(response: httpx.Response) -> Outcome:
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(ok=True, status=status)
    error = f"HTTP {status}: {response.text[:200]}"
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=timezone.now())
        return Outcome(False, True, error, status, retry_after)
    if status >= 500:
        return Outcome(False, True, error, status)
    return Outcome(False, False, error, status)


def send_email(delivery: Delivery) -> Outcome:
    notification = delivery.notification
    context = {"notification": notification, "person": notification.person}
    message = EmailMultiAlternatives(
        subject=without_control_characters(notification.title),  # one header line
        body=render_to_string("rota_notifications/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.target],
        headers={"X-Rota-Delivery": delivery.dedup_key},
    )
    message.attach_alternative(
        render_to_string("rota_notifications/email.html", context), "text/html"
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(ok=False, retryable=False, error=f"recipient refused: {exc}")
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(ok=False, retryable=True, error=f"mail error: {exc}")
    return Outcome(ok=True)


def send(delivery: Delivery) -> Outcome:
    if delivery.channel == Channel.EMAIL:
        return send_email(delivery)
    subscription = delivery.subscription
    if subscription is None or not subscription.is_active:
        return Outcome(ok=False, retryable=False, error="subscription removed or inactive")
    payload = delivery.notification.payload
    return post_webhook(
        url=subscription.url,
        body=webhook_body(payload, subscription.format),
        secret=subscription.secret,
        headers={"X-Rota-Event": payload.get("event", ""), "X-Rota-Delivery": delivery.dedup_key},
    )
