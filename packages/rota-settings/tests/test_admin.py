import pytest
from django.urls import reverse

from rota_settings.models import SystemSettings

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:rota_settings_systemsettings_changelist"
CHANGE = "admin:rota_settings_systemsettings_change"
ADD = "admin:rota_settings_systemsettings_add"
DELETE = "admin:rota_settings_systemsettings_delete"


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_changelist_redirects_to_the_single_row(admin_client):
    SystemSettings.objects.all().delete()

    response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response.url == reverse(CHANGE, args=[1])
    assert SystemSettings.objects.count() == 1


def test_the_changelist_needs_a_permission(client, reader):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)

    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_no_add_when_the_row_exists_and_no_delete(admin_client):
    SystemSettings.load()

    assert admin_client.get(reverse(ADD)).status_code == 403
    assert admin_client.get(reverse(DELETE, args=[1])).status_code == 403
    assert admin_client.post(reverse(DELETE, args=[1]), {"post": "yes"}).status_code == 403
    page = admin_client.get(reverse(CHANGE, args=[1])).content.decode()
    assert reverse(DELETE, args=[1]) not in page
    assert SystemSettings.objects.count() == 1


def test_the_change_page_offers_the_known_zones(admin_client):
    page = admin_client.get(reverse(CHANGE, args=[1])).content.decode()

    assert '<option value="Europe/Paris">' in page
    assert '<option value="UTC" selected>' in page


def test_saving_in_the_admin_goes_through_the_service(admin_client, timezone_changes):
    response = admin_client.post(reverse(CHANGE, args=[1]), {"timezone": "Europe/Paris"})

    assert response.status_code == 302
    assert SystemSettings.load().timezone == "Europe/Paris"
    assert timezone_changes == [("UTC", "Europe/Paris")]


def test_adding_the_missing_row_in_the_admin_goes_through_the_service(
    admin_client, timezone_changes, settings
):
    # Without the middleware (which creates the row on the first request) the row may be missing.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("rota_settings.")]
    SystemSettings.objects.all().delete()

    response = admin_client.post(reverse(ADD), {"timezone": "Asia/Tokyo"})

    assert response.status_code == 302
    assert list(SystemSettings.objects.values_list("pk", "timezone")) == [(1, "Asia/Tokyo")]
    assert timezone_changes == [("UTC", "Asia/Tokyo")]


def test_an_unknown_zone_is_refused_in_the_admin(admin_client, timezone_changes):
    response = admin_client.post(reverse(CHANGE, args=[1]), {"timezone": "Mars/Olympus"})

    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()
    assert SystemSettings.load().timezone == "UTC"
    assert timezone_changes == []
