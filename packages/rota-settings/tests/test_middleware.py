import pytest
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone

from rota_settings import middleware
from rota_settings.middleware import SystemTimezoneMiddleware
from rota_settings.services import system_settings_update

pytestmark = pytest.mark.django_db


def current_timezone_view(request):
    return JsonResponse({"timezone": timezone.get_current_timezone_name()})


class CurrentTimezoneUrls:
    urlpatterns = [path("current-timezone/", current_timezone_view)]


def test_a_view_sees_the_system_zone(client, settings):
    settings.ROOT_URLCONF = CurrentTimezoneUrls
    system_settings_update(timezone="Asia/Kolkata")

    response = client.get("/current-timezone/")

    assert response.json() == {"timezone": "Asia/Kolkata"}


def test_the_zone_is_active_during_the_request_only(rf):
    system_settings_update(timezone="Europe/Paris")
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    SystemTimezoneMiddleware(view)(rf.get("/"))

    assert seen == ["Europe/Paris"]
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_database_error_keeps_the_default_zone(rf, monkeypatch, caplog):
    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(middleware, "get_system_timezone", unreachable)
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse(status=503)

    response = SystemTimezoneMiddleware(view)(rf.get("/health/"))

    assert response.status_code == 503
    assert seen == ["UTC"]
    assert "Cannot read the system time zone" in caplog.text
