import pytest

from rota_notifications.models import Channel, Delivery, Status, WebhookSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(people, rota_factory):
    rota = rota_factory(people, is_active=False)
    WebhookSubscription.objects.create(rota=rota, url="http://127.0.0.1:9/hook", secret="shh")
    from rota_scheduling.services import rota_update

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
