import datetime

import pytest
from django.urls import reverse
from django.utils.crypto import get_random_string

from rota_settings.models import SystemSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("rota_settings:settings")


def test_mounted_under_api_v1(url):
    assert url == "/api/v1/settings/"


def test_anonymous_get_is_forbidden(api_client, url):
    assert api_client.get(url).status_code == 403


def test_signed_in_get_returns_the_default_utc(api_client, reader, url):
    api_client.force_login(reader)

    response = api_client.get(url)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"timezone", "updated_at"}
    assert body["timezone"] == "UTC"
    assert datetime.datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_updated_at_is_utc_whatever_the_system_zone(api_client, editor, url):
    api_client.force_login(editor)
    api_client.patch(url, {"timezone": "Asia/Kolkata"}, format="json")

    updated_at = api_client.get(url).json()["updated_at"]

    assert updated_at.endswith("Z")
    stored = SystemSettings.load().updated_at
    assert datetime.datetime.fromisoformat(updated_at) == stored


def test_patch_without_the_permission_is_forbidden(api_client, reader, url):
    api_client.force_login(reader)

    response = api_client.patch(url, {"timezone": "Europe/Paris"}, format="json")

    assert response.status_code == 403
    assert SystemSettings.load().timezone == "UTC"


def test_patch_without_a_csrf_token_is_forbidden(csrf_client, editor, password, url):
    assert csrf_client.login(username=editor.username, password=password)

    response = csrf_client.patch(url, {"timezone": "Europe/Paris"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert SystemSettings.load().timezone == "UTC"


def test_patch_with_the_csrf_token_passes(csrf_client, editor, password, url):
    assert csrf_client.login(username=editor.username, password=password)
    token = get_random_string(32)  # what the csrftoken cookie holds, echoed in the header
    csrf_client.cookies["csrftoken"] = token

    response = csrf_client.patch(
        url, {"timezone": "Europe/Paris"}, format="json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200
    assert SystemSettings.load().timezone == "Europe/Paris"


def test_patch_a_known_zone_saves_it(api_client, editor, url, timezone_changes):
    api_client.force_login(editor)

    response = api_client.patch(url, {"timezone": "Europe/Paris"}, format="json")

    assert response.status_code == 200
    assert response.json()["timezone"] == "Europe/Paris"
    assert SystemSettings.load().timezone == "Europe/Paris"
    assert api_client.get(url).json()["timezone"] == "Europe/Paris"
    assert timezone_changes == [("UTC", "Europe/Paris")]


def test_put_is_not_allowed_only_get_and_patch(api_client, editor, url):
    api_client.force_login(editor)

    response = api_client.put(url, {"timezone": "Asia/Tokyo"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}
    assert response["Allow"] == "GET, PATCH, HEAD, OPTIONS"
    assert SystemSettings.load().timezone == "UTC"


def test_empty_patch_changes_nothing(api_client, editor, url, timezone_changes):
    api_client.force_login(editor)

    response = api_client.patch(url, {}, format="json")

    assert response.status_code == 200
    assert response.json()["timezone"] == "UTC"
    assert timezone_changes == []


def test_patch_an_unknown_zone_is_400_naming_it(api_client, editor, url, timezone_changes):
    api_client.force_login(editor)

    response = api_client.patch(url, {"timezone": "Mars/Olympus"}, format="json")

    assert response.status_code == 400
    assert response.json()["timezone"] == ['Unknown time zone "Mars/Olympus".']
    assert SystemSettings.load().timezone == "UTC"
    assert timezone_changes == []


@pytest.mark.parametrize("value", [None, ["UTC"], {"name": "UTC"}, True, 42, "", "x" * 200])
def test_patch_a_non_zone_value_is_400(api_client, editor, url, value):
    api_client.force_login(editor)

    response = api_client.patch(url, {"timezone": value}, format="json")

    assert response.status_code == 400
    assert "timezone" in response.json()
    assert SystemSettings.load().timezone == "UTC"
