import pytest

from rota_notifications.delivery import attempt
from rota_notifications.models import Channel, Delivery, Status, WebhookSubscription
from rota_notifications.testing.receiver import Reply, WebhookReceiver
from rota_scheduling.services import rota_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(people, rota_factory):
    rota = rota_factory(people, is_active=False)
    WebhookSubscription.objects.create(rota=rota, url="http://127.0.0.1:9/hook", secret="shh")
    rota_update(rota=rota, fields={"is_active": True})
    Delivery.objects.filter(channel=Channel.WEBHOOK).update(
        status=Status.FAILED, attempts=12, last_error="HTTP 503: busy"
    )
    return Delivery.objects.all()


def test_deliveries_filter_by_status_and_channel(admin_client, deliveries):
    page = admin_client.get("/admin/rota_notifications/delivery/?status=failed&channel=webhook")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    page = admin_client.get("/admin/rota_notifications/delivery/?status=pending")
    assert page.context["cl"].result_count == 1  # the email


def test_retry_now_action_makes_a_failed_delivery_pending_again(admin_client, deliveries):
    failed = Delivery.objects.get(status=Status.FAILED)
    response = admin_client.post(
        "/admin/rota_notifications/delivery/",
        {"action": "retry_selected_now", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.PENDING, 0)


def test_subscription_admin_never_shows_the_secret_and_keeps_it_when_left_empty(
    admin_client, deliveries
):
    hook = WebhookSubscription.objects.get()
    page = admin_client.get(f"/admin/rota_notifications/webhooksubscription/{hook.pk}/change/")
    assert page.status_code == 200
    assert b"shh" not in page.content
    response = admin_client.post(
        f"/admin/rota_notifications/webhooksubscription/{hook.pk}/change/",
        {"rota": hook.rota_id, "url": hook.url, "format": "json", "events": '["shift_started"]',
         "secret": "", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    hook.refresh_from_db()
    assert hook.secret == "shh" and hook.events == ["shift_started"]


DELIVERIES = "/admin/rota_notifications/delivery/"


def cells(page: str, column: str) -> list[str]:
    """The text of one column's cells in the change list, top row first."""
    parts = page.split(f'class="field-{column}')[1:]  # maybe followed by " nowrap"
    return [part.split(">", 1)[1].split("</td>")[0] for part in parts]


def test_the_deliveries_list_shows_event_attempts_last_error_and_next_attempt_only_if_pending(
    admin_client, deliveries
):
    page = admin_client.get(f"{DELIVERIES}?o=3").content.decode()  # ordered by channel

    assert cells(page, "event") == ["Shift started", "Shift started"]
    assert cells(page, "channel") == ["Email", "Webhook"]
    assert cells(page, "status") == ["Pending", "Failed"]
    assert cells(page, "attempts_made") == ["0", "12"]
    assert cells(page, "error") == ["-", "HTTP 503: busy"]
    pending_next, failed_next = cells(page, "next_attempt")
    assert pending_next != "-" and failed_next == "-"  # a failed row has no next attempt


def test_each_attempt_is_kept_and_a_retried_delivery_still_shows_its_failure(
    admin_client, people, rota_factory, settings
):
    settings.ROTA_NOTIFICATIONS_MAX_ATTEMPTS = 1
    with WebhookReceiver([Reply(503)]) as receiver:
        rota = rota_factory(people, is_active=False)
        WebhookSubscription.objects.create(rota=rota, url=receiver.url)
        rota_update(rota=rota, fields={"is_active": True})
        hook = Delivery.objects.get(channel=Channel.WEBHOOK)
        assert attempt(hook.pk) == Status.FAILED

        detail = f"{DELIVERIES}{hook.pk}/change/"
        response = admin_client.post(f"{detail[: -len('change/')]}retry/", follow=True)
        assert response.redirect_chain[-1][0] == detail
        assert "Enqueued for another attempt now." in response.content.decode()
        hook.refresh_from_db()
        assert (hook.status, hook.attempts) == (Status.PENDING, 0)  # a fresh attempt budget
        assert attempt(hook.pk) == Status.SENT

    page = admin_client.get(detail).content.decode()
    history = page.split('id="history-group"')[1]
    assert history.index("Failed, given up") < history.index("HTTP 503") < history.index("Sent")
    listing = admin_client.get(f"{DELIVERIES}?channel=webhook").content.decode()
    assert cells(listing, "attempts_made") == ["2"]  # not 1: the failure is not hidden


def test_the_retry_button_is_on_failed_deliveries_only_and_needs_a_post(admin_client, deliveries):
    failed = Delivery.objects.get(status=Status.FAILED)
    sent = Delivery.objects.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=sent.pk).update(status=Status.SENT)

    page = admin_client.get(f"{DELIVERIES}{failed.pk}/change/").content.decode()
    assert f'action="{DELIVERIES}{failed.pk}/retry/"' in page and "Retry now</button>" in page
    assert (
        "Retry now</button>"
        not in admin_client.get(f"{DELIVERIES}{sent.pk}/change/").content.decode()
    )
    assert admin_client.get(f"{DELIVERIES}{failed.pk}/retry/").status_code == 405

    response = admin_client.post(f"{DELIVERIES}{sent.pk}/retry/", follow=True)
    assert "Already sent; not retried." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.SENT
