"""End to end: a real Celery worker (not eager mode) and a real HTTP receiver."""

import pytest
from django.db import transaction

from rota_notifications.delivery import relay_pending
from rota_notifications.models import Channel, Delivery, Status, WebhookSubscription
from rota_notifications.testing.receiver import Reply, WebhookReceiver
from rota_scheduling.services import rota_update

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def subscribed_rota(people, rota_factory):
    def make(url, **subscription):
        rota = rota_factory(people, is_active=False)
        WebhookSubscription.objects.create(rota=rota, url=url, **subscription)
        return rota

    return make


def webhook_row():
    return Delivery.objects.get(channel=Channel.WEBHOOK)


def sent(row_getter):
    row = row_getter()
    return row if row.status != Status.PENDING else None


def test_failing_twice_then_ok_delivers_exactly_once_after_three_attempts(
    celery_worker, subscribed_rota, wait_until
):
    with WebhookReceiver([Reply(500), Reply(503), Reply(200)]) as receiver:
        rota = subscribed_rota(receiver.url)
        rota_update(rota=rota, fields={"is_active": True})
        row = wait_until(lambda: sent(webhook_row))
        assert (row.status, row.attempts) == (Status.SENT, 3)
        assert [r.headers["X-Rota-Delivery"] for r in receiver.requests] == [row.dedup_key] * 3
        assert receiver.requests[-1].json()["event"] == "shift_started"
    assert len(receiver.requests) == 3  # and no fourth after success


def test_a_4xx_fails_after_one_attempt(celery_worker, subscribed_rota, wait_until):
    with WebhookReceiver([Reply(400)]) as receiver:
        rota_update(rota=subscribed_rota(receiver.url), fields={"is_active": True})
        row = wait_until(lambda: sent(webhook_row))
        assert (row.status, row.attempts) == (Status.FAILED, 1)
        assert len(receiver.requests) == 1


def test_a_read_timeout_is_retried(celery_worker, subscribed_rota, wait_until, settings):
    settings.ROTA_NOTIFICATIONS_WEBHOOK_READ_TIMEOUT = 0.5
    with WebhookReceiver([Reply(200, delay=2.0), Reply(200)]) as receiver:
        rota_update(rota=subscribed_rota(receiver.url), fields={"is_active": True})
        row = wait_until(lambda: sent(webhook_row))
        assert (row.status, row.attempts) == (Status.SENT, 2)
        assert row.last_error == ""


def test_broker_down_at_commit_keeps_rows_pending_and_the_relay_delivers_them_once(
    subscribed_rota, outage, wait_until, request
):
    with WebhookReceiver() as receiver:
        rota = subscribed_rota(receiver.url)
        with outage():
            with transaction.atomic():
                rota_update(rota=rota, fields={"is_active": True})
            # committed; enqueueing failed quietly: nothing lost, nothing sent
            assert set(Delivery.objects.values_list("status", flat=True)) == {Status.PENDING}
        assert receiver.requests == []
        request.getfixturevalue("celery_worker")  # the broker is back and a worker runs
        assert relay_pending() == 2  # email and webhook
        wait_until(lambda: not Delivery.objects.filter(status=Status.PENDING).exists())
        relay_pending()  # a second relay run finds nothing to resend
        assert len(receiver.wait_for(1)) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
