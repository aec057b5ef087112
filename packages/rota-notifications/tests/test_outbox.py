from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from rota_notifications.models import Channel, Delivery, Notification, Status, WebhookSubscription
from rota_scheduling.services import rota_update
from rota_scheduling.signals import ShiftStart, shifts_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def inactive_rota(people, rota_factory):
    return rota_factory(people, is_active=False)


def test_activating_a_rota_writes_in_app_email_and_webhook_rows_for_the_current_person(
    inactive_rota, people, django_capture_on_commit_callbacks
):
    WebhookSubscription.objects.create(rota=inactive_rota, url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks() as callbacks:
        rota = rota_update(rota=inactive_rota, fields={"is_active": True})
    on_duty = rota.current_shift.person
    notification = Notification.objects.get()
    assert notification.person == on_duty
    assert notification.kind == "shift_started"
    assert rota.name in notification.body and on_duty.name in notification.body
    channels = sorted(d.channel for d in notification.deliveries.all())
    assert channels == [Channel.EMAIL, Channel.WEBHOOK]
    assert all(d.status == Status.PENDING for d in notification.deliveries.all())
    assert len(callbacks) == 1  # sending is enqueued only after the commit


def test_nothing_is_written_when_the_causing_transaction_rolls_back(inactive_rota):
    with pytest.raises(RuntimeError), transaction.atomic():
        rota_update(rota=inactive_rota, fields={"is_active": True})
        raise RuntimeError("the request failed after the handoff")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_replayed_signal_creates_no_second_notification_or_delivery(inactive_rota):
    WebhookSubscription.objects.create(rota=inactive_rota, url="http://127.0.0.1:9/hook")
    rota = rota_update(rota=inactive_rota, fields={"is_active": True})
    shift = rota.current_shift
    for _ in range(3):
        start = ShiftStart(rota, shift, shift.person, None)
        shifts_started.send(sender=type(rota), starts=[start])
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2


def test_email_is_skipped_when_the_person_opted_out(inactive_rota, people):
    for person in people:
        person.notify_email = False
        person.save()
    rota_update(rota=inactive_rota, fields={"is_active": True})
    assert Notification.objects.count() == 1
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()


def test_webhooks_get_only_their_subscribed_event_kinds(inactive_rota):
    WebhookSubscription.objects.create(
        rota=inactive_rota, url="http://127.0.0.1:9/a", events=["shift_upcoming"]
    )
    WebhookSubscription.objects.create(
        rota=inactive_rota, url="http://127.0.0.1:9/b", is_active=False
    )
    rota_update(rota=inactive_rota, fields={"is_active": True})
    assert not Delivery.objects.filter(channel=Channel.WEBHOOK).exists()


def test_dedup_key_is_unique_per_event_and_target(inactive_rota):
    rota_update(rota=inactive_rota, fields={"is_active": True})
    delivery = Delivery.objects.get()
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            notification=delivery.notification,
            channel=delivery.channel,
            target=delivery.target,
            dedup_key=delivery.dedup_key,
            next_attempt_at=timezone.now() + timedelta(seconds=1),
        )
