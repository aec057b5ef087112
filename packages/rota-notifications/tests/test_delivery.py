from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.utils import timezone

from rota_notifications import delivery as outbox_delivery
from rota_notifications.models import Channel, Delivery, Kind, Status, WebhookSubscription
from rota_notifications.testing.receiver import Reply, WebhookReceiver
from rota_scheduling.models import Rota
from rota_scheduling.services import rota_advance, rota_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def webhook_delivery(people, rota_factory):
    def make(url):
        rota = rota_factory(people, is_active=False)
        WebhookSubscription.objects.create(rota=rota, url=url, format="slack")
        rota_update(rota=rota, fields={"is_active": True})
        return Delivery.objects.get(channel=Channel.WEBHOOK)

    return make


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_email_delivery_sends_text_and_html_once(people, rota_factory):
    rota_factory(people)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert outbox_delivery.attempt(email.pk) == Status.SENT
    assert outbox_delivery.attempt(email.pk) is None  # already sent: nothing happens
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email.target]
    assert "on duty" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_5xx_schedules_a_retry_with_backoff_then_succeeds(webhook_delivery, settings):
    settings.ROTA_NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    with WebhookReceiver([Reply(500), Reply(200)]) as receiver:
        row = webhook_delivery(receiver.url)
        assert outbox_delivery.attempt(row.pk) == Status.PENDING
        row.refresh_from_db()
        assert row.attempts == 1 and row.last_error.startswith("HTTP 500")
        assert row.next_attempt_at > timezone.now()
        assert outbox_delivery.attempt(row.pk) is None  # not due yet
        make_due(row)
        assert outbox_delivery.attempt(row.pk) == Status.SENT
        assert len(receiver.requests) == 2
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_status) == (Status.SENT, 2, 200)
    assert row.sent_at is not None


def test_a_4xx_fails_at_once_without_retry(webhook_delivery):
    with WebhookReceiver([Reply(400)]) as receiver:
        row = webhook_delivery(receiver.url)
        assert outbox_delivery.attempt(row.pk) == Status.FAILED
        make_due(row)
        assert outbox_delivery.attempt(row.pk) is None
        assert len(receiver.requests) == 1
    row.refresh_from_db()
    assert row.last_error.startswith("HTTP 400")


def test_after_the_maximum_attempts_the_delivery_fails_with_its_last_error(
    webhook_delivery, settings
):
    settings.ROTA_NOTIFICATIONS_MAX_ATTEMPTS = 3
    with WebhookReceiver([Reply(503)] * 5) as receiver:
        row = webhook_delivery(receiver.url)
        for _ in range(3):
            make_due(row)
            outbox_delivery.attempt(row.pk)
        make_due(row)
        assert outbox_delivery.attempt(row.pk) is None
        assert len(receiver.requests) == 3
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert row.last_error.startswith("HTTP 503")


def test_a_claimed_delivery_cannot_be_sent_twice_concurrently(webhook_delivery):
    row = webhook_delivery("http://127.0.0.1:9/hook")
    now = timezone.now()
    assert outbox_delivery.claim(row.pk, now=now) is not None
    assert outbox_delivery.claim(row.pk, now=now) is None  # leased by the first taker


def test_relay_enqueues_only_due_pending_deliveries(webhook_delivery, settings):
    row = webhook_delivery("http://127.0.0.1:9/hook")
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    assert outbox_delivery.relay_pending() == 1  # the email delivery only
    make_due(row)
    assert outbox_delivery.relay_pending() == 2
    Delivery.objects.update(status=Status.SENT)
    assert outbox_delivery.relay_pending() == 0


def test_retry_now_makes_failed_deliveries_pending_again(webhook_delivery):
    row = webhook_delivery("http://127.0.0.1:9/hook")
    Delivery.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=5)
    outbox_delivery.retry_now(Delivery.objects.filter(pk=row.pk))
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)


def test_a_rota_name_with_a_line_break_gives_a_one_line_subject(people, rota_factory):
    rota = rota_factory(people)
    Rota.objects.filter(pk=rota.pk).update(name="Ops\r\nBcc: everyone@example.com")
    rota_advance(rota=Rota.objects.get(pk=rota.pk))  # names stored before the rule exist
    email = Delivery.objects.get(
        channel=Channel.EMAIL,
        notification__kind=Kind.SHIFT_STARTED,
        notification__title__contains="\n",
    )

    assert outbox_delivery.attempt(email.pk) == Status.SENT

    message = mail.outbox[-1]
    assert message.subject == "You are on duty for Ops Bcc: everyone@example.com"
    assert message.bcc == [] and message.to == [email.target]


def test_an_unexpected_error_while_sending_is_recorded_as_failed_not_retried(
    people, rota_factory, monkeypatch
):
    rota_factory(people)
    email = Delivery.objects.get(channel=Channel.EMAIL)

    def broken_send(message, fail_silently=False):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)

    assert outbox_delivery.attempt(email.pk) == Status.FAILED
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    # Django 6.1 raises ValueError itself (BadHeaderError, deprecated, is now that): the type
    # named is the one raised, the message is Django's.
    assert (
        email.last_error
        == f"error: {BadHeaderError.__name__}: Header values can't contain newlines"
    )
    make_due(email)
    assert outbox_delivery.attempt(email.pk) is None


def test_a_delivery_at_the_attempt_limit_is_failed_when_claimed_and_never_sent(
    people, rota_factory, settings
):
    """A worker that dies mid-send records nothing; its lease runs out and the relay hands the
    delivery out again. Once the attempts are used up, it fails instead of being sent."""
    settings.ROTA_NOTIFICATIONS_MAX_ATTEMPTS = 3
    rota_factory(people)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=email.pk).update(attempts=3)

    assert outbox_delivery.attempt(email.pk) is None

    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 3)
    assert email.last_error == "gave up: 3 attempts used"
    assert outbox_delivery.relay_pending() == 0
