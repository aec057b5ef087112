import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from rota_core.testing.factories import UserFactory
from rota_notifications.models import Notification, WebhookSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_notifications(linked_user, people, rota_factory):
    rota_factory(people[:1])  # Ada (linked) is on duty at once
    rota_factory(people[1:2])  # Grace's: not Ada's
    return Notification.objects.filter(person=people[0])


def signed_in(user, csrf=False):
    client = APIClient(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_list_shows_only_my_notifications_newest_first_with_unread_filter(
    my_notifications, linked_user
):
    client = signed_in(linked_user)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 1
    assert body["results"][0]["kind"] == "shift_started"
    assert body["results"][0]["is_read"] is False
    assert body["results"][0]["created_at"].endswith("Z")
    notification_id = body["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{notification_id}/read/").json()["is_read"]
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications/").json()["count"] == 1


def test_read_all_and_the_unread_count_in_me(my_notifications, linked_user):
    client = signed_in(linked_user)
    assert client.get("/api/v1/auth/me/").json()["unread_notifications"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/auth/me/").json()["unread_notifications"] == 0


def test_someone_elses_notification_is_404(my_notifications, people):
    other = Notification.objects.exclude(person=people[0]).first()
    user = UserFactory()
    people[1].user = user
    people[1].save()
    client = signed_in(user)
    assert (
        client.post(f"/api/v1/notifications/{my_notifications.first().pk}/read/").status_code == 404
    )
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 200


def test_notifications_refuse_anonymous_and_missing_csrf(my_notifications, linked_user):
    assert APIClient().get("/api/v1/notifications/").status_code == 403
    response = signed_in(linked_user, csrf=True).post("/api/v1/notifications/read-all/")
    assert response.status_code == 403


@pytest.fixture
def webhook_admin(db):
    user = UserFactory(username="hooks")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="rota_notifications")
    )
    return user


def test_webhook_crud_never_returns_the_secret(webhook_admin, people, rota_factory):
    rota = rota_factory(people)
    client = signed_in(webhook_admin)
    created = client.post(
        "/api/v1/webhooks/",
        {"rota": rota.pk, "url": "http://127.0.0.1:9/hook", "format": "slack", "secret": "shh"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert "secret" not in body and body["has_secret"] is True
    assert body["events"] == [
        "shift_started",
        "shift_upcoming",
        "override_started",
        "schedule_changed",
        "swap_requested",
        "swap_taken",
        "swap_cancelled",
        "swap_taker_unavailable",
    ]
    hook_id = body["id"]
    assert "shh" not in client.get(f"/api/v1/webhooks/{hook_id}/").content.decode()
    patched = client.patch(f"/api/v1/webhooks/{hook_id}/", {"is_active": False}).json()
    assert patched["is_active"] is False
    assert WebhookSubscription.objects.get().secret == "shh"
    assert client.delete(f"/api/v1/webhooks/{hook_id}/").status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"format": "xml"}, "format"),
        ({"events": ["party"]}, "events"),
        ({"rota": 999999}, "rota"),
    ],
)
def test_webhook_bad_input_names_the_field(webhook_admin, people, rota_factory, payload, field):
    rota = rota_factory(people)
    data = {"rota": rota.pk, "url": "http://127.0.0.1:9/hook", **payload}
    response = signed_in(webhook_admin).post("/api/v1/webhooks/", data)
    assert response.status_code == 400
    assert field in response.json()


def test_private_webhook_urls_are_refused_at_save_unless_allowed(
    webhook_admin, people, rota_factory, settings
):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False
    rota = rota_factory(people)
    response = signed_in(webhook_admin).post(
        "/api/v1/webhooks/", {"rota": rota.pk, "url": "http://169.254.169.254/latest"}
    )
    assert response.status_code == 400
    assert "public addresses" in response.json()["url"][0]


def test_webhook_writes_need_the_model_permission(people, rota_factory):
    rota = rota_factory(people)
    client = signed_in(UserFactory())
    assert client.get("/api/v1/webhooks/").status_code == 200
    response = client.post("/api/v1/webhooks/", {"rota": rota.pk, "url": "http://127.0.0.1:9/"})
    assert response.status_code == 403


SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXtokenXXXX"


@pytest.mark.parametrize(
    ("perm", "shown"),
    [
        (None, "https://hooks.slack.com/…"),
        ("view_webhooksubscription", SLACK_URL),
        ("change_webhooksubscription", SLACK_URL),
    ],
)
def test_webhook_urls_are_masked_for_users_who_may_not_view_webhooks(
    people, rota_factory, perm, shown
):
    hook = WebhookSubscription.objects.create(rota=rota_factory(people), url=SLACK_URL)
    user = UserFactory()
    if perm:
        user.user_permissions.add(Permission.objects.get(codename=perm))
    client = signed_in(user)

    listed = client.get("/api/v1/webhooks/")
    detail = client.get(f"/api/v1/webhooks/{hook.pk}/")

    assert listed.json()["results"][0]["url"] == shown
    assert detail.json()["url"] == shown
    if perm is None:
        assert "XXXXtokenXXXX" not in listed.content.decode() + detail.content.decode()


def test_a_masked_url_keeps_scheme_host_and_port_and_drops_credentials():
    from rota_notifications.url_safety import masked_url

    assert masked_url("http://user:pw@10.0.0.1:8080/hook?token=x") == "http://10.0.0.1:8080/…"
    assert masked_url("https://[2001:db8::1]/x") == "https://[2001:db8::1]/…"


def test_webhook_test_endpoint_returns_the_receivers_status(webhook_admin, people, rota_factory):
    from rota_notifications.testing.receiver import Reply, WebhookReceiver

    rota = rota_factory(people)
    with WebhookReceiver([Reply(418)]) as receiver:
        hook = WebhookSubscription.objects.create(rota=rota, url=receiver.url, secret="k")
        response = signed_in(webhook_admin).post(f"/api/v1/webhooks/{hook.pk}/test/")
        assert response.json() == {"ok": False, "status": 418, "error": "HTTP 418: ok"}
        sent = receiver.wait_for(1)[0]
        assert sent.json()["event"] == "test"
        assert sent.headers["X-Rota-Signature"].startswith("sha256=")


def test_the_me_schema_documents_the_unread_count_this_app_adds():
    from rota_notifications.api.schema import postprocess_me_extra

    schema = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "Me": {
                    "type": "object",
                    "properties": {"user": {}, "person": {}, "permissions": {}},
                    "required": ["permissions", "person", "user"],
                }
            }
        },
    }

    me = postprocess_me_extra(schema, None, None, True)["components"]["schemas"]["Me"]

    assert me["properties"]["unread_notifications"]["type"] == "integer"
    assert me["required"] == ["permissions", "person", "unread_notifications", "user"]
