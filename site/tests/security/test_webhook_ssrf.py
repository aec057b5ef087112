"""Webhook URLs through the API, with private addresses refused (production's default):
only http(s) to public addresses are stored, and a stored URL that points inward (saved
before the rule applied, or a name that resolves inward later) is never connected to."""

import socket

import pytest

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://[::7f00:1]/hook",  # IPv4-compatible 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 169.254.169.254
    "http://[2002:a00:1::]/hook",  # 6to4 10.0.0.1
    "http://224.0.0.1/hook",
    "http://2130706433/hook",  # 127.0.0.1 as one decimal number
    "http://0x7f.1/hook",  # 127.0.0.1 in inet_aton shorthand
    "ftp://93.184.215.14/hook",
    "file:///etc/passwd",
    "gopher://93.184.215.14/_hook",
    "https:///no-host",
]


@pytest.fixture(autouse=True)
def private_webhooks_refused(settings):
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False


@pytest.mark.parametrize("url", REFUSED)
def test_inward_and_non_http_urls_are_refused_on_create(superuser_client, objects, url):
    response = superuser_client.post(
        "/api/v1/webhooks/", {"rota": objects["rota"].pk, "url": url}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "url" in response.json()


def test_a_public_address_is_accepted_and_an_update_inward_is_refused(superuser_client, objects):
    created = superuser_client.post(
        "/api/v1/webhooks/",
        {"rota": objects["rota"].pk, "url": "https://93.184.215.14/hook"},
        format="json",
    )
    assert created.status_code == 201, created.content

    moved = superuser_client.patch(
        f"/api/v1/webhooks/{created.json()['id']}/",
        {"url": "http://169.254.169.254/latest/meta-data/"},
        format="json",
    )

    assert moved.status_code == 400
    assert "url" in moved.json()


def test_a_stored_inward_url_is_never_connected_to(superuser_client, objects):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        webhook = objects["webhook"]  # stored directly, bypassing the API's check
        webhook.url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
        webhook.save()

        response = superuser_client.post(f"/api/v1/webhooks/{webhook.pk}/test/")

        assert response.status_code == 200
        assert response.json()["ok"] is False
        assert response.json()["error"].startswith("refused")
        with pytest.raises(TimeoutError):
            listener.accept()
