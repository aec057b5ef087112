"""swap_requested, swap_taken and swap_cancelled: in-app, email and the rota's webhooks, once
each, in the recipient's zone; a handoff inside a taken swap tells the taker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rota_core.services import unavailability_create
from rota_notifications.models import Channel, Delivery, Kind, Notification, WebhookSubscription
from rota_scheduling.selectors import rota_segments
from rota_scheduling.services import rotate_due, swap_cancel, swap_request, swap_take

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(rota_factory, people):
    """A daily rota of the four people, a json webhook, and the holder of the next full day."""
    rota = rota_factory(people, cadence="daily", starts_on=timezone.now().date() - timedelta(3))
    start = rota.next_handoff_at + timedelta(days=1)
    (day,) = rota_segments(rota=rota, start=start, end=start + timedelta(days=1))
    requester = next(p for p in people if p.pk == day.person)
    hook = WebhookSubscription.objects.create(rota=rota, url="http://127.0.0.1:9/h", format="json")
    Notification.objects.all().delete()
    return rota, requester, start, hook


def kinds_for(person):
    return list(Notification.objects.filter(person=person).values_list("kind", flat=True))


def webhooks(kind):
    return Delivery.objects.filter(channel=Channel.WEBHOOK, notification__kind=kind).count()


def test_a_request_tells_the_other_active_members_once_and_the_webhook_once(setup, people):
    rota, requester, start, _hook = setup
    others = [p for p in people if p != requester]

    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )

    assert kinds_for(requester) == []
    assert all(kinds_for(p) == [Kind.SWAP_REQUESTED] for p in others)
    assert webhooks(Kind.SWAP_REQUESTED) == 1
    emails = Delivery.objects.filter(channel=Channel.EMAIL, notification__kind=Kind.SWAP_REQUESTED)
    assert sorted(emails.values_list("target", flat=True)) == sorted(p.email for p in others)
    payload = Delivery.objects.get(channel=Channel.WEBHOOK).notification.payload
    assert payload["event"] == "swap_requested" and payload["swap_id"] == swap.pk


def test_taken_tells_the_requester_and_cancelled_tells_the_taker_in_their_zone(setup, people):
    rota, requester, start, _hook = setup
    taker = next(p for p in people if p != requester)
    taker.timezone = "Asia/Tokyo"
    taker.save(update_fields=["timezone"])
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )

    swap_take(swap=swap, taker=taker)
    swap_cancel(swap=swap)

    taken = Notification.objects.get(kind=Kind.SWAP_TAKEN)
    cancelled = Notification.objects.get(kind=Kind.SWAP_CANCELLED)
    assert taken.person == requester and taker.name in taken.body
    assert cancelled.person == taker and "JST" in cancelled.body
    assert webhooks(Kind.SWAP_TAKEN) == 1 and webhooks(Kind.SWAP_CANCELLED) == 1


def test_an_open_swap_cancelled_tells_nobody(setup):
    rota, requester, start, _hook = setup
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )

    swap_cancel(swap=swap)

    assert not Notification.objects.filter(kind=Kind.SWAP_CANCELLED).exists()


def test_a_replayed_swap_signal_notifies_nobody_twice(setup, people):
    from rota_scheduling.models import Rota
    from rota_scheduling.signals import swap_taken

    rota, requester, start, _hook = setup
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    swap = swap_take(swap=swap, taker=next(p for p in people if p != requester))

    swap_taken.send(sender=Rota, rota=rota, swap=swap)

    assert Notification.objects.filter(kind=Kind.SWAP_TAKEN).count() == 1
    assert webhooks(Kind.SWAP_TAKEN) == 1


def test_a_handoff_inside_a_taken_swap_tells_the_taker(setup, people):
    rota, requester, start, _hook = setup
    taker = next(p for p in people if p != requester)
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start - timedelta(hours=1),
        ends_at=start + timedelta(hours=8),
    )  # fmt: skip
    swap_take(swap=swap, taker=taker)
    Notification.objects.all().delete()

    rotate_due(now=start + timedelta(seconds=5))

    started = Notification.objects.get(kind=Kind.SHIFT_STARTED, rota=rota)
    assert started.person == taker


def test_leave_the_taker_adds_after_taking_tells_the_requester_once(setup, people):
    rota, requester, start, _hook = setup
    taker = next(p for p in people if p != requester)
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    swap_take(swap=swap, taker=taker)

    for hours in (2, 3):  # a second overlapping leave says nothing new
        unavailability_create(
            person=taker,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=hours),
        )

    (told,) = Notification.objects.filter(kind=Kind.SWAP_TAKER_UNAVAILABLE)
    assert told.person == requester and taker.name in told.body


def test_leave_outside_the_swap_window_tells_nobody(setup, people):
    rota, requester, start, _hook = setup
    taker = next(p for p in people if p != requester)
    swap = swap_request(
        rota=rota, requester=requester, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    swap_take(swap=swap, taker=taker)

    unavailability_create(
        person=taker, starts_at=start + timedelta(hours=9), ends_at=start + timedelta(hours=10)
    )

    assert not Notification.objects.filter(kind=Kind.SWAP_TAKER_UNAVAILABLE).exists()
